from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency
from concord.agencies.tests.factories import AgencyFactory
from concord.audit.models import AuditEvent
from tests.tasks import run_queued_tasks


def invite_data(agency: Agency, **overrides: Any) -> dict[str, Any]:
    return {
        "submission_token": "7b0c1a50-2f7e-4a59-9a8e-3f1f6b1c2d11",
        "email": "New.Person@Example.org",
        "full_name": "Nadia New",
        "job_title": "Advocate",
        "agency": agency.pk,
        "agency_role": AgencyRole.MEMBER,
        **overrides,
    }


def test_coordinator_invites_a_person_who_gets_a_link_by_email(
    coordinator_client: Client,
    agency_a: Agency,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = coordinator_client.post(reverse("accounts:person-invite"), invite_data(agency_a))
    run_queued_tasks()

    person = User.objects.get(email="new.person@example.org")
    assert response["Location"] == person.get_absolute_url()
    assert not person.has_usable_password()
    [message] = smtp_server.messages
    assert message["To"] == "new.person@example.org"
    body = message.get_body(("plain",)).get_content()
    assert "/accounts/password/reset/key/" in body
    assert reverse("mfa_index") in body  # the second factor comes right after
    assert "Nadia" not in body + message["Subject"]
    assert AuditEvent.objects.filter(
        action="concord.person.invited", object_id=str(person.pk)
    ).exists()


def test_the_invitation_link_lets_the_person_choose_a_password(
    coordinator_client: Client,
    agency_a: Agency,
    smtp_server: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        coordinator_client.post(reverse("accounts:person-invite"), invite_data(agency_a))
    run_queued_tasks()
    body = smtp_server.messages[0].get_body(("plain",)).get_content()
    path = "/" + next(word for word in body.split() if "/key/" in word).split("/", 3)[3]
    client = Client()

    form_url = client.get(path)["Location"]
    client.post(form_url, {"password1": "my-own-passphrase-9", "password2": "my-own-passphrase-9"})

    assert User.objects.get(email="new.person@example.org").check_password("my-own-passphrase-9")


def test_a_double_submit_creates_one_person(coordinator_client: Client, agency_a: Agency) -> None:
    data = invite_data(agency_a)

    first = coordinator_client.post(reverse("accounts:person-invite"), data)
    second = coordinator_client.post(reverse("accounts:person-invite"), data)

    assert User.objects.filter(email="new.person@example.org").count() == 1
    assert first["Location"] == second["Location"]


def test_invite_errors_keep_what_was_typed(coordinator_client: Client, agency_a: Agency) -> None:
    response = coordinator_client.post(
        reverse("accounts:person-invite"), invite_data(agency_a, email="not-an-email")
    )

    assert response.status_code == 200
    assert "email" in response.context["form"].errors
    assert b'value="Nadia New"' in response.content
    assert not User.objects.filter(full_name="Nadia New").exists()


def test_errors_are_in_the_users_language(coordinator_client: Client, agency_a: Agency) -> None:
    response = coordinator_client.post(
        "/es" + reverse("accounts:person-invite"), invite_data(agency_a, email="not-an-email")
    )

    assert "Introduzca una dirección de correo electrónico válida." in str(
        response.context["form"].errors["email"]
    )


def test_an_agency_gets_one_primary_representative(
    coordinator_client: Client, representative: User, agency_a: Agency
) -> None:
    response = coordinator_client.post(
        reverse("accounts:person-invite"), invite_data(agency_a, agency_role=AgencyRole.PRIMARY)
    )

    assert response.status_code == 200
    assert "agency_role" in response.context["form"].errors


def test_an_existing_email_is_refused_on_the_field(
    coordinator_client: Client, member: User, agency_a: Agency
) -> None:
    response = coordinator_client.post(
        reverse("accounts:person-invite"), invite_data(agency_a, email=member.email.upper())
    )

    assert "email" in response.context["form"].errors


def test_coordinator_edits_a_person_and_the_change_is_audited(
    coordinator_client: Client, member: User, agency_b: Agency
) -> None:
    response = coordinator_client.post(
        reverse("accounts:person-edit", args=[member.pk]),
        {
            "full_name": "Marco Moved",
            "job_title": "",
            "agency": agency_b.pk,
            "agency_role": "member",
        },
    )

    member.refresh_from_db()
    assert response.status_code == 302
    assert (member.full_name, member.agency) == ("Marco Moved", agency_b)
    event = AuditEvent.objects.get(action="concord.person.updated")
    assert event.data == {"fields": ["full_name", "agency"]}


def test_deactivating_a_person_ends_their_sessions(
    coordinator_client: Client, member_client: Client, member: User
) -> None:
    coordinator_client.post(reverse("accounts:person-active", args=[member.pk]), {"active": "0"})

    member.refresh_from_db()
    assert not member.is_active
    assert member_client.get(reverse("accounts:dashboard")).status_code == 302


def test_a_coordinator_cannot_deactivate_themself(
    coordinator_client: Client, coordinator: User
) -> None:
    response = coordinator_client.post(
        reverse("accounts:person-active", args=[coordinator.pk]), {"active": "0"}
    )

    coordinator.refresh_from_db()
    assert response.status_code == 403
    assert coordinator.is_active


def test_person_list_queries_do_not_grow_with_rows(
    coordinator_client: Client, django_assert_max_num_queries: Any
) -> None:
    for _ in range(30):
        UserFactory(agency=AgencyFactory())

    with django_assert_max_num_queries(8):
        response = coordinator_client.get(reverse("accounts:person-list"))

    assert response.status_code == 200
    assert len(response.context["page"]) == 25


@pytest.mark.parametrize("query", ["Marco", "member-a@", "Agency A"])
def test_person_list_searches_name_email_and_agency(
    coordinator_client: Client, member: User, outsider: User, query: str
) -> None:
    response = coordinator_client.get(reverse("accounts:person-list"), {"q": query})

    assert list(response.context["page"]) == [member] or member in response.context["page"]
    assert outsider not in response.context["page"]


def test_the_dashboard_asks_people_without_a_second_factor_to_add_one(
    member: User, member_client: Client
) -> None:
    from allauth.mfa.models import Authenticator

    nudge = "add a second sign-in step"
    assert nudge in member_client.get(reverse("accounts:dashboard")).content.decode()

    Authenticator.objects.create(
        user=member, type=Authenticator.Type.TOTP, data={"secret": "JBSWY3DPEHPK3PXP"}
    )
    assert nudge not in member_client.get(reverse("accounts:dashboard")).content.decode()
