"""What an applicant does: start, fill in the steps, submit, confirm, resubmit, withdraw.

The applicant has no account; the views reach these through a signed link or the
session it opened, and ``actor`` in the log is empty for them.
"""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import AgencyRole, User
from concord.agencies.models import Agency
from concord.audit.services import record_event
from concord.meetings.models import CommitteeMembership, MembershipStatus
from concord.membership.models import (
    Application,
    ApplicationKind,
    ApplicationStatus,
    Step,
    ValueStatement,
    new_access_key,
    new_reference,
)
from concord.membership.services.schedule import target_meeting
from concord.membership.services.workflow import locked, move

STEP_FIELDS: dict[str, tuple[str, ...]] = {
    Step.AGENCY: (
        "legal_name",
        "sector",
        "street_address",
        "city",
        "postal_code",
        "whole_county",
        "service_cities",
        "website",
        "phone",
        "description",
    ),
    Step.PEOPLE: tuple(
        f"{who}_{what}"
        for who in ("primary", "alternate")
        for what in ("name", "title", "email", "phone", "language")
    ),
    Step.COMMITMENT: ("agrees_to_attend", "agrees_to_committee", "hours_per_month"),
    Step.VALUES: (),
    Step.AGREEMENT: (
        "agrees_to_confidentiality",
        "signature_name",
        "signature_title",
        "signature_date",
    ),
}
# Every step but the last (which only shows the answers) must be complete to submit.
REQUIRED_STEPS = tuple(STEP_FIELDS)


def _refuse_unless_editable(application: Application) -> None:
    if not application.is_editable:
        raise ValidationError(
            _("This application can no longer be changed: it is %(status)s.")
            % {"status": application.get_status_display().lower()},
            code="not_editable",
        )


def _create(**fields: Any) -> Application:
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return Application.objects.create(
                    reference=new_reference(), access_key=new_access_key(), **fields
                )
        except IntegrityError:
            # Another application drew the same reference (1 in 10^11): draw again.
            continue
    raise RuntimeError("Could not draw a free application reference.")


@transaction.atomic
def start_application(*, email: str, language: str) -> Application:
    """A new draft for an applicant; the link to come back to it goes to ``email``."""
    from concord.membership.tasks import send_application_link

    application = _create(contact_email=email.strip().lower(), language=language)
    record_event(actor=None, action="concord.application.started", target=application)
    application_id = application.pk
    transaction.on_commit(lambda: send_application_link.enqueue(application_id))
    return application


def _person_fields(prefix: str, person: User | None) -> dict[str, Any]:
    if person is None:
        return {}
    return {
        f"{prefix}_name": person.full_name,
        f"{prefix}_title": person.job_title,
        f"{prefix}_email": person.email,
        f"{prefix}_language": person.language,
    }


@transaction.atomic
def start_renewal(*, actor: User, agency: Agency) -> Application:
    """The agency's renewal, pre-filled from what the coalition knows; the open one if
    there already is one (a second click finds the first)."""
    agency = Agency.objects.select_for_update().get(pk=agency.pk)
    existing = Application.objects.open().filter(agency=agency, kind=ApplicationKind.RENEWAL)
    if renewal := existing.first():
        return renewal
    people = {p.agency_role: p for p in agency.people.filter(is_active=True)}
    last = agency.applications.filter(status=ApplicationStatus.ACCEPTED).order_by("-pk").first()
    application = _create(
        kind=ApplicationKind.RENEWAL,
        agency=agency,
        contact_email=actor.email,
        language=actor.language,
        legal_name=agency.name,
        sector=agency.sector,
        street_address=agency.street_address,
        city=agency.city,
        postal_code=agency.postal_code,
        service_cities=agency.service_area,
        website=agency.website,
        phone=agency.phone,
        description=last.description if last else "",
        hours_per_month=last.hours_per_month if last else None,
        **_person_fields("primary", people.get(AgencyRole.PRIMARY)),
        **_person_fields("alternate", people.get(AgencyRole.ALTERNATE)),
    )
    committees = CommitteeMembership.objects.filter(
        person__agency=agency, person__is_active=True, status=MembershipStatus.ACTIVE
    ).values_list("committee_id", flat=True)
    application.committees.set(set(committees))
    record_event(
        actor=actor, action="concord.application.renewal_started", target=application, agency=agency
    )
    return application


@transaction.atomic
def save_unsaved_answers(
    *, application: Application, step: str, answers: Mapping[str, Any]
) -> None:
    """Keep what was typed on a step that did not validate (or was left with Back)."""
    application = locked(application)
    _refuse_unless_editable(application)
    application.unsaved_answers = {**application.unsaved_answers, step: dict(answers)}
    application.save(update_fields=["unsaved_answers", "updated_at"])


@transaction.atomic
def save_step(
    *,
    application: Application,
    step: str,
    values: Mapping[str, Any],
    committees: Iterable[Any] | None = None,
    statements: Iterable[Mapping[str, Any]] | None = None,
) -> Application:
    """Save a step's validated answers and mark it complete.

    ``committees`` goes with the commitment step; ``statements`` (position, value,
    affirmed, practice) with the values step."""
    if step not in STEP_FIELDS:
        raise ValueError(f"Unknown step {step!r}")
    application = locked(application)
    _refuse_unless_editable(application)
    fields = STEP_FIELDS[step]
    for field in fields:
        setattr(application, field, values[field])
    if committees is not None:
        application.committees.set(committees)
    if statements is not None:
        application.value_statements.all().delete()
        ValueStatement.objects.bulk_create(
            ValueStatement(application=application, **statement) for statement in statements
        )
    application.completed_steps = sorted({*application.completed_steps, step})
    application.unsaved_answers = {
        key: answers for key, answers in application.unsaved_answers.items() if key != step
    }
    application.save(update_fields=[*fields, "completed_steps", "unsaved_answers", "updated_at"])
    return application


def missing_steps(application: Application) -> list[str]:
    return [step for step in REQUIRED_STEPS if step not in application.completed_steps]


def _email_domains(application: Application) -> str:
    addresses = (application.contact_email, application.primary_email, application.alternate_email)
    domains = sorted({a.rsplit("@", 1)[-1].lower() for a in addresses if "@" in a})
    return " ".join(domains)


@transaction.atomic
def submit_application(*, application: Application) -> Application:
    """Send a complete draft for confirmation of the email address, or send a resubmitted
    application (after a request for information) back to review.

    Submitting twice changes nothing the second time."""
    from concord.membership.tasks import notify_reviewers, send_confirmation_link

    application = locked(application)
    if application.status in (ApplicationStatus.UNCONFIRMED, ApplicationStatus.IN_REVIEW):
        return application
    _refuse_unless_editable(application)
    if missing := missing_steps(application):
        labels = ", ".join(str(Step(step).label) for step in missing)
        raise ValidationError(
            _("Please complete these steps first: %(steps)s.") % {"steps": labels},
            code="incomplete",
        )
    application.email_domains = _email_domains(application)
    application.submitted_at = timezone.now()
    fields: tuple[str, ...] = ("email_domains", "submitted_at")
    application_id = application.pk
    if application.status == ApplicationStatus.DRAFT:
        move(application, ApplicationStatus.UNCONFIRMED, actor=None, fields=fields)
        if _address_on_record(application):
            return _confirm(application, reason=_("The address is a representative's own."))
        transaction.on_commit(lambda: send_confirmation_link.enqueue(application_id))
        return application
    # A resubmission goes to the meeting it can still make from today.
    application.meeting, application.decide_by = target_meeting(timezone.now())
    application.info_due = None
    move(
        application,
        ApplicationStatus.IN_REVIEW,
        actor=None,
        fields=(*fields, "meeting", "decide_by", "info_due"),
    )
    transaction.on_commit(lambda: notify_reviewers.enqueue(application_id, "resubmitted"))
    return application


def _address_on_record(application: Application) -> bool:
    """A renewal sent from the address of one of the agency's own people (accounts are
    only ever opened through a link sent to their address) needs no second proof."""
    return (
        application.kind == ApplicationKind.RENEWAL
        and application.agency_id is not None
        and User.objects.filter(
            email__iexact=application.contact_email,
            agency_id=application.agency_id,
            is_active=True,
        ).exists()
    )


@transaction.atomic
def confirm_email(*, application: Application) -> Application:
    """The applicant proved the address: the application reaches review, dated to the
    coalition meeting it can make. Confirming again changes nothing."""
    application = locked(application)
    if application.status != ApplicationStatus.UNCONFIRMED:
        return application
    return _confirm(application)


def _confirm(application: Application, reason: str = "") -> Application:
    from concord.membership.tasks import notify_reviewers, send_confirmation

    application.confirmed_at = timezone.now()
    application.meeting, application.decide_by = target_meeting(application.confirmed_at)
    move(
        application,
        ApplicationStatus.IN_REVIEW,
        actor=None,
        reason=reason,
        fields=("confirmed_at", "meeting", "decide_by"),
    )
    application_id = application.pk
    transaction.on_commit(lambda: send_confirmation.enqueue(application_id))
    transaction.on_commit(lambda: notify_reviewers.enqueue(application_id, "arrived"))
    return application


@transaction.atomic
def withdraw_application(*, application: Application, reason: str = "") -> Application:
    """The applicant withdraws; withdrawing again changes nothing."""
    application = locked(application)
    if application.status == ApplicationStatus.WITHDRAWN:
        return application
    return move(application, ApplicationStatus.WITHDRAWN, actor=None, reason=reason)
