import random

import pytest
from django.utils import translation

from concord.agencies.demo import seed as seed_agencies
from concord.directory import demo
from concord.directory.models import Location, Organization, Service, TaxonomyTerm, Visibility
from concord.directory.search import category_names

pytestmark = pytest.mark.django_db


def _seed(scale: int = 1) -> list[str]:
    return list(demo.seed(scale=scale, rng=random.Random(2026)))


def test_demo_loads_the_default_categories_in_english_and_spanish() -> None:
    _seed()

    assert len(category_names("en")) == 16
    assert category_names("es")["emergency-shelter"] == "Refugio de emergencia"
    assert category_names("en")["legal-immigration"] == "Legal: immigration and T/U visas"
    assert TaxonomyTerm.objects.filter(language="es").count() == 16


def test_demo_services_cover_what_the_pages_show() -> None:
    seed_agencies(scale=1, rng=random.Random(2026))
    _seed()

    assert Service.objects.count() == demo.SERVICES_PER_SCALE
    assert Service.objects.filter(visibility=Visibility.PARTNERS).exists()
    assert Location.objects.filter(is_confidential=True).exists()
    assert Organization.objects.exclude(agency=None).count() == 8


def test_demo_is_idempotent_and_grows_with_the_scale() -> None:
    _seed()
    first = list(Service.objects.order_by("pk").values_list("pk", "name"))

    assert _seed() == []
    assert list(Service.objects.order_by("pk").values_list("pk", "name")) == first
    _seed(scale=2)
    assert Service.objects.count() == 2 * demo.SERVICES_PER_SCALE


def test_demo_services_are_found_by_spanish_words(client: object) -> None:
    _seed()

    with translation.override("es"):
        response = client.get("/es/services/?q=refugio")  # type: ignore[attr-defined]

    assert b"Emergency shelter" in response.content
