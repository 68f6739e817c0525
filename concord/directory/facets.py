"""The choices the public search offers (languages spoken, cities), cached.

Working them out reads every visible service's languages and addresses, the slowest part
of a search at 10,000 services, yet they change only when the directory does. Each write
sets a new revision in the shared cache, and the choices are cached under it in each
worker's memory, so every worker sees a change at once. Writes through ``save()`` and
``delete()`` bump it by signal; bulk writes (the importer, the demo) call
``bump_revision`` themselves."""

import uuid
from typing import Any

from django.core.cache import cache, caches
from django.db import transaction
from django.db.models import QuerySet

from concord.directory.models import Address, Language, Service

_REVISION = "directory:revision"
# A safety net only: a missed bump heals within the hour.
TIMEOUT = 60 * 60


def bump_revision(**_kwargs: Any) -> None:
    _bump()
    # Again once committed: a reader that computed the choices from the data as it was
    # before the commit stored them under the revision current then, which is now past.
    transaction.on_commit(_bump)


def _bump() -> None:
    # A new random value, not a count: a revision evicted from the cache and started
    # again must never meet choices or cards cached under an old one.
    cache.set(_REVISION, uuid.uuid4().hex, None)


def revision() -> str:
    return str(cache.get_or_set(_REVISION, lambda: uuid.uuid4().hex, None))


def spoken_languages(services: QuerySet[Service], *, partner: bool) -> list[tuple[str, str]]:
    """The (code, name) pairs of languages the ``services`` speak, as stored."""
    key = f"directory:languages:{revision()}:{int(partner)}"
    found = caches["fragments"].get(key)
    if found is None:
        found = sorted(
            Language.objects.filter(service__in=services)
            .exclude(code="")
            .values_list("code", "name")
            .distinct()
        )
        caches["fragments"].set(key, found, TIMEOUT)
    return [(code, name) for code, name in found]


def cities(services: QuerySet[Service], *, partner: bool) -> list[str]:
    # Cities only: a confidential location's city is safe to show, its street is not.
    key = f"directory:cities:{revision()}:{int(partner)}"
    found = caches["fragments"].get(key)
    if found is None:
        rows = (
            Address.objects.filter(location__service_at_locations__service__in=services)
            .values_list("city", flat=True)
            .distinct()
        )
        found = sorted({city.strip() for city in rows if city.strip()})
        caches["fragments"].set(key, found, TIMEOUT)
    return list(found)
