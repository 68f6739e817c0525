from typing import Any

from allauth.mfa.signals import authenticator_added
from django.dispatch import receiver
from django.http import HttpRequest

from concord.accounts.middleware import MFA_VERIFIED_USER


@receiver(authenticator_added)
def remember_mfa_proved(sender: Any, request: HttpRequest, user: Any, **kwargs: Any) -> None:
    # Activating TOTP means typing a valid code: the session has proved the second factor.
    request.session[MFA_VERIFIED_USER] = user.pk
