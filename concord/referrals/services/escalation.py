"""Escalation of referrals not answered in time: once per referral."""

import datetime

from django.db import transaction

from concord.audit.services import record_event
from concord.referrals.models import AWAITING_ANSWER, Referral


@transaction.atomic
def queue_escalations(*, now: datetime.datetime) -> int:
    """Claim every overdue, unescalated referral and queue its email after commit."""
    from concord.referrals.tasks import send_escalation

    overdue = Referral.objects.select_for_update().filter(
        status__in=AWAITING_ANSWER, respond_by__lt=now, escalated_at__isnull=True
    )
    ids = list(overdue.values_list("pk", flat=True))
    if not ids:
        return 0
    Referral.objects.filter(pk__in=ids, escalated_at__isnull=True).update(escalated_at=now)
    for referral_id in ids:
        record_event(
            actor=None,
            action="concord.referral.escalated",
            target=Referral(pk=referral_id),
        )
    transaction.on_commit(lambda: [send_escalation.enqueue(pk) for pk in ids])
    return len(ids)
