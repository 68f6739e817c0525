import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from concord.accounts.models import User
from concord.meetings.models import (
    ActionItem,
    AgendaItem,
    Committee,
    CommitteeStatus,
    Meeting,
    Minutes,
)
from concord.meetings.services import records as services


def titles(meeting: Meeting) -> list[str]:
    return list(meeting.agenda_items.order_by("position").values_list("title", flat=True))


def meeting_at(committee: Committee | None, days: int, title: str = "Meeting") -> Meeting:
    start = timezone.now() + datetime.timedelta(days=days)
    return Meeting.objects.create(
        committee=committee,
        title=title,
        starts_at=start,
        ends_at=start + datetime.timedelta(hours=1),
    )


def test_items_are_added_in_order_and_can_be_moved(
    representative: User, committee_meeting: Meeting
) -> None:
    for title in ("Welcome", "Reports", "Close"):
        services.add_agenda_item(
            actor=representative, meeting=committee_meeting, values={"title": title}
        )
    close = committee_meeting.agenda_items.get(title="Close")

    services.move_agenda_item(actor=representative, item=close, direction="up")

    assert titles(committee_meeting) == ["Welcome", "Close", "Reports"]


def test_moving_the_first_item_up_changes_nothing(
    representative: User, agenda_item: AgendaItem
) -> None:
    services.move_agenda_item(actor=representative, item=agenda_item, direction="up")

    agenda_item.refresh_from_db()
    assert agenda_item.position == 1


def test_removing_an_item_closes_the_gap(representative: User, committee_meeting: Meeting) -> None:
    for title in ("A", "B", "C"):
        services.add_agenda_item(
            actor=representative, meeting=committee_meeting, values={"title": title}
        )

    services.remove_agenda_item(
        actor=representative, item=committee_meeting.agenda_items.get(title="A")
    )

    positions = list(committee_meeting.agenda_items.values_list("title", "position"))
    assert positions == [("B", 1), ("C", 2)]


def test_an_archived_committee_agenda_cannot_change(
    representative: User, committee: Committee, agenda_item: AgendaItem
) -> None:
    Committee.objects.filter(pk=committee.pk).update(status=CommitteeStatus.ARCHIVED)

    with pytest.raises(ValidationError):
        services.add_agenda_item(
            actor=representative, meeting=agenda_item.meeting, values={"title": "Late"}
        )

    assert titles(agenda_item.meeting) == ["Welcome"]


def test_minutes_wait_for_the_meeting_to_start(
    representative: User, committee_meeting: Meeting
) -> None:
    with pytest.raises(ValidationError):
        services.save_minutes(actor=representative, meeting=committee_meeting, text="Early")

    assert not Minutes.objects.exists()


def test_minutes_are_approved_at_a_later_meeting_only(
    coordinator: User, committee: Committee
) -> None:
    earlier = meeting_at(committee, -60, "Earlier")
    held = meeting_at(committee, -30, "Held")
    later = meeting_at(committee, 5, "Later")
    other_committee_meeting = meeting_at(Committee.objects.create(name="Other"), 6)
    services.save_minutes(actor=coordinator, meeting=held, text="We met.")

    for wrong in (earlier, held, other_committee_meeting):
        with pytest.raises(ValidationError):
            services.approve_minutes(actor=coordinator, meeting=held, approved_at=wrong)
    minutes = services.approve_minutes(actor=coordinator, meeting=held, approved_at=later)

    assert (minutes.status, minutes.approved_at_meeting_id) == (Minutes.Status.APPROVED, later.pk)
    with pytest.raises(ValidationError):
        services.save_minutes(actor=coordinator, meeting=held, text="Changed after approval")


def test_motion_counts_must_not_be_negative(coordinator: User, committee: Committee) -> None:
    held = meeting_at(committee, -1)

    with pytest.raises(ValidationError):
        services.record_motion(
            actor=coordinator,
            meeting=held,
            values={"text": "Adopt", "yes": -1, "no": 0, "abstain": 0, "result": "carried"},
        )

    assert held.motions.count() == 0


def test_action_items_due_lists_open_items_of_active_owners(
    coordinator: User, member: User, deactivated: User, committee: Committee
) -> None:
    day = datetime.date(2027, 4, 1)
    due = services.create_action_item(
        actor=coordinator,
        committee=committee,
        values={"title": "Due", "owner": member, "due_on": day},
    )
    done = services.create_action_item(
        actor=coordinator,
        committee=committee,
        values={"title": "Done", "owner": member, "due_on": day},
    )
    services.change_action_item_status(actor=member, item=done, status=ActionItem.Status.DONE)
    services.create_action_item(
        actor=coordinator,
        committee=committee,
        values={"title": "Later", "owner": member, "due_on": day + datetime.timedelta(days=1)},
    )
    ActionItem.objects.create(committee=committee, title="Gone", owner=deactivated, due_on=day)

    assert [item.pk for item in services.action_items_due(day)] == [due.pk]


def test_an_item_from_a_meeting_belongs_to_its_committee(
    representative: User, member: User, committee_meeting: Meeting
) -> None:
    item = services.create_action_item(
        actor=representative,
        meeting=committee_meeting,
        values={"title": "Book a room", "owner": member, "due_on": datetime.date(2027, 1, 1)},
    )

    assert item.committee_id == committee_meeting.committee_id
