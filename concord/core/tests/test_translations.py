"""The Spanish catalogue is complete, compiled, and used by the public pages.

When a test here fails after you add or change a translatable string:

    make messages            # refresh locale/es/LC_MESSAGES/django.po
    # translate every new or changed entry in that file (plain, warm Spanish, "usted"),
    # and delete any "#, fuzzy" flag once the translation is right
    .venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules
                             # or: make locale/es/LC_MESSAGES/django.mo (make test does it)
"""

import ast
import gettext
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.utils.html import escape

from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition

PO_PATH = Path(settings.BASE_DIR) / "locale" / "es" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
HOW_TO_FIX = (
    "Run `make messages`, translate every new or changed entry in "
    "locale/es/LC_MESSAGES/django.po (no fuzzy flags), then compile it with "
    "`.venv/bin/python manage.py compilemessages --ignore=.venv --ignore=node_modules` "
    "(`make test` compiles it for you)."
)
PLACEHOLDER = re.compile(r"%\((\w+)\)[sdif]")


@dataclass
class Entry:
    line: int
    msgid: str = ""
    msgid_plural: str | None = None
    msgctxt: str | None = None
    msgstr: dict[int, str] = field(default_factory=dict)
    flags: set[str] = field(default_factory=set)

    @property
    def key(self) -> str:
        return self.msgid if self.msgctxt is None else f"{self.msgctxt}\x04{self.msgid}"

    def __str__(self) -> str:
        return f"line {self.line}: {self.msgid!r}"


def parse_po(path: Path) -> list[Entry]:
    """A small reader for the PO files that makemessages writes: entries are separated by
    blank lines; obsolete entries (#~) are skipped."""
    entries: list[Entry] = []
    entry: Entry | None = None
    current: tuple[str, int] | None = None
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = raw.strip()
        if not line or line.startswith("#~"):
            entry = current = None
            continue
        if entry is None:
            entry = Entry(line=number)
            entries.append(entry)
        if line.startswith("#"):
            if line.startswith("#,"):
                entry.flags.update(flag.strip() for flag in line[2:].split(","))
            continue
        keyword, text = ("", line) if line.startswith('"') else line.split(" ", 1)
        if keyword:
            plural_form = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
            current = ("msgstr", int(plural_form.group(1))) if plural_form else (keyword, 0)
            if current[0] == "msgstr":
                entry.msgstr[current[1]] = ""
        assert current is not None, f"{path}:{number}: a string with no keyword before it"
        value = ast.literal_eval(text)
        name, index = current
        if name == "msgid":
            entry.msgid += value
        elif name == "msgid_plural":
            entry.msgid_plural = (entry.msgid_plural or "") + value
        elif name == "msgctxt":
            entry.msgctxt = (entry.msgctxt or "") + value
        elif name == "msgstr":
            entry.msgstr[index] += value
        else:
            raise AssertionError(f"{path}:{number}: unknown keyword {name!r}")
    return entries


@pytest.fixture(scope="module")
def catalogue() -> list[Entry]:
    assert PO_PATH.exists(), f"{PO_PATH} is missing. {HOW_TO_FIX}"
    return parse_po(PO_PATH)


@pytest.fixture(scope="module")
def messages(catalogue: list[Entry]) -> list[Entry]:
    return [entry for entry in catalogue if entry.msgid]


@pytest.fixture(scope="module")
def spanish(messages: list[Entry]) -> dict[str, str]:
    return {entry.msgid: entry.msgstr.get(0, "") for entry in messages if entry.msgctxt is None}


def _listing(entries: list[Entry]) -> str:
    return "\n  ".join(str(entry) for entry in entries)


def test_header_names_spanish_and_its_plural_rule(catalogue: list[Entry]) -> None:
    header = next((entry for entry in catalogue if not entry.msgid), None)
    assert header is not None, f"django.po has no header entry. {HOW_TO_FIX}"
    text = header.msgstr.get(0, "")
    assert "fuzzy" not in header.flags, (
        f"Remove '#, fuzzy' above the header of django.po. {HOW_TO_FIX}"
    )
    assert "Language: es\n" in text, "Set 'Language: es' in the header of django.po."
    assert "Plural-Forms: nplurals=2; plural=(n != 1);" in text, (
        "Set 'Plural-Forms: nplurals=2; plural=(n != 1);' in the header of django.po."
    )
    assert "charset=UTF-8" in text


def test_catalogue_has_entries(messages: list[Entry]) -> None:
    assert len(messages) > 50, f"django.po looks empty or unreadable. {HOW_TO_FIX}"


def test_every_entry_is_translated(messages: list[Entry]) -> None:
    untranslated = [
        entry
        for entry in messages
        if not entry.msgstr
        or any(not text.strip() for text in entry.msgstr.values())
        or (entry.msgid_plural is not None and len(entry.msgstr) != 2)
    ]
    assert not untranslated, (
        f"Entries of django.po with no Spanish translation ({len(untranslated)}):\n  "
        f"{_listing(untranslated)}\n{HOW_TO_FIX}"
    )


def test_no_entry_is_fuzzy(messages: list[Entry]) -> None:
    fuzzy = [entry for entry in messages if "fuzzy" in entry.flags]
    assert not fuzzy, (
        f"Entries of django.po marked fuzzy ({len(fuzzy)}), which Django does not use. "
        f"Check each translation, then delete its '#, fuzzy' line:\n  {_listing(fuzzy)}\n"
        f"{HOW_TO_FIX}"
    )


def test_translations_keep_every_placeholder(messages: list[Entry]) -> None:
    broken = []
    for entry in messages:
        expected = set(PLACEHOLDER.findall(entry.msgid + (entry.msgid_plural or "")))
        for text in entry.msgstr.values():
            found = set(PLACEHOLDER.findall(text))
            # A singular form may leave out the count ("un carácter"), nothing else.
            if found - expected or (entry.msgid_plural is None and found != expected):
                broken.append(entry)
                break
    assert not broken, (
        "These translations change the %(name)s placeholders of their English text; keep "
        f"every placeholder exactly as it is:\n  {_listing(broken)}"
    )


def test_compiled_catalogue_matches_the_po_file(messages: list[Entry]) -> None:
    assert MO_PATH.exists(), f"{MO_PATH.name} has not been compiled. {HOW_TO_FIX}"
    with MO_PATH.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)._catalog
    stale = []
    # Fuzzy and empty entries are reported by the tests above; compilemessages leaves them out.
    for entry in messages:
        if "fuzzy" in entry.flags or not all(entry.msgstr.values()):
            continue
        if entry.msgid_plural is None:
            if compiled.get(entry.key) != entry.msgstr.get(0):
                stale.append(entry)
        elif any(compiled.get((entry.key, index)) != text for index, text in entry.msgstr.items()):
            stale.append(entry)
    assert not stale, (
        f"django.mo does not match django.po ({len(stale)} entries differ, first: "
        f"{stale[0]}). {HOW_TO_FIX}"
    )


# The public pages in Spanish: a few of each page's own strings, looked up in django.po so
# that the test follows the translators' wording.
PUBLIC_PAGES = {
    "/es/": ["Next coalition meeting", "How to get help", "Join the coalition"],
    "/es/about/": ["About the coalition", "Our values", "How the coalition meets"],
    "/es/get-help/": ["Get help", "Staying safe online", "Reporting a tip"],
    "/es/membership/": ["What members commit to", "How to apply", "Apply for membership"],
    "/es/accounts/login/": ["Sign In", "Member sign in"],
}
EVERY_PAGE = ["Skip to main content", "Quick exit", "National Human Trafficking Hotline"]


def _shows(html: str, text: str) -> bool:
    return text in html or escape(text) in html


@pytest.fixture
def demo_coalition(db: None) -> Coalition:
    return Coalition.objects.create(**DEMO_COALITION)


@pytest.mark.parametrize("path", list(PUBLIC_PAGES))
def test_public_page_is_in_spanish(
    client: Client, demo_coalition: Coalition, spanish: dict[str, str], path: str
) -> None:
    response = client.get(path)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="es"' in html
    for msgid in PUBLIC_PAGES[path] + EVERY_PAGE:
        translation = spanish.get(msgid)
        assert translation, f"django.po has no Spanish for {msgid!r}. {HOW_TO_FIX}"
        assert translation != msgid, f"django.po keeps {msgid!r} in English. {HOW_TO_FIX}"
        assert _shows(html, translation), (
            f"{path} does not show the Spanish {translation!r} for {msgid!r}; is django.mo "
            f"compiled and current? {HOW_TO_FIX}"
        )
    # No sentence of the catalogue is left in English on the Spanish page.
    english = [
        msgid
        for msgid, translation in spanish.items()
        if len(msgid) > 25 and " " in msgid and "%" not in msgid and msgid != translation
        if _shows(html, msgid)
    ]
    assert not english, f"{path} shows English text: {english}. {HOW_TO_FIX}"


def test_home_page_shows_the_coalitions_spanish_texts(
    client: Client, demo_coalition: Coalition
) -> None:
    html = client.get("/es/").content.decode()

    assert _shows(html, DEMO_COALITION["mission_es"])
    assert "Línea Nacional contra la Trata de Personas" in html
    assert 'hreflang="en"' in html  # the switch offers the other language
