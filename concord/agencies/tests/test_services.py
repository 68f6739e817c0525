import pytest
from django.core.exceptions import ValidationError

from concord.accounts.models import User
from concord.agencies import services
from concord.agencies.models import Agency, AgencyStatus, Sector
from concord.audit.models import AuditEvent


def test_create_agency_saves_and_audits(coordinator: User) -> None:
    agency = services.create_agency(
        actor=coordinator,
        values={"name": "New Hope", "sector": Sector.HEALTH_CARE, "city": "Antioch"},
    )

    assert Agency.objects.get(pk=agency.pk).city == "Antioch"
    assert AuditEvent.objects.filter(action="concord.agency.created", agency=agency).count() == 1


def test_update_agency_records_only_the_changed_field_names(
    coordinator: User, agency_a: Agency
) -> None:
    services.update_agency(
        actor=coordinator, agency=agency_a, values={"name": "Agency A", "city": "Brentwood"}
    )

    event = AuditEvent.objects.get(action="concord.agency.updated")
    assert event.data == {"fields": ["city"]}


def test_update_without_changes_records_nothing(coordinator: User, agency_a: Agency) -> None:
    services.update_agency(actor=coordinator, agency=agency_a, values={"name": agency_a.name})

    assert not AuditEvent.objects.filter(action="concord.agency.updated").exists()


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (AgencyStatus.ACTIVE, AgencyStatus.LAPSED),
        (AgencyStatus.LAPSED, AgencyStatus.ACTIVE),
        (AgencyStatus.ACTIVE, AgencyStatus.WITHDRAWN),
        (AgencyStatus.WITHDRAWN, AgencyStatus.ACTIVE),
    ],
)
def test_allowed_status_changes(coordinator: User, agency_a: Agency, start: str, to: str) -> None:
    Agency.objects.filter(pk=agency_a.pk).update(status=start)

    services.change_agency_status(actor=coordinator, agency=agency_a, status=to)

    agency_a.refresh_from_db()
    assert agency_a.status == to
    assert AuditEvent.objects.get(action="concord.agency.status_changed").data == {
        "from": start,
        "to": to,
    }


@pytest.mark.parametrize(
    ("start", "to"),
    [
        (AgencyStatus.WITHDRAWN, AgencyStatus.LAPSED),
        (AgencyStatus.ACTIVE, AgencyStatus.ACTIVE),
        (AgencyStatus.ACTIVE, "bogus"),
    ],
)
def test_refused_status_changes_change_nothing(
    coordinator: User, agency_a: Agency, start: str, to: str
) -> None:
    Agency.objects.filter(pk=agency_a.pk).update(status=start)

    with pytest.raises(ValidationError):
        services.change_agency_status(actor=coordinator, agency=agency_a, status=to)

    agency_a.refresh_from_db()
    assert agency_a.status == start
    assert not AuditEvent.objects.exists()
