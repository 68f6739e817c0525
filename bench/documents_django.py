"""The parts of the documents benchmark (issue 8) that run inside Django, each in a
subprocess with the server's environment:

- ``generate PLAN.json OUT.json``: writes the planned documents, each with its versions
  and tags, with ``bulk_create`` in batches (the full-text index follows through its
  triggers); half public and adopted, a quarter for members, a quarter for a committee.
- ``pages PLAN.json OUT.json``: counts each page's queries with Django's test Client, as
  ``bench.referrals_django`` does.
"""

import json
import os
import random
import sys
import time
from pathlib import Path
from typing import Any

BATCH = 1_000
TITLE_PREFIX = "Bench document"
WORDS = [
    "advocate",
    "protocol",
    "consent",
    "survivor",
    "referral",
    "shelter",
    "interpreter",
    "housing",
    "legal",
    "training",
    "outreach",
    "hotline",
    "confidentiality",
    "partner",
    "agency",
    "screening",
    "safety",
    "plan",
    "labor",
    "hospitality",
    "restaurant",
    "cleaning",
    "youth",
    "immigration",
    "benefits",
    "health",
    "clinic",
    "officer",
    "prosecutor",
    "court",
    "testimony",
    "notice",
    "posting",
    "county",
    "coalition",
    "committee",
]
TAGS = ["consent", "law enforcement", "health", "labor", "youth", "housing", "legal", "mou"]
# One document in a hundred (public and adopted) holds this word: a narrow search next to
# the broad ones.
RARE_WORD = "zanzibarite"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _text(rng: random.Random, number: int, version: int) -> str:
    lines = [f"# {TITLE_PREFIX} {number}, version {version}", ""]
    for _paragraph in range(8):
        lines.append(" ".join(rng.choice(WORDS) for _word in range(24)) + ".")
        lines.append("")
    if number % 100 == 1:
        lines.append(f"The {RARE_WORD} clause.")
    return "\n".join(lines)


def generate(*, documents: int, versions: int) -> dict[str, Any]:
    from django.db import transaction

    from concord.library.models import Document, DocumentVersion, Tag
    from concord.meetings.models import Committee

    rng = random.Random(8)
    started = time.monotonic()
    committees = list(Committee.objects.order_by("pk").values_list("pk", flat=True)) or [None]
    tags = [Tag.objects.get_or_create(name=name)[0] for name in TAGS]
    kinds = ["protocol", "policy", "mou", "best_practice", "template"]
    written = 0
    with transaction.atomic():
        for start in range(0, documents, BATCH):
            numbers = range(start, min(documents, start + BATCH))
            texts = {n: [_text(rng, n, v) for v in range(1, versions + 1)] for n in numbers}
            picked = {n: [tags[n % len(tags)], tags[(n * 3 + 1) % len(tags)]] for n in numbers}
            rows = []
            for n in numbers:
                share = n % 4
                visibility = "public" if share < 2 else "members" if share == 2 else "committee"
                tag_names = " ".join(sorted({tag.name for tag in picked[n]}))
                rows.append(
                    Document(
                        title=f"{TITLE_PREFIX} {n:05d}: {rng.choice(WORDS)} {rng.choice(WORDS)}",
                        kind=kinds[n % len(kinds)],
                        owner_committee_id=committees[n % len(committees)],
                        visibility=visibility,
                        status="adopted" if n % 10 else "open_for_comment",
                        comment_closes_on=None if n % 10 else "2099-01-01",
                        languages="en,es" if n % 3 == 0 else "en",
                        search_text=f"{tag_names}\n{texts[n][-1]}",
                    )
                )
            created = Document.objects.bulk_create(rows)
            by_number = dict(zip(numbers, created, strict=True))
            DocumentVersion.objects.bulk_create(
                DocumentVersion(
                    document=by_number[n],
                    number=v,
                    change_note=f"Revision {v}",
                    text=texts[n][v - 1],
                )
                for n in numbers
                for v in range(1, versions + 1)
            )
            through = Document.tags.through
            through.objects.bulk_create(
                through(document_id=by_number[n].pk, tag_id=tag.pk)
                for n in numbers
                for tag in {tag.pk: tag for tag in picked[n]}.values()
            )
            current = dict(
                DocumentVersion.objects.filter(document__in=created, number=versions).values_list(
                    "document_id", "pk"
                )
            )
            for document in created:
                document.current_version_id = current[document.pk]
            Document.objects.bulk_update(created, ["current_version"], batch_size=BATCH)
            written += len(created)
    return {
        "counts": {
            "documents": written,
            "versions": written * versions,
            "all_documents": Document.objects.count(),
        },
        "seconds": round(time.monotonic() - started, 1),
    }


def main(command: str, plan_path: str, out_path: str) -> int:
    _setup()
    plan = json.loads(Path(plan_path).read_text())
    if command == "generate":
        out = generate(**plan)
    elif command == "pages":
        from bench.referrals_django import count_pages

        out = count_pages(plan["personas"], plan["pages"])
    else:
        raise SystemExit(f"unknown command {command!r}: generate or pages")
    Path(out_path).write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
