import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency, AgencyStatus
from concord.agencies.tests.factories import AgencyFactory
from concord.audit.models import AuditEvent
from concord.meetings.models import Attendance, Committee, Meeting


def _started(committee: Committee | None = None, *, minutes_ago: int = 30) -> Meeting:
    now = timezone.now()
    return Meeting.objects.create(
        committee=committee,
        title="Meeting under way",
        starts_at=now - datetime.timedelta(minutes=minutes_ago),
        ends_at=now + datetime.timedelta(minutes=60),
    )


def _url(meeting: Meeting) -> str:
    return reverse("meetings:attendance-record", args=[meeting.pk])


def _all(meeting: Meeting, people: list[User], status: str) -> dict[str, str]:
    return {f"person_{person.pk}": status for person in people}


def _recorded(meeting: Meeting) -> dict[int, str]:
    return dict(Attendance.objects.filter(meeting=meeting).values_list("person_id", "status"))


def test_chair_records_attendance_of_the_committee_members(
    representative: User, member: User, representative_client: Client, committee: Committee
) -> None:
    meeting = _started(committee)

    response = representative_client.post(
        _url(meeting),
        {f"person_{representative.pk}": "present", f"person_{member.pk}": "excused"},
    )

    assert response.status_code == 302
    assert _recorded(meeting) == {representative.pk: "present", member.pk: "excused"}
    assert (
        AuditEvent.objects.filter(
            action="concord.meeting.attendance_recorded", object_id=str(meeting.pk)
        ).count()
        == 1
    )


def test_resubmitting_updates_the_one_row_per_person(
    representative: User, member: User, representative_client: Client, committee: Committee
) -> None:
    meeting = _started(committee)
    representative_client.post(
        _url(meeting),
        {f"person_{representative.pk}": "present", f"person_{member.pk}": "absent"},
    )

    representative_client.post(
        _url(meeting),
        {f"person_{representative.pk}": "present", f"person_{member.pk}": "present"},
    )

    assert Attendance.objects.filter(meeting=meeting).count() == 2
    assert _recorded(meeting) == {representative.pk: "present", member.pk: "present"}


def test_form_starts_from_what_was_recorded(
    member: User, representative_client: Client, committee: Committee
) -> None:
    meeting = _started(committee)
    Attendance.objects.create(meeting=meeting, person=member, status="excused")

    response = representative_client.get(_url(meeting))

    assert response.context["form"][f"person_{member.pk}"].initial == "excused"


def test_a_missing_or_unknown_status_saves_nothing(
    representative: User, member: User, representative_client: Client, committee: Committee
) -> None:
    meeting = _started(committee)

    response = representative_client.post(
        _url(meeting), {f"person_{representative.pk}": "present", f"person_{member.pk}": "late"}
    )

    assert response.status_code == 200
    assert f"person_{member.pk}" in response.context["form"].errors
    assert _recorded(meeting) == {}


def test_attendance_cannot_be_recorded_before_the_meeting_starts(
    representative: User, member: User, representative_client: Client, committee_meeting: Meeting
) -> None:
    response = representative_client.post(
        _url(committee_meeting),
        {f"person_{representative.pk}": "present", f"person_{member.pk}": "present"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Attendance can be recorded once the meeting has started."
    ]
    assert _recorded(committee_meeting) == {}


def test_people_outside_the_invitee_list_are_not_recorded(
    representative: User,
    member: User,
    outsider: User,
    representative_client: Client,
    committee: Committee,
) -> None:
    meeting = _started(committee)

    representative_client.post(
        _url(meeting),
        {
            f"person_{representative.pk}": "present",
            f"person_{member.pk}": "present",
            f"person_{outsider.pk}": "present",
        },
    )

    assert _recorded(meeting) == {representative.pk: "present", member.pk: "present"}


def test_a_plain_committee_member_may_not_record(
    member_client: Client, committee: Committee
) -> None:
    meeting = _started(committee)

    assert member_client.get(_url(meeting)).status_code == 403


def test_outsider_may_not_record_and_sees_no_names(
    outsider_client: Client, member: User, committee: Committee
) -> None:
    meeting = _started(committee)
    Attendance.objects.create(meeting=meeting, person=member, status="present")

    response = outsider_client.get(_url(meeting))

    assert response.status_code == 403
    assert member.full_name.encode() not in response.content


def test_a_chair_may_not_record_coalition_meetings(representative_client: Client) -> None:
    meeting = _started()

    assert representative_client.get(_url(meeting)).status_code == 403


@pytest.fixture
def sixty_invitees(db: None) -> list[User]:
    agencies = [AgencyFactory(status=AgencyStatus.ACTIVE) for _ in range(6)]
    return [UserFactory(agency=agencies[number % 6]) for number in range(60)]


def test_recording_runs_a_fixed_number_of_queries_for_sixty_invitees(
    coordinator: User,
    coordinator_client: Client,
    sixty_invitees: list[User],
    django_assert_max_num_queries: object,
) -> None:
    meeting = _started()
    invited = [*sixty_invitees, coordinator]
    data = _all(meeting, invited, "present")

    with django_assert_max_num_queries(14):  # type: ignore[operator]
        page = coordinator_client.get(_url(meeting))
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        saved = coordinator_client.post(_url(meeting), data)
    with django_assert_max_num_queries(14):  # type: ignore[operator]
        coordinator_client.post(_url(meeting), data | {f"person_{invited[0].pk}": "absent"})

    assert page.status_code == 200
    assert saved.status_code == 302
    assert Attendance.objects.filter(meeting=meeting, status="present").count() == 60
    assert Attendance.objects.filter(meeting=meeting, status="absent").count() == 1


def test_coalition_invitees_leave_out_people_of_withdrawn_agencies(
    coordinator_client: Client, sixty_invitees: list[User]
) -> None:
    meeting = _started()
    former = UserFactory(agency=AgencyFactory(status=AgencyStatus.WITHDRAWN))

    response = coordinator_client.get(_url(meeting))

    assert f"person_{sixty_invitees[0].pk}" in response.context["form"].fields
    assert f"person_{former.pk}" not in response.context["form"].fields


def test_agency_name_is_shown_with_each_person(
    coordinator_client: Client, member: User, agency_a: Agency
) -> None:
    meeting = _started()

    response = coordinator_client.get(_url(meeting))

    assert response.context["form"][f"person_{member.pk}"].label == "Marco A (Agency A)"


def test_a_cancelled_meeting_takes_no_attendance(
    representative: User, member: User, representative_client: Client, committee: Committee
) -> None:
    meeting = _started(committee)
    Meeting.objects.filter(pk=meeting.pk).update(status="cancelled")

    response = representative_client.post(
        _url(meeting),
        {f"person_{representative.pk}": "present", f"person_{member.pk}": "present"},
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["This meeting was cancelled."]
    assert _recorded(meeting) == {}


def test_a_changed_status_is_no_longer_a_self_check_in(
    member: User, representative: User, representative_client: Client, committee: Committee
) -> None:
    meeting = _started(committee)
    Attendance.objects.create(meeting=meeting, person=member, status="present", checked_in=True)

    representative_client.post(
        _url(meeting),
        {f"person_{representative.pk}": "present", f"person_{member.pk}": "excused"},
    )

    assert list(Attendance.objects.filter(person=member).values_list("status", "checked_in")) == [
        ("excused", False)
    ]
