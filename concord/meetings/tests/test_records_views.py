import datetime
from typing import Any

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.meetings.models import (
    ActionItem,
    AgendaItem,
    Committee,
    CommitteeStatus,
    Meeting,
    Minutes,
    Reminder,
)
from tests.tasks import run_queued_tasks


def test_the_chair_adds_an_item_once_on_a_double_submit(
    representative_client: Client, committee_meeting: Meeting
) -> None:
    url = reverse("meetings:agenda-edit", args=[committee_meeting.pk])
    data = {
        "title": "Reports",
        "presenter": "Rosa",
        "minutes_allotted": "15",
        "submission_token": "0d7c2a36-4f0e-4d51-9a1d-0c1f3e8b7a11",
    }

    representative_client.post(url, data)
    representative_client.post(url, data)

    assert list(committee_meeting.agenda_items.values_list("title", "minutes_allotted")) == [
        ("Reports", 15)
    ]


def test_a_bad_document_link_is_a_field_error(
    representative_client: Client, committee_meeting: Meeting
) -> None:
    response = representative_client.post(
        reverse("meetings:agenda-edit", args=[committee_meeting.pk]),
        {
            "title": "Reports",
            "document_url": "not a link",
            "submission_token": "0d7c2a36-4f0e-4d51-9a1d-0c1f3e8b7a12",
        },
    )

    assert list(response.context["form"].errors) == ["document_url"]
    assert not committee_meeting.agenda_items.exists()


def test_the_down_button_works_without_javascript(
    representative_client: Client, agenda_item: AgendaItem
) -> None:
    second = AgendaItem.objects.create(meeting=agenda_item.meeting, position=2, title="Second")

    response = representative_client.post(
        reverse("meetings:agenda-item-move", args=[agenda_item.meeting_id, agenda_item.pk]),
        {"direction": "down"},
    )

    second.refresh_from_db()
    assert response.status_code == 302
    assert second.position == 1


def test_members_and_outsiders_cannot_edit_the_agenda(
    member_client: Client, outsider_client: Client, agenda_item: AgendaItem
) -> None:
    url = reverse("meetings:agenda-edit", args=[agenda_item.meeting_id])
    remove = reverse("meetings:agenda-item-remove", args=[agenda_item.meeting_id, agenda_item.pk])

    statuses = [
        member_client.get(url).status_code,
        outsider_client.get(url).status_code,
        outsider_client.post(remove).status_code,
    ]

    assert statuses == [403, 403, 403]
    assert AgendaItem.objects.filter(pk=agenda_item.pk).exists()


def test_an_item_of_another_meeting_is_not_found(
    representative_client: Client, agenda_item: AgendaItem, committee: Committee
) -> None:
    other = Meeting.objects.create(
        committee=committee,
        title="Other",
        starts_at=agenda_item.meeting.starts_at,
        ends_at=agenda_item.meeting.ends_at,
    )

    response = representative_client.get(
        reverse("meetings:agenda-item-edit", args=[other.pk, agenda_item.pk])
    )

    assert response.status_code == 404


def test_publishing_emails_each_invitee_once_even_twice(
    representative_client: Client,
    agenda_item: AgendaItem,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    url = reverse("meetings:agenda-publish", args=[agenda_item.meeting_id])
    with django_capture_on_commit_callbacks(execute=True):
        representative_client.post(url)
    run_queued_tasks()
    with django_capture_on_commit_callbacks(execute=True):
        representative_client.post(url)
    run_queued_tasks()

    agenda_item.meeting.refresh_from_db()
    assert agenda_item.meeting.agenda_published_at is not None
    assert sorted(message["To"] for message in smtp_server.messages) == [
        "member-a@example.org",
        "rep-a@example.org",
    ]
    assert "Welcome" in smtp_server.messages[0].get_body(("plain",)).get_content()
    assert Reminder.objects.filter(subject_key=f"agenda:{agenda_item.meeting_id}").count() == 2


def test_an_empty_agenda_is_not_published(
    representative_client: Client, committee_meeting: Meeting
) -> None:
    representative_client.post(reverse("meetings:agenda-publish", args=[committee_meeting.pk]))

    committee_meeting.refresh_from_db()
    assert committee_meeting.agenda_published_at is None


def test_an_archived_committee_meeting_is_read_only(
    coordinator_client: Client, committee: Committee, committee_meeting: Meeting
) -> None:
    Committee.objects.filter(pk=committee.pk).update(status=CommitteeStatus.ARCHIVED)

    response = coordinator_client.get(reverse("meetings:agenda-edit", args=[committee_meeting.pk]))

    assert response.status_code == 403


def test_minutes_are_refused_before_the_meeting(
    representative_client: Client, committee_meeting: Meeting
) -> None:
    response = representative_client.post(
        reverse("meetings:minutes-edit", args=[committee_meeting.pk]), {"text": "Too early"}
    )

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "Minutes can be written once the meeting has started."
    ]
    assert not Minutes.objects.exists()


def test_minutes_are_drafted_then_approved_at_a_later_meeting(
    representative_client: Client,
    committee_meeting_checking_in: Meeting,
    committee_meeting: Meeting,
) -> None:
    held = committee_meeting_checking_in
    representative_client.post(reverse("meetings:minutes-edit", args=[held.pk]), {"text": "Met."})

    response = representative_client.post(
        reverse("meetings:minutes-approve", args=[held.pk]),
        {"approved_at_meeting": committee_meeting.pk},
    )

    minutes = Minutes.objects.get(meeting=held)
    assert response.status_code == 302
    assert (minutes.text, minutes.approved_at_meeting_id) == ("Met.", committee_meeting.pk)


def test_minutes_cannot_be_approved_at_an_earlier_meeting(
    representative_client: Client,
    committee_meeting_checking_in: Meeting,
    committee_meeting: Meeting,
) -> None:
    Minutes.objects.create(meeting=committee_meeting, text="Future?")

    representative_client.post(
        reverse("meetings:minutes-approve", args=[committee_meeting.pk]),
        {"approved_at_meeting": committee_meeting_checking_in.pk},
    )

    assert Minutes.objects.get(meeting=committee_meeting).status == Minutes.Status.DRAFT


def test_negative_or_fractional_vote_counts_are_field_errors(
    representative_client: Client, committee_meeting_checking_in: Meeting
) -> None:
    response = representative_client.post(
        reverse("meetings:motion-create", args=[committee_meeting_checking_in.pk]),
        {
            "text": "Adopt the protocol",
            "yes": "-1",
            "no": "1.5",
            "abstain": "0",
            "result": "carried",
            "submission_token": "0d7c2a36-4f0e-4d51-9a1d-0c1f3e8b7a13",
        },
    )

    assert sorted(response.context["form"].errors) == ["no", "yes"]
    assert not committee_meeting_checking_in.motions.exists()


def test_a_motion_is_recorded(
    representative_client: Client, committee_meeting_checking_in: Meeting
) -> None:
    representative_client.post(
        reverse("meetings:motion-create", args=[committee_meeting_checking_in.pk]),
        {
            "text": "Adopt the protocol",
            "yes": "7",
            "no": "1",
            "abstain": "2",
            "result": "carried",
            "submission_token": "0d7c2a36-4f0e-4d51-9a1d-0c1f3e8b7a14",
        },
    )

    assert list(committee_meeting_checking_in.motions.values_list("yes", "no", "abstain")) == [
        (7, 1, 2)
    ]


def test_my_action_items_lists_only_my_open_items(
    member_client: Client,
    member: User,
    representative: User,
    committee: Committee,
    django_assert_max_num_queries: Any,
) -> None:
    today = timezone.localdate()
    for number in range(30):
        ActionItem.objects.create(
            committee=committee, title=f"Mine {number}", owner=member, due_on=today
        )
    ActionItem.objects.create(
        committee=committee, title="Done", owner=member, due_on=today, status="done"
    )
    ActionItem.objects.create(
        committee=committee, title="Not mine", owner=representative, due_on=today
    )

    with django_assert_max_num_queries(10):
        response = member_client.get(reverse("meetings:action-list"))

    titles = [item.title for item in response.context["items"]]
    assert sorted(titles) == sorted(f"Mine {number}" for number in range(30))


def test_the_owner_marks_an_item_done_and_the_outsider_cannot(
    member_client: Client, outsider_client: Client, action_item: ActionItem
) -> None:
    url = reverse("meetings:action-status", args=[action_item.pk])

    refused = outsider_client.post(url, {"status": "done"})
    action_item.refresh_from_db()
    still_open = action_item.status
    member_client.post(url, {"status": "done"})
    action_item.refresh_from_db()

    assert (refused.status_code, still_open) == (403, ActionItem.Status.OPEN)
    assert action_item.status == ActionItem.Status.DONE
    assert action_item.completed_at is not None


def test_a_chair_adds_an_action_item_from_a_meeting(
    representative_client: Client, committee_meeting: Meeting, member: User
) -> None:
    due = (timezone.localdate() + datetime.timedelta(days=14)).isoformat()

    representative_client.post(
        reverse("meetings:meeting-action-create", args=[committee_meeting.pk]),
        {
            "title": "Draft the flyer",
            "owner": member.pk,
            "due_on": due,
            "submission_token": "0d7c2a36-4f0e-4d51-9a1d-0c1f3e8b7a15",
        },
    )

    item = ActionItem.objects.get()
    assert (item.owner_id, item.committee_id, item.meeting_id) == (
        member.pk,
        committee_meeting.committee_id,
        committee_meeting.pk,
    )


def test_the_minutes_page_offers_the_later_meetings_for_approval(
    representative_client: Client,
    committee_meeting_checking_in: Meeting,
    committee_meeting: Meeting,
) -> None:
    Minutes.objects.create(meeting=committee_meeting_checking_in, text="Draft text")

    response = representative_client.get(
        reverse("meetings:minutes-edit", args=[committee_meeting_checking_in.pk])
    )

    choices = response.context["approve_form"].fields["approved_at_meeting"].queryset
    assert [meeting.pk for meeting in choices] == [committee_meeting.pk]
    assert b"Draft text" in response.content


def test_the_committee_page_in_spanish_lists_upcoming_meetings(
    member_client: Client, committee_meeting: Meeting
) -> None:
    response = member_client.get(
        "/es" + reverse("meetings:committee-detail", args=[committee_meeting.committee_id])
    )

    assert response.status_code == 200
    assert [meeting.pk for meeting in response.context["upcoming"]] == [committee_meeting.pk]
