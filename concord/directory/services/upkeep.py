"""The directory's daily upkeep (issue 5): ask agencies to re-verify their listings
every six months, and tell coordinators about listings stale for twelve."""

import datetime
from functools import partial

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.db.models import F, Q, QuerySet

from concord.audit.services import record_event
from concord.directory.models import ListingReminder, Organization, ReminderKind, Service
from concord.directory.queries import VERIFY_EVERY_MONTHS, stale_before


def _unverified_since(day: datetime.date) -> Q:
    return Q(assured_date__isnull=True) | Q(assured_date__lt=day)


def services_due(today: datetime.date) -> QuerySet[Service]:
    """Listings never verified, or verified six months ago or more."""
    return Service.objects.filter(
        _unverified_since(today - relativedelta(months=VERIFY_EVERY_MONTHS, days=-1))
    )


@transaction.atomic
def queue_verification_requests(*, today: datetime.date) -> int:
    """One request per organization with listings due, at most once in six months."""
    from concord.directory.tasks import send_verification_request

    recent = today - relativedelta(months=VERIFY_EVERY_MONTHS)
    organizations = (
        Organization.objects.filter(agency__isnull=False, services__in=services_due(today))
        .exclude(listing_reminders__kind=ReminderKind.VERIFY, listing_reminders__sent_on__gt=recent)
        .distinct()
    )
    count = 0
    for organization in organizations:
        ListingReminder.objects.create(
            kind=ReminderKind.VERIFY, organization=organization, sent_on=today
        )
        record_event(
            actor=None,
            action="concord.listing.verification_requested",
            target=organization,
            agency=organization.agency,
        )
        transaction.on_commit(partial(send_verification_request.enqueue, str(organization.pk)))
        count += 1
    return count


@transaction.atomic
def queue_stale_notices(*, today: datetime.date) -> int:
    """Tell coordinators, in one email, about listings newly stale: each listing once per
    staleness period (a reminder sent after its last verification)."""
    from concord.directory.tasks import send_stale_notice

    stale = Service.objects.filter(_unverified_since(stale_before(today))).exclude(
        Q(listing_reminders__kind=ReminderKind.STALE)
        & (Q(assured_date__isnull=True) | Q(listing_reminders__sent_on__gt=F("assured_date")))
    )
    ids = [str(pk) for pk in stale.values_list("pk", flat=True).distinct()]
    if not ids:
        return 0
    ListingReminder.objects.bulk_create(
        ListingReminder(kind=ReminderKind.STALE, service_id=pk, sent_on=today) for pk in ids
    )
    record_event(actor=None, action="concord.listing.stale_reported", data={"count": len(ids)})
    transaction.on_commit(lambda: send_stale_notice.enqueue(ids))
    return len(ids)
