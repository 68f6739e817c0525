"""Membership emails and the daily upkeep. Tasks receive ids only, and load the rest.

Applicants have no account: their emails go to the address they confirmed, in the
language they applied in, and carry links with signed tokens, never personal data.
"""

import datetime
from typing import Any

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import formats, timezone, translation
from django_tasks import task

from concord.accounts.models import AgencyRole, User
from concord.coalition.queries import current_coalition
from concord.membership.emails import decision_message
from concord.membership.models import (
    Application,
    ApplicationStatus,
    DecisionKind,
    DueWarning,
    MembershipTerm,
    Reviewer,
)
from concord.membership.services import upkeep
from concord.membership.services.links import Purpose, make_token
from concord.membership.services.schedule import hear_by


def _site(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs)


def _send(template: str, context: dict[str, Any], language: str, to: str) -> None:
    with translation.override(language):
        context = {"coalition": current_coalition(), **context}
        subject = render_to_string(f"membership/email/{template}_subject.txt", context)
        body = render_to_string(f"membership/email/{template}_message.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [to])


def _application(application_id: int) -> Application | None:
    application = Application.objects.filter(pk=application_id, erased_at__isnull=True).first()
    if application is None or not application.contact_email:
        return None
    return application


def access_link(application: Application) -> str:
    with translation.override(application.language):
        return _site("membership:apply-open", token=make_token(application, Purpose.ACCESS))


@task()
def send_application_link(application_id: int) -> None:
    """The link back to an application, for an applicant who starts or asks for it."""
    application = _application(application_id)
    if application is None or not application.is_open:
        return
    _send(
        "application_link",
        {"application": application, "link": access_link(application)},
        application.language,
        application.contact_email,
    )


@task()
def send_confirmation_link(application_id: int) -> None:
    """Ask the applicant to confirm their address before the application is reviewed."""
    application = _application(application_id)
    if application is None or application.status != ApplicationStatus.UNCONFIRMED:
        return
    with translation.override(application.language):
        link = _site("membership:apply-confirm", token=make_token(application, Purpose.CONFIRM))
    _send(
        "confirm_email",
        {"application": application, "link": link},
        application.language,
        application.contact_email,
    )


@task()
def send_confirmation(application_id: int) -> None:
    """The reference number, and the date by which the applicant will hear."""
    application = _application(application_id)
    if application is None:
        return
    context = {
        "application": application,
        "hear_by": hear_by(application.meeting) if application.meeting else None,
        "link": access_link(application),
    }
    _send("confirmation", context, application.language, application.contact_email)


@task()
def send_new_date(application_id: int) -> None:
    """The coalition meeting an application was dated to moved or was cancelled: the
    applicant hears by a new date."""
    application = _application(application_id)
    if application is None or not application.is_undecided:
        return
    context = {
        "application": application,
        "hear_by": hear_by(application.meeting) if application.meeting else None,
        "link": access_link(application),
    }
    _send("new_date", context, application.language, application.contact_email)


@task()
def notify_reviewers(application_id: int, event: str) -> None:
    """Tell coordinators and reviewers an application arrived (or came back): the
    agency's name and a link, nothing more."""
    application = Application.objects.filter(pk=application_id).first()
    if application is None:
        return
    people = User.objects.filter(is_active=True).filter(
        pk__in=[*upkeep.coordinators(), *Reviewer.objects.values_list("person_id", flat=True)]
    )
    for person in people:
        with translation.override(person.language):
            link = _site("membership:application-detail", pk=application.pk)
        context = {"application": application, "link": link, "event": event}
        _send("application_arrived", context, person.language, person.email)


DECISION_KINDS: dict[str, str] = {
    ApplicationStatus.ACCEPTED: DecisionKind.ACCEPTED,
    ApplicationStatus.DECLINED: DecisionKind.DECLINED,
    ApplicationStatus.INFO_REQUESTED: DecisionKind.INFO_REQUESTED,
}


def _date(day: datetime.date | None) -> str:
    return formats.date_format(day, "DATE_FORMAT") if day else ""


@task()
def send_decision(application_id: int) -> None:
    """The decision, from the coalition's editable template in the applicant's language."""
    application = _application(application_id)
    if application is None or application.status not in DECISION_KINDS:
        return
    coalition = current_coalition()
    with translation.override(application.language):
        values = {
            "reference": application.reference,
            "agency": application.legal_name,
            "coalition": coalition.name_text if coalition else "",
            "reason": application.decision_reason,
            "information": application.info_request,
            "resubmit_by": _date(application.info_due),
            "link": access_link(application),
            "hear_by": _date(hear_by(application.meeting)) if application.meeting else "",
        }
        subject, body = decision_message(
            DECISION_KINDS[application.status], application.language, values
        )
    send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [application.contact_email])


@task()
def send_due_warning(warning_id: int) -> None:
    warning = DueWarning.objects.select_related("person", "application").filter(pk=warning_id)
    found = warning.first()
    if found is None or not found.person.is_active or not found.application.is_undecided:
        return
    person = found.person
    with translation.override(person.language):
        link = _site("membership:application-detail", pk=found.application_id)
    context = {"application": found.application, "link": link}
    _send("due_warning", context, person.language, person.email)


@task()
def send_renewal_notice(term_id: int) -> None:
    """Invite the primary representative to renew, thirty days before the term ends."""
    term = MembershipTerm.objects.select_related("agency").filter(pk=term_id).first()
    if term is None:
        return
    person = term.agency.people.filter(is_active=True, agency_role=AgencyRole.PRIMARY).first()
    if person is None:
        return
    with translation.override(person.language):
        link = _site("membership:renewal-start")
    _send("renewal_notice", {"term": term, "link": link}, person.language, person.email)


@task()
def membership_upkeep() -> dict[str, int]:
    """The scheduler's daily job: follow moved meetings, warn about applications due,
    invite renewals, lapse ended memberships, erase old personal data."""
    now = timezone.now()
    today = timezone.localdate(now)
    return {
        "retargeted": upkeep.retarget_applications(now=now),
        "warnings": upkeep.queue_due_warnings(today=today),
        "renewal_notices": upkeep.queue_renewal_notices(today=today),
        "lapsed": len(upkeep.lapse_ended_memberships(today=today)),
        "erased": upkeep.erase_old_applications(today=today),
    }
