"""Reads behind the public search pages: who sees which services, the full-text and
filtered search, and the few facts a result card shows, each in a fixed number of queries
whatever the number of services."""

import dataclasses
import datetime
import hashlib
import re
import unicodedata
import uuid
import zoneinfo
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.postgres.search import SearchQuery, SearchVector
from django.core.cache import caches
from django.core.paginator import Page, Paginator
from django.db import connection
from django.db.models import F, Func, Prefetch, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.db.models.functions import Lower, Substr
from django.utils import translation

from concord.coalition.queries import current_coalition
from concord.core.permissions import sees_partner_services
from concord.directory import facets
from concord.directory.models import (
    Address,
    Attribute,
    CostOption,
    Frequency,
    Language,
    Location,
    Schedule,
    Service,
    ServiceArea,
    ServiceAtLocation,
    ServiceStatus,
    TaxonomyTerm,
    Visibility,
)

# A listing not checked for a year may describe a service that has changed or closed.
STALE_AFTER = relativedelta(months=12)
SHEET_LIMIT = 30
_MAX_WORDS = 10
# Longer result lists are not worth a worker's memory: they come from the broadest searches.
_CACHED_RESULTS = 2000
_SEARCHED = ("name", "alternate_name", "description")
_WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class SearchFilters:
    words: str = ""
    category: str = ""
    language: str = ""
    city: str = ""
    free: bool = False
    age: int | None = None
    open_now: bool = False


@dataclass
class ServiceCard:
    """What a result or a resource sheet shows of a service: only public-safe facts."""

    service: Service
    categories: list[str] = field(default_factory=list)
    cities: list[str] = field(default_factory=list)
    languages: list[str] = field(default_factory=list)
    free: bool = False
    stale: bool = False


def services_visible_to(user: Any) -> QuerySet[Service]:
    services = Service.objects.filter(status=ServiceStatus.ACTIVE)
    if not sees_partner_services(user):
        services = services.filter(visibility=Visibility.PUBLIC)
    return services


def public_services() -> QuerySet[Service]:
    return Service.objects.filter(status=ServiceStatus.ACTIVE, visibility=Visibility.PUBLIC)


def _words(text: str) -> list[str]:
    # Accents dropped, as the SQLite index and PostgreSQL's unaccent drop them from the text.
    folded = "".join(
        char
        for char in unicodedata.normalize("NFKD", text.lower())
        if not unicodedata.combining(char)
    )
    return re.findall(r"\w+", folded)[:_MAX_WORDS]


def matching_service_ids(text: str) -> Any | None:
    """A subquery of the ids of services whose name, other name or description hold every
    word of ``text``, each as a prefix ("refug" finds "refugio"); None without words.

    Words are \\w+ only, so they carry no query syntax; they still travel as a parameter."""
    words = _words(text)
    if not words:
        return None
    if connection.vendor == "postgresql":
        # "simple" neither stems nor drops stop words, so English and Spanish match alike.
        query = SearchQuery(
            " & ".join(f"{word}:*" for word in words), config="simple", search_type="raw"
        )
        vector = SearchVector(
            *(Func(F(name), function="unaccent") for name in _SEARCHED),
            config="simple",
        )
        return Service.objects.annotate(search=vector).filter(search=query).values("pk")
    expression = " ".join(f'"{word}"*' for word in words)
    return RawSQL(
        "SELECT service_id FROM directory_service_fts WHERE directory_service_fts MATCH %s",
        (expression,),
    )


def coalition_now(now: datetime.datetime) -> datetime.datetime:
    coalition = current_coalition()
    zone = coalition.time_zone if coalition else settings.TIME_ZONE
    return now.astimezone(zoneinfo.ZoneInfo(zone))


def schedules_open_at(local: datetime.datetime) -> QuerySet[Schedule]:
    """Weekly schedules open at ``local`` (a time in the coalition's zone); a schedule that
    closes at or before it opens runs past midnight."""
    today, yesterday = _WEEKDAYS[local.weekday()], _WEEKDAYS[local.weekday() - 1]
    time = local.strftime("%H:%M")
    date = local.date()
    schedules = (
        Schedule.objects.filter(freq__in=[Frequency.WEEKLY, ""])
        .exclude(opens_at="")
        .exclude(closes_at="")
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=date))
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=date))
        # HSDS times may end with a UTC offset; their first five characters are HH:MM.
        .annotate(opens=Substr("opens_at", 1, 5), closes=Substr("closes_at", 1, 5))
    )
    overnight = Q(closes__lte=F("opens"))
    started_today = Q(byday__contains=today) & Q(opens__lte=time) & (Q(closes__gt=time) | overnight)
    from_yesterday = Q(byday__contains=yesterday) & overnight & Q(closes__gt=time)
    return schedules.filter(started_today | from_yesterday)


def search_services(
    filters: SearchFilters, *, user: Any, now: datetime.datetime
) -> QuerySet[Service]:
    services = services_visible_to(user)
    matching = matching_service_ids(filters.words)
    if matching is not None:
        services = services.filter(pk__in=matching)
    if filters.category:
        tagged = Attribute.objects.filter(taxonomy_term__code=filters.category)
        services = services.filter(pk__in=tagged.values("link_id"))
    if filters.language:
        spoken = Language.objects.filter(code=filters.language)
        services = services.filter(pk__in=spoken.values("service_id"))
    if filters.city:
        # Lower() rather than iexact, so that the index on Lower(city) serves it.
        located = Address.objects.annotate(city_lower=Lower("city")).filter(
            city_lower=filters.city.lower()
        )
        at = ServiceAtLocation.objects.filter(location_id__in=located.values("location_id"))
        areas = ServiceArea.objects.filter(name__icontains=filters.city)
        # Subqueries rather than joins: a join needs DISTINCT, which SQLite sorts over
        # every column of every matching service before it can count them.
        services = services.filter(
            Q(pk__in=at.values("service_id")) | Q(pk__in=areas.values("service_id"))
        )
    if filters.free:
        free = CostOption.objects.filter(amount=0)
        services = services.filter(pk__in=free.values("service_id"))
    if filters.age is not None:
        services = services.filter(
            Q(minimum_age__isnull=True) | Q(minimum_age__lte=filters.age),
            Q(maximum_age__isnull=True) | Q(maximum_age__gte=filters.age),
        )
    if filters.open_now:
        open_schedules = schedules_open_at(coalition_now(now))
        services = services.filter(
            Q(pk__in=open_schedules.values("service_id"))
            | Q(pk__in=open_schedules.values("service_at_location__service_id"))
        )
    return services.select_related("organization").order_by("name", "pk")


def result_ids(
    filters: SearchFilters, *, user: Any, now: datetime.datetime, number: Any, size: int
) -> Page:
    """One page of the ids of the services ``filters`` find for ``user``.

    A narrowed search costs most in evaluating its filters, so it is evaluated once, for
    every id in order, and the ids are cached under the directory's revision: the same
    search again, by anyone who sees the same services, costs one cache read. "Open now"
    changes with the clock, so those searches are not cached. The whole directory is cheap
    to count and slice, and far too long to list."""
    services = search_services(filters, user=user, now=now)
    if filters == SearchFilters():
        return Paginator(services.values_list("pk", flat=True), size).get_page(number)
    key = None
    ids: list[uuid.UUID] | None = None
    if not filters.open_now:
        digest = hashlib.sha256(repr(dataclasses.astuple(filters)).encode()).hexdigest()
        partner = int(sees_partner_services(user))
        key = f"directory:results:{facets.revision()}:{partner}:{digest}"
        ids = caches["fragments"].get(key)
    if ids is None:
        ids = list(services.values_list("pk", flat=True))
        if key is not None and len(ids) <= _CACHED_RESULTS:
            caches["fragments"].set(key, ids, facets.TIMEOUT)
    return Paginator(ids, size).get_page(number)


def category_names(language: str) -> dict[str, str]:
    """Category codes and their names in ``language``, or in English where missing."""
    names: dict[str, str] = {}
    terms = (
        TaxonomyTerm.objects.exclude(code="")
        .filter(language__in=[language, "en", ""])
        .values_list("code", "name", "language")
    )
    for code, name, term_language in terms:
        if term_language == language or code not in names:
            names[code] = name
    return dict(sorted(names.items(), key=lambda item: item[1].lower()))


def language_choices(user: Any) -> list[tuple[str, str]]:
    partner = sees_partner_services(user)
    spoken = facets.spoken_languages(services_visible_to(user), partner=partner)
    names = {code: language_name(code, name) for code, name in spoken}
    return sorted(names.items(), key=lambda item: item[1].lower())


def language_name(code: str, name: str) -> str:
    try:
        return str(translation.get_language_info(code)["name_translated"])
    except KeyError:
        return name or code


def city_choices(user: Any) -> list[str]:
    partner = sees_partner_services(user)
    return facets.cities(services_visible_to(user), partner=partner)


def with_card_details(services: QuerySet[Service]) -> QuerySet[Service]:
    return services.prefetch_related(
        "languages",
        "cost_options",
        "phones",
        Prefetch(
            "service_at_locations",
            queryset=ServiceAtLocation.objects.select_related("location").prefetch_related(
                "location__addresses"
            ),
        ),
    )


def service_cards(
    services: Iterable[Service], *, today: datetime.date, categories: dict[str, str]
) -> list[ServiceCard]:
    """Cards for services fetched ``with_card_details``: one more query for categories."""
    services = list(services)
    by_service = service_categories([service.pk for service in services], categories)
    cards = []
    for service in services:
        cities = {
            address.city
            for link in service.service_at_locations.all()
            for address in link.location.addresses.all()
            if address.city
        }
        cards.append(
            ServiceCard(
                service=service,
                categories=by_service.get(service.pk, []),
                cities=sorted(cities),
                languages=sorted(
                    {language_name(item.code, item.name) for item in service.languages.all()}
                ),
                free=any(option.amount == 0 for option in service.cost_options.all()),
                stale=is_stale(service, today=today),
            )
        )
    return cards


def service_categories(
    ids: list[uuid.UUID], categories: dict[str, str]
) -> dict[uuid.UUID, list[str]]:
    names: dict[uuid.UUID, set[str]] = defaultdict(set)
    attributes = Attribute.objects.filter(link_id__in=ids).values_list(
        "link_id", "taxonomy_term__code", "taxonomy_term__name"
    )
    for link_id, code, name in attributes:
        names[link_id].add(categories.get(code, name))
    return {key: sorted(value) for key, value in names.items()}


def is_stale(service: Service, *, today: datetime.date) -> bool:
    return service.assured_date is None or service.assured_date < today - STALE_AFTER


def service_detail(user: Any) -> QuerySet[Service]:
    return (
        services_visible_to(user)
        .select_related("organization")
        .prefetch_related(
            "languages",
            "cost_options",
            "phones",
            "schedules",
            "service_areas",
            "required_documents",
            Prefetch(
                "service_at_locations",
                queryset=ServiceAtLocation.objects.select_related("location").order_by(
                    "location__name", "pk"
                ),
            ),
            "service_at_locations__schedules",
            "service_at_locations__location__addresses",
            "service_at_locations__location__phones",
            "service_at_locations__location__schedules",
        )
    )


def sheet_ids(values: Iterable[str]) -> list[uuid.UUID]:
    """The first ``SHEET_LIMIT`` distinct valid ids; anything else is ignored."""
    ids: list[uuid.UUID] = []
    for value in values:
        try:
            parsed = uuid.UUID(value)
        except (ValueError, AttributeError):
            continue
        if parsed not in ids:
            ids.append(parsed)
        if len(ids) == SHEET_LIMIT:
            break
    return ids


def sheet_services(ids: list[uuid.UUID]) -> list[Service]:
    """Public services only, whoever prints: a sheet is handed to people outside."""
    found = {
        service.pk: service
        for service in with_card_details(public_services().filter(pk__in=ids))
        .select_related("organization")
        .prefetch_related(
            "schedules",
            "service_at_locations__location__phones",
            "service_at_locations__schedules",
        )
    }
    return [found[pk] for pk in ids if pk in found]


def location_is_hidden(location: Location, *, user: Any) -> bool:
    return location.is_confidential and not sees_partner_services(user)
