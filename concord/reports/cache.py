"""The dashboard's sections, kept between views until something they count changes.

Building the dashboard runs some 36 aggregate queries; at 100 times the demo data that is
most of a quarter of a second of SQL and ORM work for figures that change only when a
record they count does. So the rendered sections are kept in each worker's memory under
a revision that every save or delete of a model they count replaces. The revision lives
in the shared cache, so every worker sees a change at once, as the directory's does
(``concord.directory.facets``).

Figures also move with time alone (an application becomes overdue, a session ends), and
bulk writes (the retention purge, the demo) send no signal: the sections are therefore
kept for at most ``REPORTS_CACHE_SECONDS`` (0 turns keeping off), the key carries the day,
and the page says when its figures were computed.
"""

import datetime
import uuid
from collections.abc import Callable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from concord.reports.queries import Period

_REVISION = "reports:revision"
NONCE = "__REPORTS_NONCE__"
# The apps whose records the dashboard counts; accounts for the people of each agency.
COUNTED_APPS = (
    "accounts",
    "agencies",
    "assistance",
    "awareness",
    "directory",
    "meetings",
    "membership",
    "referrals",
    "trainings",
)


def bump_revision(**_kwargs: Any) -> None:
    """Renew the revision once the transaction that changed a counted record commits.

    Once per transaction, however many records it saves: each renewal is a write to the
    shared (database) cache. Renewing only at commit is enough: a view that read the old
    revision keeps what it works out under that old key, and one that reads the new
    revision reads the committed records after it."""
    connection = transaction.get_connection()
    # run_on_commit holds (savepoint ids, callback, robust) for the open transaction. A
    # bump already there runs at the commit unless a savepoint it was added in is rolled
    # back, which drops it from the list; so one pending bump is always enough.
    if any(entry[1] is _bump for entry in connection.run_on_commit):
        return
    transaction.on_commit(_bump)


def _bump() -> None:
    # A random value, not a count: a revision evicted and started again must never meet
    # sections kept under an old one.
    cache.set(_REVISION, uuid.uuid4().hex, None)


def revision() -> str:
    return str(cache.get_or_set(_REVISION, lambda: uuid.uuid4().hex, None))


def connect_signals() -> None:
    for label in COUNTED_APPS:
        for model in apps.get_app_config(label).get_models():
            uid = f"reports-revision-{label}-{model.__name__}"
            post_save.connect(bump_revision, sender=model, dispatch_uid=uid)
            post_delete.connect(bump_revision, sender=model, dispatch_uid=f"{uid}-delete")


Kept = tuple[str, datetime.datetime]


def kept_sections(
    period: Period, language: str, today: datetime.date, build: Callable[[], Kept]
) -> Kept:
    """The rendered sections and when their figures were computed: kept ones while the
    records are unchanged, else ``build()``'s, kept for the next view."""
    seconds = settings.REPORTS_CACHE_SECONDS
    if seconds <= 0:
        return build()
    key = f"reports:dashboard:{revision()}:{language}:{today}:{period.start}:{period.end}"
    kept = caches["fragments"].get(key)
    if kept is None:
        kept = build()
        caches["fragments"].set(key, kept, seconds)
    return kept
