"""Referral emails and the daily upkeep. Tasks receive ids only. Emails never carry client
information: a fixed sentence and a link that holds the referral's opaque id."""

from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import NoReverseMatch, reverse
from django.utils import timezone, translation
from django_tasks import task

from concord.accounts.models import AgencyRole, User
from concord.referrals.models import AWAITING_ANSWER, Referral, ReferralStatus
from concord.referrals.services import escalation, retention


def referral_link(referral: Referral) -> str:
    try:
        path = reverse("referrals:referral-detail", args=[referral.public_id])
    except NoReverseMatch:
        # TODO(issue 6): the referral pages come in a later task and name this route.
        path = f"/referrals/{referral.public_id}/"
    return settings.SITE_URL + path


def _send(template: str, context: dict[str, Any], person: User) -> None:
    with translation.override(person.language):
        subject = render_to_string(f"referrals/email/{template}_subject.txt", context)
        body = render_to_string(f"referrals/email/{template}_message.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [person.email])


def _handlers(agency_id: int) -> list[User]:
    return list(
        User.objects.filter(agency_id=agency_id, handles_referrals=True, is_active=True).order_by(
            "pk"
        )
    )


@task()
def notify_new_referral(referral_id: int) -> None:
    """Tell the receiving agency's people with the referral role a referral is waiting."""
    referral = Referral.objects.filter(pk=referral_id, status=ReferralStatus.SENT).first()
    if referral is None:
        return
    context = {"link": referral_link(referral)}
    for person in _handlers(referral.receiving_agency_id):
        _send("new_referral", context, person)


@task()
def send_escalation(referral_id: int) -> None:
    """A referral went unanswered past its deadline: tell the receiving agency's primary
    representative and every coordinator."""
    referral = Referral.objects.filter(pk=referral_id, status__in=AWAITING_ANSWER).first()
    if referral is None:
        return
    people = User.objects.filter(is_active=True).filter(
        Q(agency_id=referral.receiving_agency_id, agency_role=AgencyRole.PRIMARY) | Q(is_staff=True)
    )
    context = {"link": referral_link(referral)}
    for person in people.order_by("pk"):
        _send("escalation", context, person)


@task()
def referrals_upkeep() -> dict[str, int]:
    """The scheduler's daily job: escalate unanswered referrals, purge old client
    information. Counts only in the result."""
    now = timezone.now()
    return {"escalated": escalation.queue_escalations(now=now), **retention.purge(now=now)}


@task()
def escalate_overdue_referrals() -> int:
    """Run by every scheduler pass: an emergency is overdue in hours, not days."""
    return escalation.queue_escalations(now=timezone.now())
