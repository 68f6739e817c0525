"""The parts of the forum benchmark (issue 8) that run inside Django, in a subprocess with
the server's environment:

- ``generate PLAN.json OUT.json``: writes ``posts`` forum posts into a general category
  with ``bulk_create``: one thread with ``big`` replies, one with a few, and the rest in
  threads of twenty, written by the demo's members.
- ``pages PLAN.json OUT.json``: signs the member in and counts each page's queries with
  Django's test Client (``bench.referrals_django.count_pages``).
"""

import datetime
import json
import os
import sys
from pathlib import Path
from typing import Any

BATCH = 2_000
CATEGORY = "Bench forum"
SMALL_REPLIES = 3
THREAD_SIZE = 20
MEMBER = "member@example.org"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def generate(*, posts: int, big: int) -> dict[str, Any]:
    from django.db import transaction
    from django.utils import timezone

    from concord.accounts.models import User
    from concord.agencies.models import AgencyStatus
    from concord.forum.models import Category, Post, Thread

    authors = list(
        User.objects.filter(
            is_active=True, agency__isnull=False, agency__status=AgencyStatus.ACTIVE
        ).order_by("pk")[:50]
    )
    start = timezone.now() - datetime.timedelta(days=365)
    body = (
        "What worked for us: **short visits** at shift change, materials in Spanish, and a "
        "follow-up call a week later. See [the hotline](https://humantraffickinghotline.org/)."
    )
    with transaction.atomic():
        category = Category.objects.create(name=CATEGORY)
        sizes = [big + 1, SMALL_REPLIES + 1]
        left = posts - sum(sizes)
        while left > 0:
            sizes.append(min(THREAD_SIZE, left))
            left -= THREAD_SIZE
        threads = Thread.objects.bulk_create(
            Thread(
                category=category,
                title=f"Bench thread {number}",
                author=authors[number % len(authors)],
                last_post_at=start,
                reply_count=size - 1,
            )
            for number, size in enumerate(sizes)
        )
        batch: list[Any] = []
        written = 0
        for thread, size in zip(threads, sizes, strict=True):
            for index in range(size):
                batch.append(
                    Post(
                        thread=thread,
                        author=authors[(thread.pk + index) % len(authors)],
                        body=f"{body} ({index})",
                        notified_at=start,
                    )
                )
                if len(batch) >= BATCH:
                    written += len(Post.objects.bulk_create(batch))
                    batch = []
        written += len(Post.objects.bulk_create(batch))
    return {
        "counts": {"posts": written, "threads": len(threads), "big_replies": big},
        "paths": {
            "big": threads[0].get_absolute_url(),
            "small": threads[1].get_absolute_url(),
            "category": category.get_absolute_url(),
        },
        "personas": {"member": MEMBER},
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
