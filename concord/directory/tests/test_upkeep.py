"""The directory's daily upkeep (issue 5): re-verification requests and stale reports,
each sent once."""

import datetime
from typing import Any

import time_machine
from django.core import mail

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.directory.models import ListingReminder, Service
from concord.directory.tasks import directory_upkeep
from concord.directory.tests.factories import OrganizationFactory, ServiceFactory
from tests.tasks import run_queued_tasks

DAY = datetime.datetime(2027, 3, 1, 15, tzinfo=datetime.UTC)


def _run_upkeep(capture: Any) -> dict[str, int]:
    with capture(execute=True):
        counts = directory_upkeep.call()
    run_queued_tasks()
    return counts


@time_machine.travel(DAY, tick=False)
def test_upkeep_asks_once_and_reports_stale_listings_once(
    agency_a: Agency,
    representative: User,
    coordinator: User,
    django_capture_on_commit_callbacks: Any,
) -> None:
    organization = OrganizationFactory(agency=agency_a)
    ServiceFactory(
        organization=organization, name="Due line", assured_date=datetime.date(2026, 8, 1)
    )
    ServiceFactory(
        organization=organization, name="Stale line", assured_date=datetime.date(2025, 1, 2)
    )
    ServiceFactory(
        organization=organization, name="Fresh line", assured_date=datetime.date(2027, 1, 5)
    )
    User.objects.filter(pk=representative.pk).update(language="es")

    first = _run_upkeep(django_capture_on_commit_callbacks)
    second = _run_upkeep(django_capture_on_commit_callbacks)

    assert (first, second) == (
        {"verification_requests": 1, "stale": 1, "stalled_imports": 0},
        {"verification_requests": 0, "stale": 0, "stalled_imports": 0},
    )
    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert sorted(by_recipient) == sorted([representative.email, coordinator.email])
    request = by_recipient[representative.email]
    assert "Due line" in request.body
    assert "Stale line" in request.body
    assert "Fresh line" not in request.body
    assert "Stale line" in by_recipient[coordinator.email].body
    assert "Due line" not in by_recipient[coordinator.email].body


def test_a_listing_verified_again_and_stale_again_is_reported_again(
    agency_a: Agency, coordinator: User, django_capture_on_commit_callbacks: Any
) -> None:
    service = ServiceFactory(
        organization=OrganizationFactory(agency=agency_a), assured_date=datetime.date(2025, 1, 2)
    )
    with time_machine.travel(DAY, tick=False):
        _run_upkeep(django_capture_on_commit_callbacks)
    Service.objects.filter(pk=service.pk).update(assured_date=datetime.date(2027, 3, 2))

    with time_machine.travel(DAY.replace(year=2028, month=4), tick=False):
        counts = _run_upkeep(django_capture_on_commit_callbacks)

    assert counts["stale"] == 1
    assert ListingReminder.objects.filter(service=service).count() == 2
