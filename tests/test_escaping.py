"""SECURITY.md rule 10: whatever people type is shown as text, never run as markup.

Hypothesis writes script payloads, mixed with arbitrary text, into every text field that
a person can edit, then renders every page that shows them.
"""

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import TRANSLATED_FIELDS, Coalition

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "<svg/onload=alert(1)>",
    "javascript:alert(1)",
    "{{ 7|add:7 }}{% now 'Y' %}",
]
payloads = st.builds(
    lambda before, payload, after: f"{before}{payload}{after}",
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
    st.sampled_from(PAYLOADS),
    st.text(alphabet=st.characters(blacklist_categories=["Cs", "Cc"]), max_size=12),
)
FUZZ = settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def assert_shown_as_text(html: str, value: str) -> None:
    for payload in PAYLOADS:
        if payload in value and payload.startswith("<"):
            assert payload not in html
    assert escape(value.strip()) in html or escape(value) in html


@FUZZ
@given(text=payloads)
def test_agency_fields_are_escaped_everywhere(
    text: str, coordinator_client: Client, member_client: Client, agency_a: Agency
) -> None:
    Agency.objects.filter(pk=agency_a.pk).update(
        name=text, street_address=text, service_area=text, phone=text[:30], city=text[:100]
    )
    pages = [
        coordinator_client.get(reverse("agencies:agency-list")),
        member_client.get(reverse("agencies:agency-detail", args=[agency_a.pk])),
        member_client.get(reverse("accounts:dashboard")),
    ]
    for response in pages:
        assert response.status_code == 200
        assert_shown_as_text(response.content.decode(), text)


@FUZZ
@given(text=payloads)
def test_people_fields_are_escaped_everywhere(
    text: str, coordinator_client: Client, member_client: Client, member: User, representative: User
) -> None:
    User.objects.filter(pk=representative.pk).update(full_name=text[:150], job_title=text[:150])
    pages = [
        coordinator_client.get(reverse("accounts:person-list")),
        coordinator_client.get(reverse("accounts:person-detail", args=[representative.pk])),
        member_client.get(reverse("agencies:agency-detail", args=[member.agency_id])),
    ]
    for response in pages:
        assert response.status_code == 200
        assert_shown_as_text(response.content.decode(), text[:150])


@pytest.fixture
def coalition(db: None) -> Coalition:
    return Coalition.objects.create(**DEMO_COALITION)


@FUZZ
@given(text=payloads)
def test_coalition_texts_are_escaped_on_public_pages(
    text: str, client: Client, coalition: Coalition
) -> None:
    fields: dict[str, Any] = dict.fromkeys(TRANSLATED_FIELDS, text)
    fields.update({f"{field}_es": text for field in TRANSLATED_FIELDS})
    fields.update(name=text[:200], short_name=text[:60], hotline_name=text[:120])
    Coalition.objects.filter(pk=coalition.pk).update(**fields)
    for url in ["/", "/about/", "/get-help/", "/membership/", "/es/about/"]:
        response = client.get(url)
        assert response.status_code == 200
        html = response.content.decode()
        for payload in PAYLOADS:
            if payload.startswith("<") and payload in text:
                assert payload not in html
