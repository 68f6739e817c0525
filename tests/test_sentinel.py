"""The sentinel checks can fail (they find a planted marker), and the flows that exist so
far leak no personal data into mail, logs or URLs."""

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from concord.accounts.models import AgencyRole, User
from concord.agencies.models import Agency
from tests.sentinel import SENTINEL, Trail, database_files_with_sentinel, mark_personal_fields
from tests.tasks import run_queued_tasks


def test_marking_fills_every_personal_text_field(member: User) -> None:
    mark_personal_fields(member)

    assert SENTINEL in member.full_name
    assert SENTINEL.lower() in member.email
    assert SENTINEL not in str(member.agency_role)


def test_the_trail_finds_a_planted_marker_in_urls_and_logs(
    client: Client, trail: Trail, db: None
) -> None:
    import logging

    client.get("/about/", {"q": SENTINEL})
    logging.getLogger("concord").warning("oops %s", SENTINEL)

    assert len(trail.leaks()) == 2


@pytest.mark.django_db(transaction=True)
def test_the_database_file_check_finds_a_planted_marker(agency_a: Agency) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("Reads the SQLite file's raw bytes; PostgreSQL keeps its files elsewhere.")
    User.objects.create(
        email="plain@example.org",
        full_name=f"{SENTINEL} planted",
        agency=agency_a,
        agency_role="member",
    )

    assert database_files_with_sentinel() != []


def test_inviting_and_editing_a_person_leaks_no_personal_data(
    coordinator_client: Client,
    agency_a: Agency,
    trail: Trail,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(
            reverse("accounts:person-invite"),
            {
                "submission_token": "0b4e4b9a-5c1e-4a8e-8d4e-2b6d1c7f9a01",
                "email": "invitee@example.org",
                "full_name": f"{SENTINEL} Name",
                "job_title": f"{SENTINEL} Title",
                "agency": agency_a.pk,
                "agency_role": AgencyRole.MEMBER,
            },
        )
    run_queued_tasks()
    person = User.objects.get(email="invitee@example.org")
    coordinator_client.post(
        reverse("accounts:person-edit", args=[person.pk]),
        {
            "full_name": f"{SENTINEL} Renamed",
            "job_title": "",
            "agency": agency_a.pk,
            "agency_role": "member",
        },
    )
    coordinator_client.get(reverse("accounts:person-list"), {"page": "1"})

    assert smtp_server.messages
    assert trail.leaks(mails=smtp_server.messages) == []
