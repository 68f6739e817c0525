from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from concord.coalition.demo import DEMO_COALITION
from concord.coalition.models import Coalition


@pytest.fixture
def coalition(db: None) -> Coalition:
    return Coalition.objects.create(**DEMO_COALITION)


@pytest.mark.parametrize("name", ["coalition:home", "coalition:about", "coalition:membership"])
def test_public_pages_show_the_coalitions_own_words(
    client: Client, coalition: Coalition, name: str
) -> None:
    response = client.get(reverse(name))

    assert response.status_code == 200
    assert coalition.name in response.content.decode()
    assert "1-888-373-7888" in response.content.decode()


def test_about_lists_the_goals_and_the_five_values(client: Client, coalition: Coalition) -> None:
    response = client.get(reverse("coalition:about"))

    assert len(coalition.goal_list) == 4
    assert len(coalition.value_list) == 5
    for line in coalition.goal_list + coalition.value_list:
        assert escape(line) in response.content.decode()


def test_spanish_pages_use_the_spanish_texts(client: Client, coalition: Coalition) -> None:
    response = client.get("/es/about/")

    assert escape(coalition.values.splitlines()[0]) not in response.content.decode()
    assert "Compromiso con un enfoque centrado en la víctima" in response.content.decode()


def test_an_empty_spanish_field_falls_back_to_english(client: Client, coalition: Coalition) -> None:
    Coalition.objects.filter(pk=coalition.pk).update(mission_es="")

    response = client.get("/es/")

    assert escape(coalition.mission) in response.content.decode()


def test_membership_links_to_the_application(client: Client, coalition: Coalition) -> None:
    assert 'href="/apply/"' in client.get(reverse("coalition:membership")).content.decode()


def test_pages_render_before_any_coalition_exists(client: Client, db: None) -> None:
    assert client.get(reverse("coalition:home")).status_code == 200


def test_public_pages_set_no_cookie(client: Client, coalition: Coalition) -> None:
    for name in ["coalition:home", "coalition:about", "coalition:get-help", "coalition:membership"]:
        assert client.get(reverse(name)).cookies == {}
    assert client.get("/es/").cookies == {}


def test_coordinator_edits_the_settings_and_the_site_follows(
    coordinator_client: Client, client: Client, coalition: Coalition
) -> None:
    data = {field: getattr(coalition, field) for field in _form_fields(coordinator_client)}
    data.update(name="Delta Anti-Trafficking Task Force", short_name="Delta Task Force")

    response = coordinator_client.post(reverse("coalition:coalition-edit"), data)

    assert response.status_code == 302
    assert (
        "Delta Anti-Trafficking Task Force"
        in client.get(reverse("coalition:home")).content.decode()
    )


def test_an_unknown_time_zone_is_refused(coordinator_client: Client, coalition: Coalition) -> None:
    data = {field: getattr(coalition, field) for field in _form_fields(coordinator_client)}
    data["time_zone"] = "Mars/Olympus_Mons"

    response = coordinator_client.post(reverse("coalition:coalition-edit"), data)

    assert "time_zone" in response.context["form"].errors
    coalition.refresh_from_db()
    assert coalition.time_zone == "America/Los_Angeles"


def test_members_cannot_edit_the_settings(member_client: Client, coalition: Coalition) -> None:
    assert member_client.get(reverse("coalition:coalition-edit")).status_code == 403


def _form_fields(client: Any) -> list[str]:
    return list(client.get(reverse("coalition:coalition-edit")).context["form"].fields)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"meeting_rule": "FREQ=SOMETIMES"}, "meeting_rule"),
        ({"meeting_rule": "every fourth tuesday"}, "meeting_rule"),
        ({"meeting_rule": "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30"}, "meeting_rule"),
        ({"meeting_starts": "10:30", "meeting_ends": "09:00"}, "meeting_ends"),
        ({"contact_email": "not-an-address"}, "contact_email"),
        ({"quick_exit_url": "javascript:alert(1)"}, "quick_exit_url"),
    ],
)
def test_bad_settings_are_refused_on_their_field_and_nothing_is_saved(
    coordinator_client: Client, coalition: Coalition, changes: dict[str, str], field: str
) -> None:
    data = {name: getattr(coalition, name) for name in _form_fields(coordinator_client)}
    data.update(name="Renamed", **changes)

    response = coordinator_client.post(reverse("coalition:coalition-edit"), data)

    assert response.status_code == 200
    assert list(response.context["form"].errors) == [field]
    coalition.refresh_from_db()
    assert coalition.name == DEMO_COALITION["name"]


def test_home_shows_the_next_meeting_that_will_happen_not_a_cancelled_one(
    client: Client, coalition: Coalition, coordinator: Any
) -> None:
    import datetime

    from django.utils import timezone

    from concord.meetings.models import Meeting
    from concord.meetings.services.schedule import cancel_meeting

    soon = timezone.now() + datetime.timedelta(days=3)
    later = timezone.now() + datetime.timedelta(days=40)
    first = Meeting.objects.create(
        title="Coalition", starts_at=soon, ends_at=soon + datetime.timedelta(hours=1)
    )
    Meeting.objects.create(
        title="Coalition", starts_at=later, ends_at=later + datetime.timedelta(hours=1)
    )
    cancel_meeting(actor=coordinator, meeting=first)

    meetings = client.get(reverse("coalition:home")).context["meetings"]

    assert [start for start, _ in meetings] == [later]
