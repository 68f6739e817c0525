"""Every URL pattern Django has registered is a page of the accessibility sweep or is
skipped with a reason (tests/pages.py), so a new page cannot escape the sweep."""

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret
from django.test import Client
from django.urls import NoReverseMatch, Resolver404, resolve

from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition
from concord.core.permissions import requires_mfa
from conftest import sign_in
from tests.pages import (
    AFTER_REAUTHENTICATION,
    ANONYMOUS,
    DIRECT,
    DURING_SIGN_IN,
    EVERYONE,
    MEMBER,
    PAGES,
    SKIPPED,
    SKIPPED_NAMESPACES,
    STATUS_PAGES,
)
from tests.urls import Route, all_routes

PAGE_NAMES = {page.name for page in PAGES}
SKIPPED_NAMES = {skip.name for skip in SKIPPED}


def _namespace(route: Route) -> str:
    return route.name.split(":", 1)[0] if ":" in route.name else ""


def _concord_routes() -> list[Route]:
    return [route for route in all_routes() if _namespace(route) not in SKIPPED_NAMESPACES]


def test_every_url_pattern_is_a_swept_page_or_skipped_with_a_reason() -> None:
    missing = [
        f"{route.name or '(unnamed)'} at {route.pattern}"
        for route in _concord_routes()
        if route.name not in PAGE_NAMES | SKIPPED_NAMES
    ]

    assert missing == [], (
        "Add these URL patterns to PAGES in tests/pages.py (the accessibility sweep visits "
        "them), or to SKIPPED with the reason they are not pages"
    )


def test_page_lists_name_only_url_patterns_that_exist() -> None:
    registered = {route.name for route in _concord_routes()}

    assert sorted((PAGE_NAMES | SKIPPED_NAMES) - registered) == []


def test_no_url_pattern_is_both_a_page_and_skipped() -> None:
    assert sorted(PAGE_NAMES & SKIPPED_NAMES) == []
    assert len(PAGE_NAMES) == len(PAGES)
    assert len(SKIPPED_NAMES) == len(SKIPPED)


def test_every_skip_gives_a_reason() -> None:
    reasons = [skip.reason for skip in SKIPPED] + list(SKIPPED_NAMESPACES.values())

    assert all(len(reason) > 20 for reason in reasons)


def test_every_page_has_an_audience_and_a_way_to_reach_it() -> None:
    for page in PAGES:
        assert page.audience, page.name
        assert page.audience <= EVERYONE, page.name
        assert page.reached in {DIRECT, DURING_SIGN_IN, AFTER_REAUTHENTICATION}, page.name


def test_every_page_names_all_arguments_of_its_url() -> None:
    routes = {route.name: route for route in _concord_routes()}

    for page in PAGES:
        assert set(page.kwargs) == routes[page.name].params, page.name


def test_pages_without_fixtures_reverse_in_both_languages() -> None:
    for page in PAGES:
        if page.fixtures:
            continue
        try:
            english, spanish = page.url(language="en"), page.url(language="es")
        except NoReverseMatch as error:
            raise AssertionError(f"{page.name}: {error}") from error
        assert spanish == "/es" + english, page.name


def test_error_pages_are_swept_in_the_site_layout() -> None:
    statuses = {(page.persona, page.status) for page in STATUS_PAGES}
    not_found = [page.path for page in STATUS_PAGES if page.persona == ANONYMOUS]

    assert {(ANONYMOUS, 404), (MEMBER, 403)} <= statuses
    for path in not_found:
        with pytest.raises(Resolver404):
            resolve(path)


@pytest.mark.parametrize("persona", sorted(EVERYONE))
def test_each_page_renders_for_its_audience_and_no_one_else(
    persona: str, request: pytest.FixtureRequest, db: None
) -> None:
    Coalition.objects.create(**DEMO_COALITION)
    client = Client()
    if persona != ANONYMOUS:
        user = request.getfixturevalue(persona)
        if requires_mfa(user):
            TOTP.activate(user, generate_totp_secret())
        sign_in(client, user)
    wrong = {}
    for page in PAGES:
        if page.reached != DIRECT:
            continue
        status = client.get(page.url(request.getfixturevalue)).status_code
        if (status == 200) != (persona in page.audience):
            wrong[page.name] = status

    assert wrong == {}
