"""Retention: client information is erased a while after a referral ends or its consent
lapses; the de-identified record (service, needs, dates, outcome) stays for the figures.

Set-based and batched: one UPDATE per batch of referrals, of their messages and of
consents, so ten thousand referrals take seconds."""

import datetime
import functools
import logging

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef, Q

from concord.audit.services import record_event
from concord.core.storage import encrypted_storage
from concord.referrals.models import (
    CLIENT_FIELDS,
    Consent,
    Referral,
    ReferralMessage,
    ReferralStatus,
)

logger = logging.getLogger(__name__)
BATCH = 1000
_ERASED: dict[str, None] = dict.fromkeys((*CLIENT_FIELDS, "decline_note", "outcome_note"))


def retention_cutoff(now: datetime.datetime) -> datetime.datetime:
    return now - datetime.timedelta(days=settings.REFERRAL_RETENTION_DAYS)


def referrals_to_purge(now: datetime.datetime) -> "Q":
    cutoff = retention_cutoff(now)
    return Q(purged_at__isnull=True) & (
        Q(status=ReferralStatus.CLOSED, closed_at__lt=cutoff)
        | Q(status=ReferralStatus.WITHDRAWN, withdrawn_at__lt=cutoff)
        | Q(status=ReferralStatus.DECLINED, responded_at__lt=cutoff)
        | Q(consent__expires_at__lt=cutoff)
    )


def purge_referrals(*, now: datetime.datetime) -> int:
    """Erase the client information and messages of ended referrals; returns how many."""
    purged = 0
    while True:
        with transaction.atomic():
            ids = list(
                Referral.objects.filter(referrals_to_purge(now))
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH]
            )
            if not ids:
                break
            ReferralMessage.objects.filter(referral_id__in=ids).update(body=None)
            purged += Referral.objects.filter(pk__in=ids).update(purged_at=now, **_ERASED)
    return purged


def purge_consents(*, now: datetime.datetime) -> int:
    """Erase the signed form, typed signature and purpose of consents that lapsed before
    the cut-off, or whose referrals are all purged."""
    cutoff = retention_cutoff(now)
    unpurged_referral = Referral.objects.filter(consent=OuterRef("pk"), purged_at__isnull=True)
    any_referral = Referral.objects.filter(consent=OuterRef("pk"))
    due = Consent.objects.filter(purged_at__isnull=True).filter(
        Q(expires_at__lt=cutoff)
        | Q(revoked_at__lt=cutoff)
        | (Exists(any_referral) & ~Exists(unpurged_referral))
    )
    purged = 0
    while True:
        with transaction.atomic():
            rows = list(due.order_by("pk").values_list("pk", "signed_form")[:BATCH])
            if not rows:
                break
            ids = [pk for pk, _name in rows]
            purged += Consent.objects.filter(pk__in=ids).update(
                purged_at=now, signed_form="", signature_name=None, purpose=None
            )
            names = [name for _pk, name in rows if name]
            if names:
                transaction.on_commit(functools.partial(_delete_files, names))
    return purged


def _delete_files(names: list[str]) -> None:
    storage = encrypted_storage()
    for name in names:
        storage.delete(name)


def purge(*, now: datetime.datetime) -> dict[str, int]:
    counts = {"referrals": purge_referrals(now=now), "consents": purge_consents(now=now)}
    if any(counts.values()):
        with transaction.atomic():
            record_event(actor=None, action="concord.referral.purged", data=counts)
    logger.info("referral purge erased client information", extra=counts)
    return counts
