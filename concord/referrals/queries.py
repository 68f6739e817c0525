"""Reads of referrals: scoped to the user's agency, the inbox, the access log, and the
coordinators' aggregate figures (counts only; small cells suppressed for export)."""

import datetime
import statistics
from collections import Counter
from collections.abc import Mapping
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from concord.agencies.models import Agency
from concord.core.permissions import can_handle_referrals, is_active_user, is_coordinator
from concord.directory.models import Attribute
from concord.referrals.models import (
    Referral,
    ReferralAccess,
    ReferralStatus,
)

SMALL_CELL = 5


def referrals_for(user: Any) -> QuerySet[Referral]:
    """Referrals the user's agency sent, or received once sent; none without the role."""
    if not can_handle_referrals(user):
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(sending_agency_id=user.agency_id)
        | (Q(receiving_agency_id=user.agency_id) & ~Q(status=ReferralStatus.DRAFT))
    )


def referrals_in_reach(user: Any) -> QuerySet[Referral]:
    """The referrals a page may look up for the user before asking a predicate: those of
    the user's agency (sent, or received once sent), with or without the referral role,
    so that a colleague without the role is refused (403) and anyone else finds nothing
    (404). Coordinators reach every referral, to be refused by the predicates."""
    if is_coordinator(user):
        return Referral.objects.all()
    if not is_active_user(user) or user.agency_id is None:
        return Referral.objects.none()
    return Referral.objects.filter(
        Q(sending_agency_id=user.agency_id)
        | (Q(receiving_agency_id=user.agency_id) & ~Q(status=ReferralStatus.DRAFT))
    )


def inbox(user: Any, *, status: str | None = None) -> QuerySet[Referral]:
    """The receiving agency's referrals, most urgent first, then by answer deadline. One
    query for the rows, one for their needs, whatever the number of rows."""
    if not can_handle_referrals(user):
        return Referral.objects.none()
    rows = Referral.objects.filter(receiving_agency_id=user.agency_id).exclude(
        status=ReferralStatus.DRAFT
    )
    if status:
        rows = rows.filter(status=status)
    return (
        rows.select_related("service", "sending_agency")
        .prefetch_related("needs")
        .defer(
            "client_label",
            "safe_contact",
            "safety_notes",
            "full_name",
            "date_of_birth",
            "identity_number",
            "decline_note",
            "outcome_note",
        )
        .order_by("urgency_rank", "respond_by", "pk")
    )


def outbox(user: Any, *, status: str | None = None) -> QuerySet[Referral]:
    if not can_handle_referrals(user):
        return Referral.objects.none()
    rows = Referral.objects.filter(sending_agency_id=user.agency_id)
    if status:
        rows = rows.filter(status=status)
    return rows.select_related("service", "receiving_agency").order_by("-created_at", "-pk")


def access_log(referral: Referral) -> QuerySet[ReferralAccess]:
    return ReferralAccess.objects.filter(
        object_type=Referral._meta.label_lower, object_id=str(referral.pk)
    ).select_related("actor", "agency")


def access_log_for_agency(agency: Agency) -> QuerySet[ReferralAccess]:
    """Every access to client information of the referrals the agency sent or received."""
    ids = Referral.objects.filter(
        Q(sending_agency=agency) | Q(receiving_agency=agency)
    ).values_list("pk", flat=True)
    return ReferralAccess.objects.filter(
        object_type=Referral._meta.label_lower, object_id__in=[str(pk) for pk in ids]
    ).select_related("actor", "agency")


def suppress_small(counts: Mapping[str, int], threshold: int = SMALL_CELL) -> dict[str, int | None]:
    """Counts for export: a cell from 1 to ``threshold - 1`` becomes None (shown as
    suppressed), so a small count cannot point at a person. Zero says nothing and stays."""
    return {key: (None if 0 < value < threshold else value) for key, value in counts.items()}


def _counts(rows: QuerySet[Any], key: str) -> dict[str, int]:
    return {
        str(row[key] or ""): row["count"]
        for row in rows.values(key).annotate(count=Count("pk")).order_by(key)
    }


def referral_figures(
    *,
    now: datetime.datetime | None = None,
    sent_from: datetime.datetime | None = None,
    sent_before: datetime.datetime | None = None,
) -> dict[str, Any]:
    """Aggregate figures for coordinators: no client information, no identifiers. With
    ``sent_from``/``sent_before``, only the referrals sent in that range."""
    now = now or timezone.now()
    sent = Referral.objects.sent_or_later()
    if sent_from is not None:
        sent = sent.filter(sent_at__gte=sent_from)
    if sent_before is not None:
        sent = sent.filter(sent_at__lt=sent_before)
    per_service = dict(
        sent.values_list("service_id")
        .annotate(count=Count("pk"))
        .values_list("service_id", "count")
    )
    by_category: Counter[str] = Counter()
    attributes = Attribute.objects.filter(
        link_id__in=list(per_service), taxonomy_term__isnull=False
    ).values_list("link_id", "taxonomy_term__name")
    categorised = set()
    for service_id, term in attributes:
        by_category[term] += per_service.get(service_id, 0)
        categorised.add(service_id)
    uncategorised = sum(count for pk, count in per_service.items() if pk not in categorised)
    if uncategorised:
        by_category[""] += uncategorised
    accept_hours = [
        (accepted - sent_at).total_seconds() / 3600
        for sent_at, accepted in sent.filter(
            accepted_at__isnull=False, sent_at__isnull=False
        ).values_list("sent_at", "accepted_at")
        if sent_at is not None and accepted is not None
    ]
    totals = sent.aggregate(
        total=Count("pk"),
        closed_with_outcome=Count("pk", filter=Q(status=ReferralStatus.CLOSED) & ~Q(outcome="")),
        overdue=Count("pk", filter=Q(status=ReferralStatus.SENT, respond_by__lt=now)),
        escalated=Count("pk", filter=Q(escalated_at__isnull=False)),
    )
    return {
        "total": totals["total"],
        "by_category": dict(sorted(by_category.items())),
        "by_receiving_agency": _counts(sent, "receiving_agency__name"),
        "by_sending_agency": _counts(sent, "sending_agency__name"),
        "by_status": _counts(sent, "status"),
        "median_hours_to_accept": statistics.median(accept_hours) if accept_hours else None,
        "closed_with_outcome": totals["closed_with_outcome"],
        "closed_loop_rate": (
            totals["closed_with_outcome"] / totals["total"] if totals["total"] else None
        ),
        "declines_by_reason": _counts(sent.exclude(decline_reason=""), "decline_reason"),
        "overdue": totals["overdue"],
        "escalated": totals["escalated"],
    }


def exportable_figures(figures: Mapping[str, Any]) -> dict[str, Any]:
    """The figures with every count table's small cells suppressed, for any export."""
    exported: dict[str, Any] = dict(figures)
    for key in ("by_category", "by_receiving_agency", "by_sending_agency", "by_status"):
        exported[key] = suppress_small(figures[key])
    exported["declines_by_reason"] = suppress_small(figures["declines_by_reason"])
    for key in ("total", "closed_with_outcome", "overdue", "escalated"):
        exported[key] = suppress_small({key: figures[key]})[key]
    return exported
