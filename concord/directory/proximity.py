"""HSDS's `proximity` filter: services at locations within some metres of the centroid of
a postcode. With no postcode gazetteer on hand, the centroid is that of the directory's own
published locations in the postcode.

Confidential locations never count, neither for the centroid nor as a match: answers to
a few well-chosen distances would otherwise place a shelter on the map."""

import math
import uuid

from django.db import models
from django.db.models import Avg

from concord.directory.models import Location

EARTH_RADIUS_M = 6_371_000.0
_METRES_PER_DEGREE = math.pi * EARTH_RADIUS_M / 180


def distance_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    """The great-circle distance between two (latitude, longitude) points, in metres."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def _published() -> models.QuerySet[Location]:
    return Location.objects.filter(
        is_confidential=False, latitude__isnull=False, longitude__isnull=False
    )


def postcode_centroid(postcode: str) -> tuple[float, float] | None:
    found = (
        _published()
        .filter(addresses__postal_code__iexact=postcode)
        .aggregate(latitude=Avg("latitude"), longitude=Avg("longitude"))
    )
    if found["latitude"] is None or found["longitude"] is None:
        return None
    return found["latitude"], found["longitude"]


def locations_within(centre: tuple[float, float], metres: int) -> list[uuid.UUID]:
    """Published locations within ``metres`` of ``centre``: a bounding box in the
    database, then the exact distance."""
    latitude, longitude = centre
    dlat = metres / _METRES_PER_DEGREE
    dlon = metres / (_METRES_PER_DEGREE * max(math.cos(math.radians(latitude)), 1e-6))
    candidates = _published().filter(
        latitude__range=(latitude - dlat, latitude + dlat),
        longitude__range=(longitude - dlon, longitude + dlon),
    )
    return [
        pk
        for pk, lat, lon in candidates.values_list("pk", "latitude", "longitude")
        if lat is not None and lon is not None and distance_m(centre, (lat, lon)) <= metres
    ]
