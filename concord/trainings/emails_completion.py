"""Emails about a finished training: the certificate link and the evaluation request.

Each goes to the attendee alone, in the language they registered in, and carries a signed
link and the training's title, nothing about anyone else.
"""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from concord.coalition.queries import current_coalition
from concord.trainings.models import Certificate, Registration
from concord.trainings.services.certificates import pdf_token, verification_url
from concord.trainings.services.evaluations import LINK_LIFETIME, evaluation_token


def _send(template: str, context: dict[str, Any], language: str, to: str) -> None:
    with translation.override(language):
        context = {"coalition": current_coalition(), **context}
        subject = render_to_string(f"trainings/email_completion/{template}_subject.txt", context)
        body = render_to_string(f"trainings/email_completion/{template}_message.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])


def send_certificate_email(certificate: Certificate) -> None:
    registration = certificate.registration
    with translation.override(registration.language):
        link = settings.SITE_URL + reverse(
            "trainings:certificate-pdf", kwargs={"token": pdf_token(certificate)}
        )
        context = {
            "certificate": certificate,
            "link": link,
            "verification_url": verification_url(certificate),
        }
    _send("certificate", context, registration.language, registration.email)


def send_evaluation_email(registration: Registration) -> None:
    with translation.override(registration.language):
        link = settings.SITE_URL + reverse(
            "trainings:evaluation-form", kwargs={"token": evaluation_token(registration)}
        )
    context = {
        "training": registration.session.training,
        "link": link,
        "days": LINK_LIFETIME.days,
    }
    _send("evaluation", context, registration.language, registration.email)
