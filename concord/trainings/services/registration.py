"""Registrations: seats, the waitlist, confirmation by email and cancellation.

Every change that takes or frees a seat first locks the session's row
(``select_for_update`` inside ``transaction.atomic``; on SQLite the IMMEDIATE transactions
queue writers instead) and counts the REGISTERED rows under that lock, so two people
reaching for the last seat at once get one seat and one waitlist place.

Links in emails carry the registration's ``public_id``, signed and salted by purpose:
never the address or the name.
"""

import datetime
import enum

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.agencies.models import Sector
from concord.audit.services import record_event
from concord.trainings.models import (
    Registration,
    RegistrationStatus,
    SessionStatus,
    TrainingSession,
)

# A public registration not confirmed by email within this time holds nothing and expires.
CONFIRMATION_LIFETIME = datetime.timedelta(hours=48)
# A cancel link works as long as the registration can be cancelled; this bounds it anyway.
CANCEL_LINK_LIFETIME = datetime.timedelta(days=366)


class Purpose(enum.StrEnum):
    CONFIRM = "concord.trainings.registration.confirm"
    CANCEL = "concord.trainings.registration.cancel"


class LinkExpiredError(Exception):
    """The link was genuine but is older than its lifetime."""


def make_token(registration: Registration, purpose: Purpose) -> str:
    return signing.dumps(str(registration.public_id), salt=purpose.value)


def registration_for_token(token: str, purpose: Purpose) -> Registration | None:
    """The registration a link names; None for a forged one. Raises LinkExpiredError for
    a genuine link past its lifetime."""
    lifetime = CONFIRMATION_LIFETIME if purpose == Purpose.CONFIRM else CANCEL_LINK_LIFETIME
    try:
        public_id = signing.loads(token, salt=purpose.value, max_age=lifetime)
    except signing.SignatureExpired:
        raise LinkExpiredError from None
    except (signing.BadSignature, ValueError, TypeError):
        return None
    return (
        Registration.objects.select_related("session__training")
        .filter(public_id=str(public_id))
        .first()
    )


# Reading the state of a session.


def registration_closed_reason(session: TrainingSession, now: datetime.datetime) -> str:
    """Why nobody can register now, or "" when registration is open."""
    if session.status == SessionStatus.CANCELLED:
        return _("This session is cancelled.")
    if now >= session.registration_deadline or now >= session.starts_at:
        return _("Registration for this session is closed.")
    return ""


def seats_taken(session: TrainingSession) -> int:
    return session.registrations.filter(status=RegistrationStatus.REGISTERED).count()


def _locked(session: TrainingSession) -> TrainingSession:
    return TrainingSession.objects.select_for_update().get(pk=session.pk)


def _check_open(session: TrainingSession) -> None:
    reason = registration_closed_reason(session, timezone.now())
    if reason:
        raise ValidationError(reason)


def _already_registered() -> ValidationError:
    return ValidationError(
        {"email": _("This email address is already registered for this session.")}
    )


def _live(session: TrainingSession, email: str) -> QuerySet[Registration]:
    return session.registrations.filter(email__iexact=email.strip()).exclude(
        status=RegistrationStatus.CANCELLED
    )


def _place(registration: Registration, session: TrainingSession, now: datetime.datetime) -> None:
    """Give a seat if one is left, else a waitlist place; the session row must be locked."""
    has_seat = seats_taken(session) < session.capacity
    registration.status = (
        RegistrationStatus.REGISTERED if has_seat else RegistrationStatus.WAITLISTED
    )
    registration.queued_at = now


def _notify(registration: Registration, kind: str) -> None:
    from concord.trainings.tasks import send_registration_email

    transaction.on_commit(lambda: send_registration_email.enqueue(registration.pk, kind))


# Registering.


def register_person(*, actor: User, session: TrainingSession) -> Registration:
    """A signed-in person registers in one click with their account's details: confirmed
    at once, with a seat or a waitlist place."""
    with transaction.atomic():
        session = _locked(session)
        _check_open(session)
        if _live(session, actor.email).exists():
            raise _already_registered()
        agency = actor.agency
        registration = Registration(
            session=session,
            person=actor,
            name=actor.full_name or actor.email,
            email=actor.email,
            affiliation=agency.name if agency else "",
            sector=agency.sector if agency else Sector.OTHER,
            language=actor.language or "en",
        )
        _place(registration, session, timezone.now())
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise _already_registered() from None
        record_event(
            actor=actor,
            action="concord.training.registration.created",
            target=registration,
            agency=agency,
            data={"session": session.pk, "status": registration.status},
        )
        _notify(registration, registration.status)
    return registration


def register_public(
    *,
    session: TrainingSession,
    name: str,
    email: str,
    affiliation: str,
    sector: str,
    language: str,
) -> Registration:
    """A member of the public registers; the place is theirs once they confirm their
    address through the emailed link (``confirm_registration``)."""
    with transaction.atomic():
        _check_open(session)
        if _live(session, email).exists():
            raise _already_registered()
        registration = Registration(
            session=session,
            name=name,
            email=email.strip(),
            affiliation=affiliation,
            sector=sector,
            language=language,
            status=RegistrationStatus.PENDING,
        )
        try:
            with transaction.atomic():
                registration.save()
        except IntegrityError:
            raise _already_registered() from None
        record_event(
            actor=None,
            action="concord.training.registration.requested",
            target=registration,
            data={"session": session.pk},
        )
        _notify(registration, "confirm")
    return registration


def confirm_registration(*, registration: Registration) -> Registration:
    """The emailed link followed: a seat if one is left, else the waitlist. Confirming
    twice changes nothing."""
    with transaction.atomic():
        session = _locked(registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.PENDING:
            return registration
        if timezone.now() - registration.created_at > CONFIRMATION_LIFETIME:
            raise ValidationError(_("This registration expired before it was confirmed."))
        _check_open(session)
        _place(registration, session, timezone.now())
        registration.save(update_fields=["status", "queued_at", "updated_at"])
        record_event(
            actor=None,
            action="concord.training.registration.confirmed",
            target=registration,
            data={"session": session.pk, "status": registration.status},
        )
        _notify(registration, registration.status)
    registration.session = session
    return registration


# Cancelling, and moving the waitlist up.


def promote_waitlisted(*, session: TrainingSession) -> list[Registration]:
    """Fill free seats from the waitlist, first confirmed first; the session row must be
    locked by the caller. Each promoted person is emailed."""
    if session.status == SessionStatus.CANCELLED or session.starts_at <= timezone.now():
        return []
    free = session.capacity - seats_taken(session)
    if free <= 0:
        return []
    promoted = list(
        session.registrations.filter(status=RegistrationStatus.WAITLISTED).order_by(
            "queued_at", "id"
        )[:free]
    )
    for registration in promoted:
        registration.status = RegistrationStatus.REGISTERED
        registration.save(update_fields=["status", "updated_at"])
        record_event(
            actor=None,
            action="concord.training.registration.promoted",
            target=registration,
            data={"session": session.pk},
        )
        _notify(registration, "promoted")
    return promoted


def cancel_registration(*, registration: Registration, actor: User | None) -> Registration:
    """Give up a place; a freed seat goes to the first person on the waitlist."""
    with transaction.atomic():
        session = _locked(registration.session)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == RegistrationStatus.CANCELLED:
            return registration
        if session.starts_at <= timezone.now():
            raise ValidationError(_("This session has started: the registration stays."))
        held_seat = registration.status == RegistrationStatus.REGISTERED
        registration.status = RegistrationStatus.CANCELLED
        registration.save(update_fields=["status", "updated_at"])
        record_event(
            actor=actor,
            action="concord.training.registration.cancelled",
            target=registration,
            data={"session": session.pk},
        )
        if held_seat:
            promote_waitlisted(session=session)
    return registration


def expire_pending_registrations(*, now: datetime.datetime) -> int:
    """The daily upkeep: public registrations never confirmed within 48 hours expire."""
    stale = Registration.objects.filter(
        status=RegistrationStatus.PENDING, created_at__lt=now - CONFIRMATION_LIFETIME
    )
    expired = 0
    for registration_id in stale.values_list("pk", flat=True):
        with transaction.atomic():
            registration = (
                Registration.objects.select_for_update()
                .filter(pk=registration_id, status=RegistrationStatus.PENDING)
                .first()
            )
            if registration is None:
                continue
            registration.status = RegistrationStatus.CANCELLED
            registration.save(update_fields=["status", "updated_at"])
            record_event(
                actor=None,
                action="concord.training.registration.expired",
                target=registration,
                data={"session": registration.session_id},
            )
            expired += 1
    return expired
