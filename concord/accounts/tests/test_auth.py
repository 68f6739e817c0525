"""Signing in: passwords, the second factor, throttling, sessions (SECURITY.md rules 4-7)."""

import time
from typing import Any

import pytest
from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from concord.accounts.middleware import LOGIN_AT, SEEN_AT
from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import PASSWORD, UserFactory

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXQ"


def current_code(secret: str = SECRET) -> str:
    return format_hotp_value(hotp_value(secret, int(time.time()) // mfa_settings.TOTP_PERIOD))


def log_in(client: Client, email: str, password: str = PASSWORD) -> Any:
    return client.post(reverse("account_login"), {"login": email, "password": password})


def test_member_signs_in_with_password_and_reaches_dashboard(client: Client, member: User) -> None:
    response = log_in(client, member.email)

    assert response.status_code == 302
    assert client.get(reverse("accounts:dashboard")).status_code == 200


def test_coordinator_with_totp_must_give_a_code_after_the_password(
    client: Client, coordinator: User
) -> None:
    TOTP.activate(coordinator, SECRET)

    response = log_in(client, coordinator.email)

    assert response["Location"] == reverse("mfa_authenticate")
    assert client.get(reverse("accounts:dashboard"))["Location"].startswith(
        reverse("account_login")
    )
    response = client.post(reverse("mfa_authenticate"), {"code": current_code()})
    assert response.status_code == 302
    assert client.get(reverse("agencies:agency-list")).status_code == 200


def test_a_totp_code_works_only_once(client: Client, coordinator: User) -> None:
    TOTP.activate(coordinator, SECRET)
    code = current_code()
    log_in(client, coordinator.email)
    client.post(reverse("mfa_authenticate"), {"code": code})
    client.post(reverse("account_logout"))

    log_in(client, coordinator.email)
    response = client.post(reverse("mfa_authenticate"), {"code": code})

    assert response.status_code == 200
    assert client.get(reverse("agencies:agency-list")).status_code == 302


def test_coordinator_without_mfa_is_sent_to_set_it_up(client: Client, coordinator: User) -> None:
    log_in(client, coordinator.email)

    response = client.get(reverse("agencies:agency-list"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_password_only_session_of_a_coordinator_with_mfa_is_ended(coordinator: User) -> None:
    TOTP.activate(coordinator, SECRET)
    client = Client()
    client.force_login(coordinator)

    response = client.get(reverse("agencies:agency-list"))

    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_password_reset_does_not_sign_in_or_skip_the_second_factor(
    client: Client, coordinator: User, smtp_server: Any, django_capture_on_commit_callbacks: Any
) -> None:
    TOTP.activate(coordinator, SECRET)
    client.post(reverse("account_reset_password"), {"email": coordinator.email})
    [message] = smtp_server.messages
    link = next(
        word for word in message.get_body(("plain",)).get_content().split() if "/key/" in word
    )
    path = link.split("127.0.0.1", 1)[-1].split("testserver", 1)[-1]
    form_url = client.get(path)["Location"]

    client.post(
        form_url, {"password1": "a-new-long-passphrase-42", "password2": "a-new-long-passphrase-42"}
    )

    coordinator.refresh_from_db()
    assert coordinator.check_password("a-new-long-passphrase-42")
    assert "_auth_user_id" not in client.session
    assert log_in(client, coordinator.email, "a-new-long-passphrase-42")["Location"] == reverse(
        "mfa_authenticate"
    )


def test_wrong_password_and_unknown_account_get_the_same_answer(
    client: Client, member: User
) -> None:
    known = log_in(client, member.email, "wrong-password-123")
    unknown = log_in(client, "nobody@example.org", "wrong-password-123")

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_login_is_locked_after_repeated_failures(client: Client, member: User) -> None:
    for _ in range(5):
        log_in(client, member.email, "wrong-password-123")

    response = log_in(client, member.email)

    assert "Too many failed login attempts" in str(response.context["form"].errors)
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short-pw", "password_too_short"),
        ("password1234", "password_too_common"),
        ("x" * 129, "password_too_long"),
    ],
)
def test_weak_passwords_are_refused(password: str, code: str) -> None:
    with pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert code in [error.code for error in refused.value.error_list]


def test_a_long_passphrase_is_accepted() -> None:
    validate_password("correct horse battery staple " * 2)


def test_passwords_are_hashed_with_argon2(settings: Any, db: None) -> None:
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.Argon2PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    user = UserFactory()

    assert user.password.startswith("argon2$")


def test_login_gives_a_new_session_key(client: Client, member: User) -> None:
    client.get(reverse("account_login"))
    client.session.save()
    before = client.session.session_key

    log_in(client, member.email)

    assert client.session.session_key != before


def test_deactivation_takes_effect_on_the_next_request(member_client: Client, member: User) -> None:
    assert member_client.get(reverse("accounts:dashboard")).status_code == 200

    User.objects.filter(pk=member.pk).update(is_active=False)

    assert member_client.get(reverse("accounts:dashboard")).status_code == 302


def test_revoking_a_role_takes_effect_on_the_next_request(
    representative_client: Client, representative: User
) -> None:
    url = reverse("agencies:agency-edit", args=[representative.agency_id])
    assert representative_client.get(url).status_code == 200

    User.objects.filter(pk=representative.pk).update(agency_role=AgencyRole.MEMBER)

    assert representative_client.get(url).status_code == 403


def test_idle_session_is_ended(member_client: Client, settings: Any) -> None:
    session = member_client.session
    session[SEEN_AT] = int(time.time()) - settings.SESSION_IDLE_SECONDS - 1
    session.save()

    response = member_client.get(reverse("accounts:dashboard"))

    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_session_ends_after_its_absolute_lifetime(member_client: Client, settings: Any) -> None:
    session = member_client.session
    session[LOGIN_AT] = int(time.time()) - settings.SESSION_COOKIE_AGE - 1
    session[SEEN_AT] = int(time.time())
    session.save()

    assert member_client.get(reverse("accounts:dashboard")).status_code == 302


def test_logout_ends_the_session_on_the_server(member_client: Client) -> None:
    from django.contrib.sessions.models import Session

    key = member_client.session.session_key

    member_client.post(reverse("account_logout"))

    assert not Session.objects.filter(session_key=key).exists()


def test_logout_by_get_changes_nothing(member_client: Client) -> None:
    member_client.get(reverse("account_logout"))

    assert member_client.get(reverse("accounts:dashboard")).status_code == 200


def test_signup_is_closed(client: Client, db: None) -> None:
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "password1": "a-long-passphrase-1",
            "password2": "a-long-passphrase-1",
        },
    )

    assert not User.objects.filter(email="new@example.org").exists()


def test_changing_email_needs_a_fresh_password_and_offers_no_emailed_code(
    client: Client, member: User
) -> None:
    log_in(client, member.email)

    response = client.post(reverse("account_email"), {"action_add": "", "email": "new@example.org"})

    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not member.emailaddress_set.filter(email="new@example.org").exists()
    page = client.get(response["Location"]).content.decode()
    assert reverse("account_request_reauthentication_code") not in page
