import datetime
import zoneinfo
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest
import time_machine
from django.core import mail
from django_tasks_db.models import DBTaskResult

from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import CoordinatorFactory, UserFactory
from concord.agencies.models import Agency, AgencyStatus
from concord.agencies.tests.factories import AgencyFactory
from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition
from concord.meetings.models import Meeting, MeetingStatus
from concord.membership.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    DueWarning,
    MembershipTerm,
    ReviewComment,
    StatusChange,
)
from concord.membership.services import review, upkeep
from concord.membership.tests.factories import ApplicationFactory, DraftFactory
from tests.tasks import run_queued_tasks

Capture = Callable[..., AbstractContextManager[Any]]
LOCAL = zoneinfo.ZoneInfo("America/Los_Angeles")
TODAY = datetime.date(2027, 3, 1)
NOW = datetime.datetime(2027, 3, 1, 7, 0, tzinfo=LOCAL)


def coalition_meeting(day: datetime.date) -> Meeting:
    start = datetime.datetime.combine(day, datetime.time(9), tzinfo=LOCAL)
    return Meeting.objects.create(
        title="Coalition meeting", starts_at=start, ends_at=start + datetime.timedelta(hours=1)
    )


def term_for(agency: Agency, ends_on: datetime.date, **fields: Any) -> MembershipTerm:
    return MembershipTerm.objects.create(
        agency=agency, starts_on=ends_on - datetime.timedelta(days=364), ends_on=ends_on, **fields
    )


# Following moved and cancelled meetings.


@pytest.mark.django_db
def test_retargeting_follows_a_moved_meeting_and_leaves_decided_applications() -> None:
    meeting = coalition_meeting(datetime.date(2027, 4, 27))
    waiting = ApplicationFactory(meeting=meeting, decide_by=datetime.date(2027, 4, 20))
    decided = ApplicationFactory(
        status=ApplicationStatus.ACCEPTED, meeting=meeting, decide_by=datetime.date(2027, 4, 20)
    )
    two_days = datetime.timedelta(days=2)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=meeting.starts_at + two_days, ends_at=meeting.ends_at + two_days
    )

    assert upkeep.retarget_applications(now=NOW) == 1
    assert upkeep.retarget_applications(now=NOW) == 0

    waiting.refresh_from_db()
    decided.refresh_from_db()
    assert waiting.decide_by == datetime.date(2027, 4, 22)
    assert decided.decide_by == datetime.date(2027, 4, 20)


@pytest.mark.django_db
def test_retargeting_sends_applications_of_a_cancelled_meeting_to_the_next_one() -> None:
    cancelled = coalition_meeting(datetime.date(2027, 4, 27))
    july = coalition_meeting(datetime.date(2027, 7, 27))
    application = ApplicationFactory(
        meeting=cancelled, decide_by=datetime.date(2027, 4, 20), confirmed_at=NOW
    )
    Meeting.objects.filter(pk=cancelled.pk).update(status=MeetingStatus.CANCELLED)

    upkeep.retarget_applications(now=NOW)

    application.refresh_from_db()
    assert application.meeting == july
    assert application.decide_by == datetime.date(2027, 7, 20)


@pytest.mark.django_db
def test_an_application_confirmed_before_any_meeting_existed_gets_one_later() -> None:
    application = ApplicationFactory(meeting=None, decide_by=None, confirmed_at=NOW)
    assert upkeep.retarget_applications(now=NOW) == 0

    april = coalition_meeting(datetime.date(2027, 4, 27))
    upkeep.retarget_applications(now=NOW)

    application.refresh_from_db()
    assert (application.meeting, application.decide_by) == (april, datetime.date(2027, 4, 20))


# Warning coordinators.


@pytest.mark.django_db
def test_coordinators_are_warned_once_about_applications_due_within_a_week(
    coordinator: User,
) -> None:
    CoordinatorFactory(is_active=False)
    due = ApplicationFactory(decide_by=TODAY + datetime.timedelta(days=7))
    overdue = ApplicationFactory(decide_by=TODAY - datetime.timedelta(days=1))
    ApplicationFactory(decide_by=TODAY + datetime.timedelta(days=8))
    ApplicationFactory(status=ApplicationStatus.ACCEPTED, decide_by=TODAY)

    assert upkeep.queue_due_warnings(today=TODAY) == 2
    assert upkeep.queue_due_warnings(today=TODAY) == 0

    warned = set(DueWarning.objects.values_list("application_id", "person_id"))
    assert warned == {(due.pk, coordinator.pk), (overdue.pk, coordinator.pk)}


@pytest.mark.django_db
def test_a_new_decide_by_date_warns_again(coordinator: User) -> None:
    application = ApplicationFactory(decide_by=TODAY + datetime.timedelta(days=3))
    upkeep.queue_due_warnings(today=TODAY)

    Application.objects.filter(pk=application.pk).update(decide_by=TODAY + datetime.timedelta(5))

    assert upkeep.queue_due_warnings(today=TODAY) == 1


@pytest.mark.django_db
def test_the_warning_emails_are_queued_once_the_transaction_commits(
    coordinator: User,
    mailoutbox: list[mail.EmailMessage],
    django_capture_on_commit_callbacks: Capture,
) -> None:
    ApplicationFactory(decide_by=TODAY)

    with django_capture_on_commit_callbacks() as callbacks:
        upkeep.queue_due_warnings(today=TODAY)
    queued_before_commit = DBTaskResult.objects.count()
    for callback in callbacks:
        callback()
    run_queued_tasks()

    assert queued_before_commit == 0
    assert [message.to for message in mailoutbox] == [[coordinator.email]]


# Renewal notices.


@pytest.mark.django_db
def test_renewal_notices_go_thirty_days_before_the_term_ends_and_only_once(
    mailoutbox: list[mail.EmailMessage], django_capture_on_commit_callbacks: Capture
) -> None:
    ending = AgencyFactory(name="Ending")
    primary = UserFactory(agency=ending, agency_role=AgencyRole.PRIMARY)
    term = term_for(ending, TODAY + datetime.timedelta(days=30))
    term_for(AgencyFactory(name="Later"), TODAY + datetime.timedelta(days=31))
    term_for(AgencyFactory(name="Gone", status=AgencyStatus.WITHDRAWN), TODAY)
    renewed = AgencyFactory(name="Renewed")
    term_for(renewed, TODAY + datetime.timedelta(days=10))
    term_for(renewed, TODAY + datetime.timedelta(days=375))
    renewing = AgencyFactory(name="Renewing")
    term_for(renewing, TODAY + datetime.timedelta(days=10))
    ApplicationFactory(kind=ApplicationKind.RENEWAL, agency=renewing)

    with time_machine.travel(NOW, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            assert upkeep.queue_renewal_notices(today=TODAY) == 1
            assert upkeep.queue_renewal_notices(today=TODAY) == 0
        run_queued_tasks()

    term.refresh_from_db()
    assert term.renewal_notice_sent_at == NOW
    assert [message.to for message in mailoutbox] == [[primary.email]]


# Lapsing.


@pytest.mark.django_db
def test_agencies_whose_last_term_ended_lapse() -> None:
    ended = AgencyFactory(name="Ended")
    term_for(ended, TODAY - datetime.timedelta(days=1))
    current = AgencyFactory(name="Current")
    term_for(current, TODAY)
    renewed = AgencyFactory(name="Renewed")
    term_for(renewed, TODAY - datetime.timedelta(days=1))
    term_for(renewed, TODAY + datetime.timedelta(days=364))
    waiting = AgencyFactory(name="Waiting")
    term_for(waiting, TODAY - datetime.timedelta(days=1))
    ApplicationFactory(kind=ApplicationKind.RENEWAL, agency=waiting)
    AgencyFactory(name="Set up by hand")

    assert upkeep.lapse_ended_memberships(today=TODAY) == [ended.pk]
    assert upkeep.lapse_ended_memberships(today=TODAY) == []

    statuses = dict(Agency.objects.values_list("name", "status"))
    assert statuses == {
        "Ended": AgencyStatus.LAPSED,
        "Current": AgencyStatus.ACTIVE,
        "Renewed": AgencyStatus.ACTIVE,
        "Waiting": AgencyStatus.ACTIVE,
        "Set up by hand": AgencyStatus.ACTIVE,
    }


@pytest.mark.django_db
def test_the_current_term_is_the_one_running_today(agency_a: Agency) -> None:
    old = term_for(agency_a, TODAY - datetime.timedelta(days=1))
    running = term_for(agency_a, TODAY + datetime.timedelta(days=364))

    assert upkeep.current_term(agency_a, TODAY) == running
    assert upkeep.current_term(agency_a, TODAY - datetime.timedelta(days=1)) == old
    assert upkeep.current_term(agency_a, TODAY + datetime.timedelta(days=365)) is None


# Erasing.


def _declined_at(moment: datetime.datetime, coordinator: User, **fields: Any) -> Application:
    with time_machine.travel(moment, tick=False):
        application = ApplicationFactory(**fields)
        review.add_comment(
            actor=coordinator, application=application, text="Reviewer note", recommendation=""
        )
        return review.decline_application(
            actor=coordinator, application=application, reason="Outside our county."
        )


@pytest.mark.django_db
def test_personal_data_of_old_declined_and_withdrawn_applications_is_erased(
    coordinator: User,
) -> None:
    old = _declined_at(NOW - datetime.timedelta(days=370), coordinator, legal_name="Old Shelter")
    recent = _declined_at(NOW - datetime.timedelta(days=300), coordinator)
    with time_machine.travel(NOW - datetime.timedelta(days=400), tick=False):
        withdrawn = ApplicationFactory(status=ApplicationStatus.WITHDRAWN)
        accepted = ApplicationFactory(status=ApplicationStatus.ACCEPTED)

    with time_machine.travel(NOW, tick=False):
        assert upkeep.erase_old_applications(today=TODAY) == 2
        assert upkeep.erase_old_applications(today=TODAY) == 0

    old.refresh_from_db()
    assert old.erased_at == NOW
    assert (old.status, old.sector, old.kind) == (
        ApplicationStatus.DECLINED,
        "victim_services",
        "new",
    )
    assert [old.contact_email, old.primary_name, old.primary_email, old.legal_name] == [""] * 4
    assert [old.alternate_phone, old.signature_name, old.decision_reason] == [""] * 3
    assert set(old.value_statements.values_list("value", "practice")) == {("", "")}
    assert ReviewComment.objects.get(application=old).text == ""
    assert set(StatusChange.objects.filter(application=old).values_list("reason", flat=True)) == {
        ""
    }
    for kept in (recent, accepted):
        kept.refresh_from_db()
        assert kept.erased_at is None
        assert kept.primary_name != ""
    withdrawn.refresh_from_db()
    assert withdrawn.erased_at == NOW
    # The figures still count them.
    assert Application.objects.filter(status=ApplicationStatus.DECLINED).count() == 2


@pytest.mark.django_db
def test_the_retention_period_comes_from_the_coalitions_settings(coordinator: User) -> None:
    Coalition.objects.create(**DEMO_COALITION, application_retention_months=6)
    application = _declined_at(NOW - datetime.timedelta(days=200), coordinator)

    with time_machine.travel(NOW, tick=False):
        upkeep.erase_old_applications(today=TODAY)

    application.refresh_from_db()
    assert application.is_erased


@pytest.mark.django_db
def test_abandoned_drafts_are_deleted() -> None:
    with time_machine.travel(NOW - datetime.timedelta(days=91), tick=False):
        abandoned = DraftFactory()
    with time_machine.travel(NOW - datetime.timedelta(days=10), tick=False):
        fresh = DraftFactory()

    with time_machine.travel(NOW, tick=False):
        assert upkeep.erase_old_applications(today=TODAY) == 1

    assert list(Application.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert not Application.objects.filter(pk=abandoned.pk).exists()


@pytest.mark.django_db
def test_an_applicant_whose_date_changes_is_told_the_new_one(
    django_capture_on_commit_callbacks: Capture, settings: Any
) -> None:
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Coalition.objects.create(**DEMO_COALITION)
    cancelled = coalition_meeting(datetime.date(2027, 4, 27))
    coalition_meeting(datetime.date(2027, 7, 27))
    application = ApplicationFactory(
        meeting=cancelled, decide_by=datetime.date(2027, 4, 20), confirmed_at=NOW
    )
    undated = ApplicationFactory(meeting=None, decide_by=None, confirmed_at=NOW)
    decided = ApplicationFactory(
        status=ApplicationStatus.DECLINED, meeting=cancelled, decide_by=datetime.date(2027, 4, 20)
    )
    Meeting.objects.filter(pk=cancelled.pk).update(status=MeetingStatus.CANCELLED)

    with django_capture_on_commit_callbacks(execute=True):
        upkeep.retarget_applications(now=NOW)
    run_queued_tasks()

    # The applicant who had no date yet gets one too; a decided one hears nothing.
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([application.contact_email, undated.contact_email])
    assert decided.contact_email not in recipients
    [told] = [m for m in mail.outbox if m.to == [application.contact_email]]
    assert application.reference in told.subject
    assert "July 26, 2027" in told.body
