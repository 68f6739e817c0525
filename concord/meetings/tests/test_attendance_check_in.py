import datetime

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.meetings.models import Attendance, Committee, Meeting


def _meeting(committee: Committee | None, *, starts_in_minutes: int) -> Meeting:
    starts = timezone.now() + datetime.timedelta(minutes=starts_in_minutes)
    return Meeting.objects.create(
        committee=committee,
        title="Committee A meeting",
        starts_at=starts,
        ends_at=starts + datetime.timedelta(minutes=90),
    )


@pytest.fixture
def under_way(committee: Committee) -> Meeting:
    return _meeting(committee, starts_in_minutes=-10)


def _open(client: Client, meeting: Meeting) -> str:
    client.post(reverse("meetings:check-in-open", args=[meeting.pk]))
    meeting.refresh_from_db()
    return reverse("meetings:check-in", args=[meeting.pk, meeting.check_in_token])


def test_chair_opens_check_in_with_a_long_random_token(
    representative_client: Client, under_way: Meeting
) -> None:
    response = representative_client.post(reverse("meetings:check-in-open", args=[under_way.pk]))

    under_way.refresh_from_db()
    assert response.status_code == 302
    assert len(under_way.check_in_token) >= 32  # 24 random bytes, base64: 192 bits
    assert AuditEvent.objects.filter(action="concord.meeting.check_in_opened").count() == 1


def test_attendance_page_shows_the_link_and_the_code(
    representative_client: Client, under_way: Meeting
) -> None:
    url = _open(representative_client, under_way)

    response = representative_client.get(reverse("meetings:attendance-record", args=[under_way.pk]))

    assert f"http://testserver{url}".encode() in response.content
    assert under_way.check_in_token.encode() in response.content


def test_reopening_gives_a_new_token_and_the_old_one_stops_working(
    representative_client: Client, member_client: Client, under_way: Meeting
) -> None:
    first = _open(representative_client, under_way)

    second = _open(representative_client, under_way)

    assert first != second
    assert member_client.get(first).status_code == 404
    assert member_client.get(second).status_code == 200


def test_member_checks_in_by_confirming(
    representative_client: Client, member_client: Client, member: User, under_way: Meeting
) -> None:
    url = _open(representative_client, under_way)

    confirm = member_client.get(url)
    response = member_client.post(url)

    assert b"I am here" in confirm.content
    assert response.status_code == 302
    attendance = Attendance.objects.get(meeting=under_way, person=member)
    assert (attendance.status, attendance.checked_in) == ("present", True)
    assert b"You are recorded present" in member_client.get(url).content


def test_checking_in_twice_keeps_one_row(
    representative_client: Client, member_client: Client, member: User, under_way: Meeting
) -> None:
    url = _open(representative_client, under_way)
    Attendance.objects.create(meeting=under_way, person=member, status="absent")

    member_client.post(url)
    member_client.post(url)

    assert list(
        Attendance.objects.filter(meeting=under_way).values_list("status", "checked_in")
    ) == [("present", True)]


def test_a_wrong_token_is_404(
    representative_client: Client, member_client: Client, member: User, under_way: Meeting
) -> None:
    url = _open(representative_client, under_way)
    token = under_way.check_in_token
    # A different last character: "x" alone would be the same token one time in 64.
    wrong = url.replace(token, token[:-1] + ("y" if token.endswith("x") else "x"))

    assert member_client.get(wrong).status_code == 404
    assert member_client.post(wrong).status_code == 404
    assert Attendance.objects.filter(person=member).count() == 0


def test_a_closed_check_in_is_404(
    representative_client: Client, member_client: Client, member: User, under_way: Meeting
) -> None:
    url = _open(representative_client, under_way)

    closed = representative_client.post(reverse("meetings:check-in-close", args=[under_way.pk]))

    under_way.refresh_from_db()
    assert closed.status_code == 302
    assert under_way.check_in_token == ""
    assert member_client.post(url).status_code == 404
    assert Attendance.objects.filter(person=member).count() == 0
    assert AuditEvent.objects.filter(action="concord.meeting.check_in_closed").count() == 1


def test_outsider_with_the_link_cannot_check_in(
    representative_client: Client, outsider_client: Client, outsider: User, under_way: Meeting
) -> None:
    url = _open(representative_client, under_way)

    assert outsider_client.get(url).status_code == 403
    assert outsider_client.post(url).status_code == 403
    assert Attendance.objects.filter(person=outsider).count() == 0


def test_outsider_cannot_open_check_in(outsider_client: Client, under_way: Meeting) -> None:
    response = outsider_client.post(reverse("meetings:check-in-open", args=[under_way.pk]))

    under_way.refresh_from_db()
    assert response.status_code == 403
    assert under_way.check_in_token == ""


def test_a_member_cannot_open_check_in(member_client: Client, under_way: Meeting) -> None:
    assert (
        member_client.post(reverse("meetings:check-in-open", args=[under_way.pk])).status_code
        == 403
    )


def test_check_in_opens_thirty_minutes_before_the_start(
    representative_client: Client, member_client: Client, committee: Committee
) -> None:
    soon = _meeting(committee, starts_in_minutes=25)
    later = _meeting(committee, starts_in_minutes=35)

    url = _open(representative_client, soon)
    refused = representative_client.post(
        reverse("meetings:check-in-open", args=[later.pk]), follow=True
    )

    later.refresh_from_db()
    assert b"Check-in can be opened from 30 minutes before" in refused.content
    assert member_client.get(url).status_code == 200
    assert later.check_in_token == ""


def test_check_in_ends_with_the_meeting(
    representative_client: Client, member_client: Client, member: User, under_way: Meeting
) -> None:
    url = _open(representative_client, under_way)
    Meeting.objects.filter(pk=under_way.pk).update(
        starts_at=timezone.now() - datetime.timedelta(hours=2),
        ends_at=timezone.now() - datetime.timedelta(minutes=1),
    )

    assert member_client.post(url).status_code == 404
    assert Attendance.objects.filter(person=member).count() == 0


def test_coalition_check_in_is_for_every_member(
    coordinator_client: Client, outsider_client: Client, outsider: User
) -> None:
    meeting = _meeting(None, starts_in_minutes=-5)
    url = _open(coordinator_client, meeting)

    outsider_client.post(url)

    assert Attendance.objects.get(meeting=meeting, person=outsider).checked_in is True


def test_opening_check_in_is_post_only(representative_client: Client, under_way: Meeting) -> None:
    response = representative_client.get(reverse("meetings:check-in-open", args=[under_way.pk]))

    assert response.status_code == 405
