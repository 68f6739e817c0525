"""Referrals from draft to close. Each service checks the actor's side of the referral,
locks the row, checks the transition, saves, audits (statuses and codes only) and queues
emails after commit. The receiving agency is always the service's organization's agency,
never taken from input."""

from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.audit.services import record_event
from concord.core.permissions import (
    can_handle_referrals,
    is_referral_receiver,
    is_referral_sender,
)
from concord.directory.models import Service, ServiceStatus, TaxonomyTerm
from concord.referrals.models import (
    CLIENT_FIELDS,
    AgeRange,
    Consent,
    DeclineReason,
    Outcome,
    Referral,
    ReferralMessage,
    ReferralStatus,
    Urgency,
)
from concord.referrals.services.workflow import check_transition, locked, move, respond_by

# What a draft's form may set; the agencies, sender, status and consent never come from it.
_PLAIN_FIELDS = ("urgency", "age_range", "referrer_contact", "languages")
DRAFT_FIELDS = (*_PLAIN_FIELDS, *CLIENT_FIELDS, "needs")


def _receiving_agency_id(service: Service) -> int:
    if service.status != ServiceStatus.ACTIVE:
        raise ValidationError(
            {"service": _("This service is not active: choose another service.")},
            code="inactive_service",
        )
    agency_id = service.organization.agency_id
    if agency_id is None:
        raise ValidationError(
            {
                "service": _(
                    "This service's organization is not a member agency of the coalition, "
                    "so it cannot receive referrals."
                )
            },
            code="no_agency",
        )
    return int(agency_id)


def _check_values(values: Mapping[str, Any]) -> None:
    unknown = set(values) - set(DRAFT_FIELDS)
    if unknown:
        raise ValidationError(_("These fields cannot be set on a referral."), code="unknown")
    errors: dict[str, str] = {}
    if "urgency" in values and values["urgency"] not in Urgency.values:
        errors["urgency"] = _("Choose an urgency from the list.")
    if "age_range" in values and values["age_range"] not in AgeRange.values:
        errors["age_range"] = _("Choose an age range from the list.")
    languages = values.get("languages", [])
    if not isinstance(languages, list | tuple) or any(
        not isinstance(code, str) or not 2 <= len(code) <= 8 for code in languages
    ):
        errors["languages"] = _("Choose languages from the list.")
    if errors:
        raise ValidationError(errors)


def _apply(referral: Referral, values: Mapping[str, Any]) -> list[str]:
    """Set the given values; returns the names of the fields that changed (not values)."""
    changed = []
    for name in (*_PLAIN_FIELDS, *CLIENT_FIELDS):
        if name not in values:
            continue
        value = values[name]
        if name in CLIENT_FIELDS:
            value = (value or "").strip() or None
        elif name == "languages":
            value = list(value)
        elif isinstance(value, str):
            value = value.strip()
        if getattr(referral, name) != value:
            setattr(referral, name, value)
            changed.append(name)
    return changed


def _set_needs(referral: Referral, needs: Iterable[Any]) -> None:
    ids = [getattr(term, "pk", term) for term in needs]
    terms = list(TaxonomyTerm.objects.filter(pk__in=ids))
    if len(terms) != len(set(map(str, ids))):
        raise ValidationError({"needs": _("Choose needs from the list.")}, code="needs")
    referral.needs.set(terms)


def check_client_information(referral: Referral) -> None:
    """Client information goes out only under a valid consent naming the receiving agency
    and covering each field that holds something."""
    present = list(referral.client_values())
    if not present:
        return
    consent = referral.consent
    if consent is None:
        raise ValidationError(
            _(
                "This referral holds client information, so it needs the client's consent. "
                "Record a consent, or remove the client information to send a needs-only "
                "referral."
            ),
            code="consent_required",
        )
    if not consent.is_valid():
        raise ValidationError(
            _("The consent has expired or was revoked: record a new consent."),
            code="consent_invalid",
        )
    uncovered = [name for name in present if not consent.covers(name)]
    if uncovered:
        raise ValidationError(
            {
                name: _("The consent does not cover this information: remove it.")
                for name in uncovered
            },
            code="not_covered",
        )


def _check_consent_matches(referral: Referral, consent: Consent) -> None:
    if consent.sending_agency_id != referral.sending_agency_id:
        raise ValidationError(
            {"consent": _("This consent was recorded by another agency.")},
            code="consent_agency",
        )
    if consent.receiving_agency_id != referral.receiving_agency_id:
        raise ValidationError(
            {
                "consent": _(
                    "This consent names another agency. One consent names one agency: "
                    "record a new consent for the agency of this service."
                )
            },
            code="consent_agency",
        )


def _agency_of(actor: User) -> Agency:
    # Only people of an agency get past the predicates that guard these services.
    if actor.agency is None:
        raise PermissionDenied
    return actor.agency


def _require_sender(actor: User, referral: Referral) -> None:
    if not is_referral_sender(actor, referral):
        raise PermissionDenied


def _require_receiver(actor: User, referral: Referral) -> None:
    if not is_referral_receiver(actor, referral):
        raise PermissionDenied


@transaction.atomic
def create_draft(
    *,
    actor: User,
    service: Service,
    values: Mapping[str, Any],
    consent: Consent | None = None,
) -> Referral:
    """A new draft from the actor's agency to ``service``."""
    if not can_handle_referrals(actor):
        raise PermissionDenied
    service = Service.objects.select_related("organization").get(pk=service.pk)
    receiving_agency_id = _receiving_agency_id(service)
    if receiving_agency_id == actor.agency_id:
        raise ValidationError(
            {"service": _("This service belongs to your own agency.")}, code="own_agency"
        )
    _check_values(values)
    referral = Referral(
        sending_agency=actor.agency,
        sender=actor,
        service=service,
        receiving_agency_id=receiving_agency_id,
    )
    changed = _apply(referral, values)
    if consent is not None:
        _check_consent_matches(referral, consent)
        referral.consent = consent
    referral.full_clean(exclude=["needs"])
    referral.save()
    if "needs" in values:
        _set_needs(referral, values["needs"])
    if consent is not None:
        check_client_information(referral)
    record_event(
        actor=actor,
        action="concord.referral.created",
        target=referral,
        agency=actor.agency,
        data={"fields": sorted(changed), "service": str(service.pk)},
    )
    return referral


@transaction.atomic
def update_draft(*, actor: User, referral: Referral, values: Mapping[str, Any]) -> Referral:
    """Change what a draft (or a referral sent back for more information) says."""
    referral = locked(referral)
    _require_sender(actor, referral)
    if not referral.is_editable:
        raise ValidationError(
            _("This referral is %(status)s and can no longer be edited.")
            % {"status": referral.get_status_display().lower()},
            code="not_editable",
        )
    _check_values(values)
    changed = _apply(referral, values)
    referral.full_clean(exclude=["needs"])
    referral.save(update_fields=[*changed, "updated_at"])
    if "needs" in values:
        _set_needs(referral, values["needs"])
        changed.append("needs")
    if referral.consent_id is not None:
        check_client_information(referral)
    record_event(
        actor=actor,
        action="concord.referral.edited",
        target=referral,
        agency=actor.agency,
        data={"fields": sorted(changed)},
    )
    return referral


@transaction.atomic
def attach_consent(*, actor: User, referral: Referral, consent: Consent) -> Referral:
    referral = locked(referral)
    _require_sender(actor, referral)
    if not referral.is_editable:
        raise ValidationError(_("This referral can no longer be edited."), code="not_editable")
    _check_consent_matches(referral, consent)
    if not consent.is_valid():
        raise ValidationError(
            {"consent": _("The consent has expired or was revoked: record a new consent.")},
            code="consent_invalid",
        )
    referral.consent = consent
    referral.save(update_fields=["consent", "updated_at"])
    record_event(
        actor=actor,
        action="concord.referral.consent_attached",
        target=referral,
        agency=actor.agency,
        data={"consent": consent.pk},
    )
    return referral


@transaction.atomic
def send_referral(*, actor: User, referral: Referral) -> Referral:
    """Send a draft (or send again what was asked for); the receiving agency's people with
    the role are told, without any client information."""
    from concord.referrals.tasks import notify_new_referral

    referral = locked(referral)
    _require_sender(actor, referral)
    check_transition(referral, ReferralStatus.SENT)
    service = Service.objects.select_related("organization").get(pk=referral.service_id)
    if _receiving_agency_id(service) != referral.receiving_agency_id:
        raise ValidationError(
            {"service": _("This service changed hands: start a new referral.")},
            code="service_moved",
        )
    check_client_information(referral)
    now = timezone.now()
    referral.respond_by = respond_by(referral.urgency, now)
    referral.escalated_at = None
    move(referral, ReferralStatus.SENT, actor=actor, fields=("respond_by", "escalated_at"))
    referral_id = referral.pk
    transaction.on_commit(lambda: notify_new_referral.enqueue(referral_id))
    return referral


@transaction.atomic
def accept_referral(*, actor: User, referral: Referral) -> Referral:
    referral = locked(referral)
    _require_receiver(actor, referral)
    return move(referral, ReferralStatus.ACCEPTED, actor=actor)


@transaction.atomic
def decline_referral(*, actor: User, referral: Referral, reason: str, note: str = "") -> Referral:
    referral = locked(referral)
    _require_receiver(actor, referral)
    check_transition(referral, ReferralStatus.DECLINED)
    if reason not in DeclineReason.values:
        raise ValidationError({"reason": _("Choose a reason from the list.")}, code="reason")
    referral.decline_reason = reason
    referral.decline_note = note.strip() or None
    return move(
        referral, ReferralStatus.DECLINED, actor=actor, fields=("decline_reason", "decline_note")
    )


@transaction.atomic
def request_information(*, actor: User, referral: Referral, message: str) -> Referral:
    """Send the referral back to the sender with a question, posted as a message."""
    referral = locked(referral)
    _require_receiver(actor, referral)
    check_transition(referral, ReferralStatus.INFO_REQUESTED)
    if not message.strip():
        raise ValidationError({"message": _("Say what information you need.")}, code="message")
    ReferralMessage.objects.create(
        referral=referral, author=actor, agency=_agency_of(actor), body=message.strip()
    )
    return move(referral, ReferralStatus.INFO_REQUESTED, actor=actor)


@transaction.atomic
def start_referral(*, actor: User, referral: Referral) -> Referral:
    referral = locked(referral)
    _require_receiver(actor, referral)
    return move(referral, ReferralStatus.IN_PROGRESS, actor=actor)


@transaction.atomic
def complete_referral(*, actor: User, referral: Referral, outcome: str, note: str = "") -> Referral:
    referral = locked(referral)
    _require_receiver(actor, referral)
    check_transition(referral, ReferralStatus.COMPLETED)
    if outcome not in Outcome.values:
        raise ValidationError({"outcome": _("Choose an outcome from the list.")}, code="outcome")
    referral.outcome = outcome
    referral.outcome_note = note.strip() or None
    return move(referral, ReferralStatus.COMPLETED, actor=actor, fields=("outcome", "outcome_note"))


@transaction.atomic
def close_referral(*, actor: User, referral: Referral) -> Referral:
    """Either agency closes a completed or declined referral: the loop is closed."""
    referral = locked(referral)
    if not (is_referral_sender(actor, referral) or is_referral_receiver(actor, referral)):
        raise PermissionDenied
    return move(referral, ReferralStatus.CLOSED, actor=actor)


@transaction.atomic
def withdraw_referral(*, actor: User, referral: Referral) -> Referral:
    referral = locked(referral)
    _require_sender(actor, referral)
    return move(referral, ReferralStatus.WITHDRAWN, actor=actor)


@transaction.atomic
def post_message(*, actor: User, referral: Referral, body: str) -> ReferralMessage:
    """A message between the two agencies; the audit event holds no text."""
    referral = Referral.objects.get(pk=referral.pk)
    if not (is_referral_sender(actor, referral) or is_referral_receiver(actor, referral)):
        raise PermissionDenied
    if referral.is_purged or referral.status == ReferralStatus.WITHDRAWN:
        raise ValidationError(_("This referral takes no more messages."), code="closed")
    if not body.strip():
        raise ValidationError({"body": _("Write a message.")}, code="body")
    message = ReferralMessage.objects.create(
        referral=referral, author=actor, agency=_agency_of(actor), body=body.strip()
    )
    record_event(
        actor=actor,
        action="concord.referral.message_posted",
        target=referral,
        agency=actor.agency,
        data={"message": message.pk},
    )
    return message
