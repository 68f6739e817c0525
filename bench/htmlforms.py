"""HTML forms as a browser sees them: parsed with the standard library's html.parser and
filled in from a table of answers keyed by field name. Pure: no network, no Django.

What a browser would send is what is sent: hidden fields (the CSRF token, the one-time
submission token, the signed access token) keep their rendered values, checked boxes and
selected options go, unchecked ones and buttons do not unless the answers name them.
"""

import fnmatch
from collections.abc import Mapping
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

# An answer that picks the first real choice of a select, radio group or checkbox group:
# the benchmark need not know the primary keys of the seeded committees.
FIRST = object()
Answer = str | bool | object

BUTTON_TYPES = frozenset({"submit", "button", "image", "reset"})


@dataclass
class Field:
    name: str
    kind: str  # the input's type, or "select", "textarea", "button"
    value: str = ""
    checked: bool = False
    options: list[tuple[str, bool]] = field(default_factory=list)  # selects: (value, selected)
    multiple: bool = False
    required: bool = False

    @property
    def is_button(self) -> bool:
        return self.kind in BUTTON_TYPES or self.kind == "button"

    @property
    def is_checkable(self) -> bool:
        return self.kind in ("checkbox", "radio")


@dataclass
class Form:
    action: str
    method: str
    fields: list[Field] = field(default_factory=list)

    def names(self) -> list[str]:
        return list(dict.fromkeys(f.name for f in self.fields))

    def value(self, name: str) -> str | None:
        """The rendered value of the first field called ``name``."""
        for f in self.fields:
            if f.name == name:
                return f.value
        return None

    def url(self, page_url: str) -> str:
        """The path (and query) the form posts to, resolved against the page's URL."""
        target = urlsplit(urljoin(page_url, self.action or page_url))
        return target.path + (f"?{target.query}" if target.query else "")

    def fill(self, answers: Mapping[str, Answer]) -> list[tuple[str, str]]:
        """The pairs a browser would submit after a person typed ``answers``.

        Keys of ``answers`` may be shell patterns (``practice_*``) for fields that repeat.
        A field the answers do not name keeps what the page rendered."""
        pairs: list[tuple[str, str]] = []
        groups_done: set[str] = set()
        for f in self.fields:
            answer = lookup(answers, f.name)
            if f.is_button:
                if answer is not None and (answer is FIRST or answer == f.value):
                    pairs.append((f.name, f.value))
                continue
            if f.is_checkable:
                pairs.extend(self._checked(f, answer, groups_done))
                continue
            if f.kind == "select":
                pairs.extend(_selected(f, answer))
                continue
            pairs.append((f.name, f.value if answer is None else str(answer)))
        return pairs

    def _checked(
        self, f: Field, answer: Answer | None, groups_done: set[str]
    ) -> list[tuple[str, str]]:
        value = f.value or "on"
        if answer is None:
            return [(f.name, value)] if f.checked else []
        if answer is FIRST:
            # The first box or radio of the group, once; the others stay as rendered.
            if f.name not in groups_done:
                groups_done.add(f.name)
                return [(f.name, value)]
            return [(f.name, value)] if f.checked and f.kind == "checkbox" else []
        if isinstance(answer, bool):
            return [(f.name, value)] if answer else []
        return [(f.name, value)] if str(answer) == f.value else []

    def empty_required(self, answers: Mapping[str, Answer]) -> list[str]:
        """Required fields that would go empty: names the table lacks, for the error."""
        sent = {name for name, value in self.fill(answers) if value}
        return [
            f.name
            for f in self.fields
            if f.required and not f.is_button and f.kind != "hidden" and f.name not in sent
        ]


def lookup(answers: Mapping[str, Answer], name: str) -> Answer | None:
    if name in answers:
        return answers[name]
    for pattern, answer in answers.items():
        if fnmatch.fnmatchcase(name, pattern):
            return answer
    return None


def _selected(f: Field, answer: Answer | None) -> list[tuple[str, str]]:
    real = [value for value, _selected in f.options if value]
    if answer is FIRST:
        return [(f.name, real[0])] if real else []
    if answer is not None:
        return [(f.name, str(answer))]
    chosen = [value for value, selected in f.options if selected]
    if not chosen and f.options and not f.multiple:
        chosen = [f.options[0][0]]  # a single select sends its first option by default
    return [(f.name, value) for value in chosen]


class _FormParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.forms: list[Form] = []
        self._form: Form | None = None
        self._textarea: Field | None = None
        self._select: Field | None = None
        self._option: tuple[str | None, bool] | None = None
        self._option_text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = Form(action=a.get("action", ""), method=a.get("method", "get").lower())
            self.forms.append(self._form)
            return
        if self._form is None:
            return
        name = a.get("name")
        required = "required" in a
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text").lower()
            self._form.fields.append(
                Field(name, kind, a.get("value", ""), "checked" in a, required=required)
            )
        elif tag == "button" and name and "disabled" not in a:
            kind = a.get("type", "submit").lower()
            if kind == "submit":
                self._form.fields.append(Field(name, "button", a.get("value", "")))
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea = Field(name, "textarea", required=required)
            self._form.fields.append(self._textarea)
        elif tag == "select" and name and "disabled" not in a:
            self._select = Field(name, "select", multiple="multiple" in a, required=required)
            self._form.fields.append(self._select)
        elif tag == "option" and self._select is not None:
            if self._option is not None:  # </option> may be left out
                self._close_option()
            self._option = (a.get("value") if "value" in a else None, "selected" in a)
            self._option_text = ""

    def handle_data(self, data: str) -> None:
        if self._textarea is not None:
            self._textarea.value += data
        elif self._option is not None:
            self._option_text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "textarea" and self._textarea is not None:
            # The HTML spec drops one newline right after <textarea>.
            if self._textarea.value.startswith("\n"):
                self._textarea.value = self._textarea.value[1:]
            self._textarea = None
        elif tag in ("option", "select") and self._option is not None:
            self._close_option()
        if tag == "select":
            self._select = None

    def _close_option(self) -> None:
        assert self._select is not None
        assert self._option is not None
        value, selected = self._option
        self._select.options.append(
            (self._option_text.strip() if value is None else value, selected)
        )
        self._option = None


def parse_forms(html: str) -> list[Form]:
    parser = _FormParser()
    parser.feed(html)
    parser.close()
    if parser._option is not None and parser._select is not None:
        parser._close_option()
    return parser.forms


def find_form(forms: list[Form], page_url: str, path: str) -> Form:
    """The POST form on a page that posts to ``path``."""
    for form in forms:
        if form.method == "post" and form.url(page_url).split("?")[0] == path:
            return form
    posts = [f"{form.method} {form.url(page_url)}" for form in forms]
    raise LookupError(f"no POST form to {path} on {page_url} (forms: {posts})")
