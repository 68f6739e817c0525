"""The public, read-only HSDS 3.0 API of the service directory (issue 5).

Plain function views returning JSON in the shapes of HSDS's OpenAPI file, as Concord's own
copy of it describes them (``concord.directory.openapi``). Only what anyone may see is
served: active services marked public, and no confidential address (``public=True`` in
``hsds_json`` drops those). Every list costs a fixed number of queries, whatever its size.
"""

import datetime
import itertools
import json
import re
import uuid
from collections.abc import Callable, Iterator
from functools import wraps
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q, QuerySet
from django.http import HttpRequest, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_safe

from concord.directory.hsds_json import (
    Json,
    organizations_json,
    page_json,
    service_at_locations_json,
    services_json,
    taxonomy_json,
    taxonomy_term_json,
)
from concord.directory.models import (
    Attribute,
    Service,
    ServiceAtLocation,
    ServiceStatus,
    Taxonomy,
    TaxonomyTerm,
)
from concord.directory.openapi import (
    DEFAULT_PER_PAGE,
    MAX_PER_PAGE,
    MAX_PROXIMITY_M,
    NDJSON,
    openapi_document,
)
from concord.directory.proximity import locations_within, postcode_centroid
from concord.directory.queries import (
    organizations_for_hsds,
    service_at_locations_for_hsds,
    services_for_hsds,
)
from concord.directory.search import matching_service_ids
from concord.directory.tables import to_hsds

HSDS_VERSION = "3.0"
PROFILE_URL = "https://specs.openreferral.org/en/v3.0/"
# Results a chunk of an ndjson answer reads at once.
_NDJSON_CHUNK = 200

View = Callable[..., HttpResponseBase]


class BadParameterError(Exception):
    """A query parameter the API cannot use: answered 400 with the message."""


def _json(data: Any, *, status: int = 200) -> JsonResponse:
    response = JsonResponse(data, status=status, safe=False)
    # The API is public and read-only, and its answers do not depend on who asks (no
    # session or cookie is read), so any site may read it from a browser. Credentials are
    # never allowed across origins: "*" excludes them.
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _not_found() -> JsonResponse:
    return _json({"error": "No public record has this id."}, status=404)


def api_view(view: View) -> View:
    """GET and HEAD only (others 405); a BadParameterError becomes a 400 JSON answer."""

    # Exempt from CSRF only so that other methods get their honest 405 rather than the
    # CSRF 403: nothing here changes state or reads a session.
    @csrf_exempt
    @require_safe
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except BadParameterError as error:
            return _json({"error": str(error)}, status=400)

    return wrapped


# Query values are read as strictly as Concord's OpenAPI document types them: a value
# that is present must be valid, even if empty, so a client's typo is an error, not an
# unfiltered list.
_WHOLE_NUMBER = re.compile(r"[0-9]+")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")
_RFC3339 = re.compile(r"\d{4}-\d\d-\d\d[Tt]\d\d:\d\d:\d\d(\.\d+)?([Zz]|[+-]\d\d:\d\d)")


def _raw(request: HttpRequest, name: str) -> str | None:
    return request.GET.get(name)


def _text(request: HttpRequest, name: str) -> str:
    # A NUL cannot be stored in a PostgreSQL text value, so it can never match: dropped.
    return request.GET.get(name, "").replace("\x00", "").strip()


def _integer(request: HttpRequest, name: str, *, default: int, maximum: int | None) -> int:
    raw = _raw(request, name)
    if raw is None:
        return default
    if not _WHOLE_NUMBER.fullmatch(raw):
        raise BadParameterError(f"{name} must be a whole number.")
    # Any number of digits is a valid integer; past 18 the page is past the last anyway.
    digits = raw.lstrip("0") or "0"
    value = int(digits) if len(digits) <= 18 else 10**18
    if value < 1 or (maximum is not None and value > maximum):
        limit = f" and at most {maximum}" if maximum is not None else ""
        raise BadParameterError(f"{name} must be at least 1{limit}.")
    return value


def _boolean(request: HttpRequest, name: str) -> bool:
    raw = _raw(request, name)
    if raw is None:
        return False
    if raw not in {"true", "false"}:
        raise BadParameterError(f"{name} must be true or false.")
    return raw == "true"


def _uuid(request: HttpRequest, name: str) -> uuid.UUID | None:
    raw = _raw(request, name)
    if raw is None:
        return None
    if not _UUID.fullmatch(raw):
        raise BadParameterError(f"{name} must be a UUID.")
    return uuid.UUID(raw)


def _datetime(request: HttpRequest, name: str) -> datetime.datetime | None:
    raw = _raw(request, name)
    if raw is None:
        return None
    try:
        if not _RFC3339.fullmatch(raw):
            raise ValueError(raw)
        # In UTC: PostgreSQL refuses offsets past 15:59 that RFC 3339 allows (found by
        # the fuzzer as a server error).
        return datetime.datetime.fromisoformat(raw.upper()).astimezone(datetime.UTC)
    except (ValueError, OverflowError):
        raise BadParameterError(
            f"{name} must be a date and time with its offset (RFC 3339)."
        ) from None


def _paged(
    request: HttpRequest,
    queryset: QuerySet[Any],
    serialize: Callable[[list[Any]], list[Json]],
) -> HttpResponseBase:
    answer_format = _raw(request, "format")
    if answer_format not in {None, "json", "ndjson"}:
        raise BadParameterError("format must be json or ndjson.")
    # Checked even for ndjson, which has no pages: a wrong value is still an error.
    page = _integer(request, "page", default=1, maximum=None)
    per_page = _integer(request, "per_page", default=DEFAULT_PER_PAGE, maximum=MAX_PER_PAGE)
    if answer_format == "ndjson":
        return _ndjson(queryset, serialize)
    return _json(page_json(queryset, page=page, per_page=per_page, serialize=serialize))


def _ndjson(
    queryset: QuerySet[Any], serialize: Callable[[list[Any]], list[Json]]
) -> StreamingHttpResponse:
    """Every result, one JSON object a line, read and sent a chunk at a time, so that
    a whole directory streams in a worker's usual memory."""

    def lines() -> Iterator[str]:
        for start in itertools.count(0, _NDJSON_CHUNK):
            chunk = list(queryset[start : start + _NDJSON_CHUNK])
            for item in serialize(chunk):
                yield json.dumps(item, cls=DjangoJSONEncoder) + "\n"
            if len(chunk) < _NDJSON_CHUNK:
                return

    response = StreamingHttpResponse(lines(), content_type=NDJSON)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _search(queryset: QuerySet[Any], request: HttpRequest, *fields: str) -> QuerySet[Any]:
    """Every word in one of ``fields``, for the short lists (organizations, taxonomies);
    services use the full-text search of the public pages."""
    words = _text(request, "search").split()
    for word in words:
        match = Q()
        for field in fields:
            match |= Q(**{f"{field}__icontains": word})
        queryset = queryset.filter(match)
    return queryset


def _public_services(*, full: bool) -> QuerySet[Service]:
    return services_for_hsds(public=True, full=full, active_only=True)


def _public_links(*, full: bool) -> QuerySet[ServiceAtLocation]:
    return service_at_locations_for_hsds(public=True, full=full).filter(
        service__status=ServiceStatus.ACTIVE
    )


def _service_filters(queryset: QuerySet[Any], request: HttpRequest, prefix: str) -> QuerySet[Any]:
    """The filters services and services at locations share; ``prefix`` leads to the service."""
    matching = matching_service_ids(_text(request, "search"))
    if matching is not None:
        queryset = queryset.filter(**{f"{prefix}id__in": matching})
    term_id = _uuid(request, "taxonomy_term_id")
    if term_id is not None:
        linked = Attribute.objects.filter(taxonomy_term_id=term_id).values("link_id")
        queryset = queryset.filter(**{f"{prefix}id__in": linked})
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id is not None:
        in_taxonomy = Attribute.objects.filter(taxonomy_term__taxonomy_detail_id=taxonomy_id)
        queryset = queryset.filter(**{f"{prefix}id__in": in_taxonomy.values("link_id")})
    organization_id = _uuid(request, "organization_id")
    if organization_id is not None:
        queryset = queryset.filter(**{f"{prefix}organization_id": organization_id})
    modified_after = _datetime(request, "modified_after")
    if modified_after is not None:
        queryset = queryset.filter(**{f"{prefix}last_modified__gte": modified_after})
    return queryset


def _one(queryset: QuerySet[Any], pk: str) -> Any:
    """The record with this id, or None for an id that is not even a UUID."""
    if not _UUID.fullmatch(pk):
        return None
    return queryset.filter(pk=uuid.UUID(pk)).first()


@api_view
def api_root(request: HttpRequest) -> HttpResponseBase:
    return _json(
        {
            "version": HSDS_VERSION,
            "profile": PROFILE_URL,
            "openapi_url": settings.SITE_URL + reverse("hsds:openapi"),
        }
    )


@api_view
def openapi(request: HttpRequest) -> HttpResponseBase:
    server_url = settings.SITE_URL + reverse("hsds:root").rstrip("/")
    return _json(openapi_document(server_url=server_url, version=HSDS_VERSION))


@api_view
def service_list(request: HttpRequest) -> HttpResponseBase:
    minimal = _boolean(request, "minimal")
    full = _boolean(request, "full") and not minimal
    services = _service_filters(_public_services(full=full), request, prefix="")

    def serialize(page: list[Service]) -> list[Json]:
        if minimal:
            return [_minimal_service(service) for service in page]
        return services_json(page, public=True, full=full)

    return _paged(request, services, serialize)


def _minimal_service(service: Service) -> Json:
    # HSDS's "just id and modified date"; name and status keep it a valid service.
    out: Json = {"id": str(service.id), "name": service.name, "status": service.status}
    if service.last_modified is not None:
        out["last_modified"] = to_hsds(service.last_modified)
    return out


@api_view
def service_detail(request: HttpRequest, pk: str) -> HttpResponseBase:
    service = _one(_public_services(full=True), pk)
    if service is None:
        return _not_found()
    return _json(services_json([service], public=True)[0])


@api_view
def organization_list(request: HttpRequest) -> HttpResponseBase:
    full = _boolean(request, "full") or _boolean(request, "full_service")
    organizations = _search(
        organizations_for_hsds(public=True, full=full, active_only=True).order_by("name", "pk"),
        request,
        "name",
        "description",
    )
    return _paged(
        request,
        organizations,
        lambda page: organizations_json(page, public=True, full=full),
    )


@api_view
def organization_detail(request: HttpRequest, pk: str) -> HttpResponseBase:
    organization = _one(organizations_for_hsds(public=True, active_only=True), pk)
    if organization is None:
        return _not_found()
    return _json(organizations_json([organization], public=True)[0])


@api_view
def service_at_location_list(request: HttpRequest) -> HttpResponseBase:
    full = _boolean(request, "full")
    links = _service_filters(_public_links(full=full), request, prefix="service__")
    postcode = _text(request, "postcode")
    metres = _integer(request, "proximity", default=0, maximum=MAX_PROXIMITY_M)
    if metres:
        # Near a postcode's centroid; without a postcode there is nothing to be near.
        centre = postcode_centroid(postcode) if postcode else None
        near = locations_within(centre, metres) if centre is not None else []
        links = links.filter(location_id__in=near)
    elif postcode:
        # Only addresses that are published: a confidential one must not be found either.
        links = links.filter(
            location__is_confidential=False,
            location__addresses__postal_code__iexact=postcode,
        ).distinct()
    return _paged(
        request, links, lambda page: service_at_locations_json(page, public=True, full=full)
    )


@api_view
def service_at_location_detail(request: HttpRequest, pk: str) -> HttpResponseBase:
    link = _one(_public_links(full=True), pk)
    if link is None:
        return _not_found()
    return _json(service_at_locations_json([link], public=True)[0])


@api_view
def taxonomy_list(request: HttpRequest) -> HttpResponseBase:
    taxonomies = _search(Taxonomy.objects.order_by("name", "pk"), request, "name", "description")
    return _paged(request, taxonomies, lambda page: [taxonomy_json(item) for item in page])


@api_view
def taxonomy_detail(request: HttpRequest, pk: str) -> HttpResponseBase:
    taxonomy = _one(Taxonomy.objects.all(), pk)
    if taxonomy is None:
        return _not_found()
    return _json(taxonomy_json(taxonomy))


@api_view
def taxonomy_term_list(request: HttpRequest) -> HttpResponseBase:
    terms = _search(
        TaxonomyTerm.objects.select_related("taxonomy_detail").order_by("name", "pk"),
        request,
        "name",
        "description",
        "code",
    )
    taxonomy_id = _uuid(request, "taxonomy_id")
    if taxonomy_id is not None:
        terms = terms.filter(taxonomy_detail_id=taxonomy_id)
    parent_id = _uuid(request, "parent_id")
    if parent_id is not None:
        terms = terms.filter(parent_id=parent_id)
    # HSDS's file says "terms that have no child terms", but the parameter's name means
    # the top of the tree: terms without a parent.
    if _boolean(request, "top_only"):
        terms = terms.filter(parent__isnull=True)
    return _paged(request, terms, lambda page: [taxonomy_term_json(item) for item in page])


@api_view
def taxonomy_term_detail(request: HttpRequest, pk: str) -> HttpResponseBase:
    term = _one(TaxonomyTerm.objects.select_related("taxonomy_detail"), pk)
    if term is None:
        return _not_found()
    return _json(taxonomy_term_json(term))
