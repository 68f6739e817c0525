"""Emails about committee membership. Tasks receive ids and load what they need."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from concord.meetings.models import CommitteeMembership, CommitteeRole, MembershipStatus


def _render(name: str, context: dict[str, object]) -> tuple[str, str]:
    subject = render_to_string(f"meetings/email/{name}_subject.txt", context).strip()
    body = render_to_string(f"meetings/email/{name}_message.txt", context)
    return subject, body


@task()
def send_membership_requested(membership_id: int) -> None:
    """Tell the committee's chairs that someone asked to join; the email names no one."""
    membership = (
        CommitteeMembership.objects.filter(pk=membership_id, status=MembershipStatus.REQUESTED)
        .select_related("committee")
        .first()
    )
    if membership is None:
        return
    chairs = list(
        CommitteeMembership.objects.filter(
            committee_id=membership.committee_id,
            role=CommitteeRole.CHAIR,
            status=MembershipStatus.ACTIVE,
            person__is_active=True,
        ).values_list("person__email", flat=True)
    )
    if not chairs:
        return
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.SITE_URL + reverse(
            "meetings:committee-detail", args=[membership.committee_id]
        )
        subject, body = _render(
            "membership_requested", {"committee": membership.committee, "link": link}
        )
    for email in chairs:
        send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])


@task()
def send_membership_decided(membership_id: int) -> None:
    """Tell the person whether their request to join was approved or declined."""
    membership = (
        CommitteeMembership.objects.filter(
            pk=membership_id,
            status__in=[MembershipStatus.ACTIVE, MembershipStatus.DECLINED],
            person__is_active=True,
        )
        .select_related("committee", "person")
        .first()
    )
    if membership is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        link = settings.SITE_URL + reverse(
            "meetings:committee-detail", args=[membership.committee_id]
        )
        subject, body = _render(
            "membership_decided",
            {
                "committee": membership.committee,
                "approved": membership.status == MembershipStatus.ACTIVE,
                "link": link,
            },
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [membership.person.email])
