"""The referral role asks for a second factor and a short idle timeout (SECURITY.md 5, 7)."""

import time
from typing import Any

from allauth.mfa.totp.internal.auth import TOTP
from django.test import Client
from django.urls import reverse

from concord.accounts.middleware import SEEN_AT
from concord.accounts.models import User
from conftest import sign_in

SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def test_a_handler_without_mfa_is_sent_to_set_it_up(sender: User) -> None:
    client = Client()
    client.force_login(sender)

    response = client.get(reverse("accounts:dashboard"))

    assert response["Location"] == reverse("mfa_activate_totp")


def test_a_password_only_session_of_a_handler_is_sent_to_the_mfa_step(sender: User) -> None:
    TOTP.activate(sender, SECRET)
    client = Client()
    client.force_login(sender)

    response = client.get(reverse("accounts:dashboard"))

    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_granting_the_role_asks_for_mfa_on_the_next_request(member: User) -> None:
    client = Client()
    client.force_login(member)
    assert client.get(reverse("accounts:dashboard")).status_code == 200

    User.objects.filter(pk=member.pk).update(handles_referrals=True)

    assert client.get(reverse("accounts:dashboard"))["Location"] == reverse("mfa_activate_totp")


def test_handlers_get_the_referral_idle_timeout(sender: User, member: User, settings: Any) -> None:
    settings.SESSION_IDLE_SECONDS = 8 * 60 * 60
    settings.REFERRAL_SESSION_IDLE_SECONDS = 30 * 60
    handler_client, member_client = sign_in(Client(), sender), sign_in(Client(), member)
    for client in (handler_client, member_client):
        session = client.session
        session[SEEN_AT] = int(time.time()) - 31 * 60
        session.save()

    handler_response = handler_client.get(reverse("accounts:dashboard"))
    member_response = member_client.get(reverse("accounts:dashboard"))

    assert handler_response.status_code == 302
    assert "_auth_user_id" not in handler_client.session
    assert member_response.status_code == 200
