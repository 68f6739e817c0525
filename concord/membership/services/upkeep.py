"""The daily upkeep: keep decide-by dates true, warn, invite renewals, lapse, erase."""

import datetime

from dateutil.relativedelta import relativedelta
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies import services as agencies
from concord.agencies.models import Agency, AgencyStatus
from concord.audit.services import record_event
from concord.coalition.queries import current_coalition
from concord.meetings.models import MeetingStatus
from concord.membership.models import (
    PERSONAL_APPLICATION_FIELDS,
    Application,
    ApplicationKind,
    ApplicationStatus,
    DueWarning,
    MembershipTerm,
    ReviewComment,
    StatusChange,
    ValueStatement,
)
from concord.membership.services.schedule import decide_by_for, decision_days, target_meeting

WARN_DAYS = 7
RENEWAL_NOTICE_DAYS = 30
DEFAULT_RETENTION_MONTHS = 12
# Drafts never submitted (or never confirmed) are deleted once their links are long dead.
ABANDONED_AFTER = datetime.timedelta(days=90)


@transaction.atomic
def retarget_applications(*, now: datetime.datetime) -> int:
    """Follow moved and cancelled coalition meetings: an undecided application keeps the
    meeting it was promised if it still takes place (at its new date), else it goes to the
    next one it can make. An applicant whose date to hear by changes is told. Returns how
    many changed."""
    from concord.membership.tasks import send_new_date

    days = decision_days()
    changed = 0
    new_dates: list[int] = []
    undecided = (
        Application.objects.undecided().select_related("meeting").select_for_update(of=("self",))
    )
    for application in undecided:
        meeting = application.meeting
        if meeting is None or meeting.status == MeetingStatus.CANCELLED:
            meeting, decide_by = target_meeting(max(now, application.confirmed_at or now), days)
        else:
            decide_by = decide_by_for(meeting, days)
        if (meeting, decide_by) == (application.meeting, application.decide_by):
            continue
        promised = application.decide_by
        application.meeting, application.decide_by = meeting, decide_by
        application.save(update_fields=["meeting", "decide_by", "updated_at"])
        changed += 1
        if promised != decide_by:
            new_dates.append(application.pk)
    transaction.on_commit(lambda: [send_new_date.enqueue(pk) for pk in new_dates])
    return changed


def coordinators() -> list[int]:
    return list(User.objects.filter(is_active=True, is_staff=True).values_list("pk", flat=True))


def queue_due_warnings(*, today: datetime.date) -> int:
    """Warn each coordinator, once per application and decide-by date, about undecided
    applications due within a week (or overdue)."""
    from concord.membership.tasks import send_due_warning

    due = Application.objects.undecided().filter(
        decide_by__isnull=False, decide_by__lte=today + datetime.timedelta(days=WARN_DAYS)
    )
    queued: list[int] = []
    people = coordinators()
    with transaction.atomic():
        for application_id, decide_by in due.values_list("pk", "decide_by"):
            if decide_by is None:  # filtered out above; narrows the type
                continue
            for person_id in people:
                try:
                    with transaction.atomic():
                        warning = DueWarning.objects.create(
                            application_id=application_id,
                            person_id=person_id,
                            decide_by=decide_by,
                        )
                except IntegrityError:
                    continue
                queued.append(warning.pk)
        transaction.on_commit(lambda: [send_due_warning.enqueue(pk) for pk in queued])
    return len(queued)


def current_term(agency: Agency, today: datetime.date | None = None) -> MembershipTerm | None:
    today = today or timezone.localdate()
    return (
        agency.membership_terms.filter(starts_on__lte=today, ends_on__gte=today)
        .order_by("-ends_on")
        .first()
    )


def _open_renewal() -> Exists:
    return Exists(
        Application.objects.open().filter(agency=OuterRef("agency"), kind=ApplicationKind.RENEWAL)
    )


def _later_term() -> Exists:
    return Exists(
        MembershipTerm.objects.filter(agency=OuterRef("agency"), starts_on__gt=OuterRef("ends_on"))
    )


def queue_renewal_notices(*, today: datetime.date) -> int:
    """Thirty days before a term ends, invite the primary representative to renew."""
    from concord.membership.tasks import send_renewal_notice

    ending = (
        MembershipTerm.objects.filter(
            agency__status=AgencyStatus.ACTIVE,
            renewal_notice_sent_at__isnull=True,
            ends_on__gte=today,
            ends_on__lte=today + datetime.timedelta(days=RENEWAL_NOTICE_DAYS),
        )
        .exclude(_later_term())
        .exclude(_open_renewal())
    )
    queued: list[int] = []
    with transaction.atomic():
        for term_id in ending.values_list("pk", flat=True):
            # Claim the term first: a second scheduler claims nothing and sends nothing.
            claimed = MembershipTerm.objects.filter(
                pk=term_id, renewal_notice_sent_at__isnull=True
            ).update(renewal_notice_sent_at=timezone.now())
            if claimed:
                queued.append(term_id)
        transaction.on_commit(lambda: [send_renewal_notice.enqueue(pk) for pk in queued])
    return len(queued)


def lapse_ended_memberships(*, today: datetime.date) -> list[int]:
    """Active agencies whose last term has ended, with no renewal waiting for a decision,
    lapse. Agencies that never had a term (set up by hand) are left alone."""
    ended = (
        MembershipTerm.objects.filter(agency__status=AgencyStatus.ACTIVE, ends_on__lt=today)
        .exclude(_later_term())
        .exclude(
            Exists(
                Application.objects.undecided().filter(
                    agency=OuterRef("agency"), kind=ApplicationKind.RENEWAL
                )
            )
        )
    )
    lapsed = []
    for agency in Agency.objects.filter(pk__in=ended.values("agency")):
        agencies.change_agency_status(actor=None, agency=agency, status=AgencyStatus.LAPSED)
        lapsed.append(agency.pk)
    return lapsed


@transaction.atomic
def erase_old_applications(*, today: datetime.date) -> int:
    """Erase the personal data of declined and withdrawn applications after the retention
    period, keeping the row (kind, sector, status, dates) for the figures; delete drafts
    that were abandoned. Returns how many were erased or deleted."""
    coalition = current_coalition()
    months = coalition.application_retention_months if coalition else DEFAULT_RETENTION_MONTHS
    now = timezone.now()
    cutoff = now - relativedelta(months=months)
    closed = Application.objects.filter(
        status__in=(ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN),
        erased_at__isnull=True,
        updated_at__lt=cutoff,
    ).filter(Q(decided_at__isnull=True) | Q(decided_at__lt=cutoff))
    ids = list(closed.values_list("pk", flat=True))
    blank = dict.fromkeys(PERSONAL_APPLICATION_FIELDS, "")
    blank["unsaved_answers"] = {}  # type: ignore[assignment]
    Application.objects.filter(pk__in=ids).update(
        **blank,
        legal_name="",
        street_address="",
        description="",
        phone="",
        website="",
        email_domains="",
        info_request="",
        decision_reason="",
        signature_date=None,
        erased_at=now,
    )
    ValueStatement.objects.filter(application_id__in=ids).update(value="", practice="")
    ReviewComment.objects.filter(application_id__in=ids).update(text="")
    StatusChange.objects.filter(application_id__in=ids).update(reason="")
    for application_id in ids:
        record_event(
            actor=None,
            action="concord.application.erased",
            target=Application(pk=application_id),
        )
    abandoned = Application.objects.filter(
        status__in=(ApplicationStatus.DRAFT, ApplicationStatus.UNCONFIRMED),
        updated_at__lt=now - ABANDONED_AFTER,
    )
    _total, deleted = abandoned.delete()
    return len(ids) + deleted.get(Application._meta.label, 0)
