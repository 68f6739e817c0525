"""Registration emails: what each one says and where it goes.

Each email goes to the registrant alone, in the language they chose, and names the session
and the links meant for them: never anyone else's details, and no personal data in links.
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from concord.coalition.queries import current_coalition
from concord.trainings.models import Delivery, Registration, RegistrationStatus
from concord.trainings.services.registration import (
    CONFIRMATION_LIFETIME,
    Purpose,
    make_token,
)

# The kinds of email, and the registration statuses each still makes sense for: a
# registration cancelled before the task ran is not told it has a seat.
KINDS: dict[str, tuple[str, ...]] = {
    "confirm": (RegistrationStatus.PENDING,),
    RegistrationStatus.REGISTERED: (RegistrationStatus.REGISTERED,),
    RegistrationStatus.WAITLISTED: (RegistrationStatus.WAITLISTED,),
    "promoted": (RegistrationStatus.REGISTERED,),
    "session_cancelled": (RegistrationStatus.REGISTERED, RegistrationStatus.WAITLISTED),
}


def _site(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def registration_context(registration: Registration, kind: str) -> dict[str, Any]:
    session = registration.session
    context: dict[str, Any] = {
        "coalition": current_coalition(),
        "session": session,
        "training": session.training,
        "session_url": _site("trainings:session-detail", pk=session.pk),
        "kind": kind,
    }
    if kind == "confirm":
        context["link"] = _site(
            "trainings:registration-confirm", token=make_token(registration, Purpose.CONFIRM)
        )
        context["hours"] = int(CONFIRMATION_LIFETIME.total_seconds() // 3600)
    elif kind != "session_cancelled":
        context["cancel_link"] = _site(
            "trainings:registration-cancel-link", token=make_token(registration, Purpose.CANCEL)
        )
    if (
        registration.status == RegistrationStatus.REGISTERED
        and session.delivery == Delivery.ONLINE
        and session.online_url
    ):
        # The online link goes only to people with a seat.
        context["online_url"] = session.online_url
    return context


def send_registration_message(registration: Registration, kind: str) -> bool:
    """Send the email of ``kind``; False when the registration moved on since."""
    if registration.status not in KINDS[kind]:
        return False
    with translation.override(registration.language):
        context = registration_context(registration, kind)
        subject = render_to_string(f"trainings/email/{kind}_subject.txt", context)
        body = render_to_string(f"trainings/email/{kind}_message.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [registration.email])
    return True
