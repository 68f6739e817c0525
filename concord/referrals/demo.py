"""Demo referrals between demo agencies, in various states, so a person can try the whole
flow. Client labels begin with "Demo client"; every referral with client information has
a consent (an e-signature captured in person). Idempotent: nothing is added when the
demo already has referrals."""

import datetime
import random
from collections.abc import Iterator

from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.utils import timezone

from concord.accounts.demo import DEMO_TOTP_SECRET
from concord.accounts.models import User
from concord.directory.models import Service, ServiceStatus, TaxonomyTerm
from concord.referrals.models import (
    ClientField,
    Consent,
    ConsentGiver,
    ConsentMethod,
    DeclineReason,
    Outcome,
    Referral,
    ReferralStatus,
    ReferralStatusChange,
    Urgency,
)
from concord.referrals.services.workflow import respond_by

DEMO_REFERRALS_LOGIN = "referrals@example.org"
# (client label or "" for needs only, urgency, the steps it goes through after sending)
PLAN = [
    ("Demo client A.R.", Urgency.URGENT, []),
    ("Demo client M.", Urgency.ROUTINE, ["accept", "start"]),
    ("", Urgency.EMERGENCY, []),
    ("Demo client J.T.", Urgency.ROUTINE, ["decline"]),
    ("Demo client L.", Urgency.ROUTINE, ["accept", "start", "complete"]),
    ("Demo client S.K.", Urgency.URGENT, ["accept", "start", "complete", "close"]),
]


def _handler(agency_id: int) -> User | None:
    return User.objects.filter(agency_id=agency_id, is_active=True).order_by("pk").first()


_STEPS = {
    "accept": (ReferralStatus.ACCEPTED, "accepted_at"),
    "start": (ReferralStatus.IN_PROGRESS, ""),
    "decline": (ReferralStatus.DECLINED, ""),
    "complete": (ReferralStatus.COMPLETED, "completed_at"),
    "close": (ReferralStatus.CLOSED, "closed_at"),
}


def _advance(
    referral: Referral, steps: list[str], *, sender: User, receiver: User, now: datetime.datetime
) -> None:
    """Send the referral a few days ago, then take it through ``steps`` a day apart."""
    moment = now - datetime.timedelta(days=len(steps) + 1)
    changes = [
        ReferralStatusChange(
            referral=referral,
            from_status=ReferralStatus.DRAFT,
            to_status=ReferralStatus.SENT,
            actor=sender,
        )
    ]
    referral.status = ReferralStatus.SENT
    referral.sent_at = moment
    referral.respond_by = respond_by(referral.urgency, moment)
    for step in steps:
        moment += datetime.timedelta(days=1)
        status, stamp = _STEPS[step]
        changes.append(
            ReferralStatusChange(
                referral=referral,
                from_status=referral.status,
                to_status=status,
                actor=sender if step == "close" else receiver,
            )
        )
        referral.status = status
        if stamp:
            setattr(referral, stamp, moment)
        if step in ("accept", "decline"):
            referral.responded_at = moment
        if step == "decline":
            referral.decline_reason = DeclineReason.NO_CAPACITY
        if step == "complete":
            referral.outcome = Outcome.SERVICES_RECEIVED
    referral.save()
    ReferralStatusChange.objects.bulk_create(changes)


def seed(*, scale: int, rng: random.Random) -> Iterator[str]:
    sender = User.objects.filter(email=DEMO_REFERRALS_LOGIN).first()
    if sender is None or sender.agency_id is None:
        return
    if not sender.handles_referrals:
        sender.handles_referrals = True
        sender.save(update_fields=["handles_referrals"])
    # The role asks for a second factor: the demo's published secret, as for coordinators.
    if not Authenticator.objects.filter(user=sender, type=Authenticator.Type.TOTP).exists():
        TOTP.activate(sender, DEMO_TOTP_SECRET)
    if Referral.objects.exists():
        return
    services = list(
        Service.objects.filter(status=ServiceStatus.ACTIVE, organization__agency__isnull=False)
        .exclude(organization__agency_id=sender.agency_id)
        .select_related("organization")
        .order_by("name")
    )
    if not services:
        return
    terms = list(TaxonomyTerm.objects.order_by("name")[:20])
    now = timezone.now()
    created = 0
    for index, (label, urgency, steps) in enumerate(PLAN):
        service = services[index % len(services)]
        receiver = _handler(service.organization.agency_id)  # type: ignore[arg-type]
        if receiver is None:
            continue
        if not receiver.handles_referrals:
            receiver.handles_referrals = True
            receiver.save(update_fields=["handles_referrals"])
        consent = None
        values: dict[str, object] = {
            "urgency": urgency,
            "languages": ["en", "es"][: 1 + index % 2],
            "referrer_contact": "Call the intake line and ask for the referral desk.",
            "needs": [term.pk for term in rng.sample(terms, min(2, len(terms)))],
        }
        if label:
            consent = Consent.objects.create(
                sending_agency_id=sender.agency_id,
                receiving_agency_id=service.organization.agency_id,  # type: ignore[misc]
                given_by=ConsentGiver.SURVIVOR,
                shared_fields=[
                    ClientField.CLIENT_LABEL,
                    ClientField.SAFE_CONTACT,
                    ClientField.SAFETY_NOTES,
                ],
                purpose="Demo: referral for services.",
                method=ConsentMethod.E_SIGNATURE,
                signature_name=label,
                signed_at=now,
                language="en" if index % 2 else "es",
                created_by=sender,
                expires_at=now + datetime.timedelta(days=90),
            )
            values |= {
                "client_label": label,
                "safe_contact": "Demo: phone only, weekdays 2 to 4 pm, no voicemail.",
                "safety_notes": "Demo: do not leave messages at home.",
            }
        # Rows written directly, as the other demos do: seeding is not anyone's action,
        # so it leaves no audit events and sends no email.
        referral = Referral.objects.create(
            sending_agency_id=sender.agency_id,
            sender=sender,
            service=service,
            receiving_agency_id=service.organization.agency_id,  # type: ignore[misc]
            consent=consent,
            **{key: value for key, value in values.items() if key != "needs"},
        )
        referral.needs.set(values["needs"])  # type: ignore[arg-type]
        _advance(referral, steps, sender=sender, receiver=receiver, now=now)
        created += 1
    if created:
        yield f"Created {created} referrals."
