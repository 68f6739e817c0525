"""What reviewers and coordinators do: comment, accept, decline, ask for more."""

import datetime
from collections.abc import Mapping
from typing import Any

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts import services as accounts
from concord.accounts.models import AgencyRole, User
from concord.agencies import services as agencies
from concord.agencies.models import Agency, AgencyStatus
from concord.audit.services import record_event
from concord.coalition.queries import current_coalition
from concord.meetings.services.committees import request_membership
from concord.membership.models import (
    Application,
    ApplicationStatus,
    DecisionTemplate,
    MembershipTerm,
    Recommendation,
    ReviewComment,
    Reviewer,
)
from concord.membership.services.workflow import check_transition, locked, move

DEFAULT_TERM_MONTHS = 12


@transaction.atomic
def add_comment(
    *, actor: User, application: Application, text: str, recommendation: str = ""
) -> ReviewComment:
    if recommendation not in Recommendation.values:
        raise ValidationError({"recommendation": _("Choose a recommendation from the list.")})
    if not text.strip():
        raise ValidationError({"text": _("Write a comment.")})
    comment = ReviewComment.objects.create(
        application=application, author=actor, text=text.strip(), recommendation=recommendation
    )
    record_event(
        actor=actor,
        action="concord.application.commented",
        target=application,
        data={"recommendation": recommendation},
    )
    return comment


def _queue_decision_email(application: Application) -> None:
    from concord.membership.tasks import send_decision

    application_id = application.pk
    transaction.on_commit(lambda: send_decision.enqueue(application_id))


@transaction.atomic
def decline_application(*, actor: User, application: Application, reason: str) -> Application:
    application = locked(application)
    check_transition(application, ApplicationStatus.DECLINED)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the applicant a reason.")}, code="reason")
    application.decision_reason = reason.strip()
    move(
        application,
        ApplicationStatus.DECLINED,
        actor=actor,
        reason=application.decision_reason,
        fields=("decision_reason",),
    )
    _queue_decision_email(application)
    return application


@transaction.atomic
def request_information(
    *, actor: User, application: Application, message: str, due: datetime.date
) -> Application:
    """Ask the applicant for more; they get a link to edit and resubmit by ``due``."""
    application = locked(application)
    check_transition(application, ApplicationStatus.INFO_REQUESTED)
    if not message.strip():
        raise ValidationError({"message": _("Say what the applicant should add or change.")})
    if due <= timezone.localdate():
        raise ValidationError({"due": _("Choose a date after today.")})
    application.info_request = message.strip()
    application.info_due = due
    move(
        application,
        ApplicationStatus.INFO_REQUESTED,
        actor=actor,
        reason=application.info_request,
        fields=("info_request", "info_due"),
    )
    _queue_decision_email(application)
    return application


def _agency_values(application: Application) -> dict[str, Any]:
    service_area = (
        str(_("The whole county")) if application.whole_county else application.service_cities
    )
    return {
        "name": application.legal_name,
        "sector": application.sector,
        "street_address": application.street_address,
        "city": application.city,
        "postal_code": application.postal_code,
        "service_area": service_area,
        "website": application.website,
        "phone": application.phone,
    }


def _member_agency(actor: User, application: Application, link_to: Agency | None) -> Agency:
    agency = application.agency or link_to
    values = _agency_values(application)
    if agency is None:
        if Agency.objects.filter(name__iexact=application.legal_name).exists():
            raise ValidationError(
                {
                    "agency": _(
                        "An agency with this name already exists: link the application to it."
                    )
                },
                code="agency_exists",
            )
        return agencies.create_agency(actor=actor, values=values)
    agency = agencies.update_agency(actor=actor, agency=agency, values=values)
    if agency.status != AgencyStatus.ACTIVE:
        agency = agencies.change_agency_status(
            actor=actor, agency=agency, status=AgencyStatus.ACTIVE
        )
    return agency


def _representative(
    actor: User, application: Application, agency: Agency, prefix: str, role: str
) -> User | None:
    email = getattr(application, f"{prefix}_email").strip().lower()
    if not email:
        return None
    values = {
        "full_name": getattr(application, f"{prefix}_name"),
        "job_title": getattr(application, f"{prefix}_title"),
        "language": getattr(application, f"{prefix}_language") or application.language,
        "agency": agency,
        "agency_role": role,
        "is_staff": False,
    }
    person = User.objects.filter(email__iexact=email).first()
    if person is not None and person.agency_id != agency.pk:
        message = (
            _(
                "The primary representative's email address belongs to a person outside "
                "this agency. Change that person's account first."
            )
            if prefix == "primary"
            else _(
                "The alternate's email address belongs to a person outside this agency. "
                "Change that person's account first."
            )
        )
        raise ValidationError(message, code="person_elsewhere")
    if role == AgencyRole.PRIMARY:
        # The agency names a new primary representative: the former one stays a member.
        others = agency.people.filter(agency_role=AgencyRole.PRIMARY, is_active=True)
        for former in others.exclude(email__iexact=email):
            accounts.update_person(
                actor=actor, person=former, values={"agency_role": AgencyRole.MEMBER}
            )
    if person is None:
        return accounts.invite_person(actor=actor, email=email, values=values)
    values.pop("is_staff")
    if person.agency_role == AgencyRole.PRIMARY and role == AgencyRole.ALTERNATE:
        values.pop("agency_role")
    return accounts.update_person(actor=actor, person=person, values=values)


def _new_term(agency: Agency, application: Application) -> MembershipTerm:
    coalition = current_coalition()
    months = coalition.membership_term_months if coalition else DEFAULT_TERM_MONTHS
    today = timezone.localdate()
    current = agency.membership_terms.filter(ends_on__gte=today).order_by("-ends_on").first()
    starts_on = current.ends_on + datetime.timedelta(days=1) if current else today
    return MembershipTerm.objects.create(
        agency=agency,
        application=application,
        starts_on=starts_on,
        ends_on=starts_on + relativedelta(months=months) - datetime.timedelta(days=1),
        hours_per_month=application.hours_per_month,
    )


@transaction.atomic
def accept_application(
    *, actor: User, application: Application, link_to: Agency | None = None
) -> Application:
    """Make the agency a member: create it (or link the existing one) as active with the
    commitment it made, invite its representatives, and ask the chairs of the committees
    it chose to take its primary representative in."""
    application = locked(application)
    check_transition(application, ApplicationStatus.ACCEPTED)
    agency = _member_agency(actor, application, link_to)
    application.agency = agency
    _new_term(agency, application)
    primary = _representative(actor, application, agency, "primary", AgencyRole.PRIMARY)
    _representative(actor, application, agency, "alternate", AgencyRole.ALTERNATE)
    if primary is not None:
        for committee in application.committees.filter(status="active"):
            request_membership(actor=actor, committee=committee, person=primary)
    move(application, ApplicationStatus.ACCEPTED, actor=actor, fields=("agency",))
    _queue_decision_email(application)
    return application


@transaction.atomic
def add_reviewer(*, actor: User, person: User) -> Reviewer:
    if not person.is_active:
        raise ValidationError({"person": _("Only active people can review applications.")})
    reviewer, created = Reviewer.objects.get_or_create(person=person, defaults={"added_by": actor})
    if created:
        record_event(actor=actor, action="concord.application_reviewer.added", target=person)
    return reviewer


@transaction.atomic
def remove_reviewer(*, actor: User, reviewer: Reviewer) -> None:
    person = reviewer.person
    reviewer.delete()
    record_event(actor=actor, action="concord.application_reviewer.removed", target=person)


@transaction.atomic
def update_decision_template(
    *, actor: User, template: DecisionTemplate, values: Mapping[str, str]
) -> DecisionTemplate:
    changed = [f for f in ("subject", "body") if f in values and getattr(template, f) != values[f]]
    if not changed:
        return template
    for field in changed:
        setattr(template, field, values[field])
    template.full_clean()
    template.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor,
        action="concord.decision_template.updated",
        target=template,
        data={"fields": changed},
    )
    return template
