"""Technical assistance (issue 7): anyone may ask the coalition for help; a coordinator
assigns the request to an expert (a person of a member agency), who logs hours and an
outcome.

The requester needs no account: links in their emails carry the request's ``public_id``
and ``access_key``, signed, never personal data. A request typed without an account waits
for its address to be confirmed (``confirmed_at``) before coordinators see it.
"""

import secrets
import uuid
from decimal import Decimal

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify

DESCRIPTION_LIMIT = 3000
OUTCOME_LIMIT = 3000
REASON_LIMIT = 1000
NOTE_LIMIT = 500
MAX_HOURS = Decimal(24)


def new_access_key() -> str:
    return secrets.token_urlsafe(24)


class Topic(models.TextChoices):
    SCREENING = "screening", _("Screening for trafficking")
    PROTOCOLS = "protocols", _("Protocol development")
    VICTIM_SERVICES = "victim_services", _("Victim services")
    LABOR_TRAFFICKING = "labor_trafficking", _("Labor trafficking")
    YOUTH = "youth", _("Youth")
    DATA = "data_evaluation", _("Data and evaluation")
    OTHER = "other", _("Other")


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")
    WITHIN_MONTH = "within_month", _("Within a month")
    WHEN_POSSIBLE = "when_possible", _("When possible")


# The queue puts the most urgent first.
URGENCY_RANK = {Urgency.URGENT: 0, Urgency.WITHIN_MONTH: 1, Urgency.WHEN_POSSIBLE: 2}


class RequestStatus(models.TextChoices):
    NEW = "new", _("New")
    ASSIGNED = "assigned", _("Assigned")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    DECLINED = "declined", _("Declined")


# Every status a request may move to from each status; the services check against it.
# An assigned request may be assigned again (to another expert).
TRANSITIONS: dict[str, frozenset[str]] = {
    RequestStatus.NEW: frozenset({RequestStatus.ASSIGNED, RequestStatus.DECLINED}),
    RequestStatus.ASSIGNED: frozenset(
        {RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS, RequestStatus.DECLINED}
    ),
    RequestStatus.IN_PROGRESS: frozenset({RequestStatus.COMPLETED}),
    RequestStatus.COMPLETED: frozenset(),
    RequestStatus.DECLINED: frozenset(),
}
OPEN_STATUSES = (RequestStatus.NEW, RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)
# An expert gives (and logs) time while the request is theirs and not yet closed.
WORKING_STATUSES = (RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS)


class AssistanceRequest(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    access_key = models.CharField(max_length=64, default=new_access_key)
    topic = models.CharField(_("topic"), max_length=32, choices=Topic.choices)
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    description = models.TextField(_("what you need"), max_length=DESCRIPTION_LIMIT)
    name = models.CharField(_("your name"), max_length=200)
    email = models.EmailField(_("email"), max_length=254)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    affiliation = models.CharField(_("agency or affiliation"), max_length=200)
    language = models.CharField(_("language"), max_length=8, default="en")
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_requests",
    )
    agency = models.ForeignKey(
        "agencies.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assistance_requests",
    )
    status = models.CharField(
        _("status"), max_length=16, choices=RequestStatus.choices, default=RequestStatus.NEW
    )
    confirmed_at = models.DateTimeField(null=True, blank=True)
    assigned_expert = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assistance_assignments",
        verbose_name=_("expert"),
    )
    assigned_at = models.DateTimeField(null=True, blank=True)
    outcome = models.TextField(_("outcome"), max_length=OUTCOME_LIMIT, blank=True)
    decline_reason = models.TextField(_("reason"), max_length=REASON_LIMIT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    closed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("technical assistance request")
        verbose_name_plural = _("technical assistance requests")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=RequestStatus.values),
                name="assistance_request_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(topic__in=Topic.values), name="assistance_request_topic_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="assistance_request_urgency_valid"
            ),
            # Past "new", a request has an expert or was declined.
            models.CheckConstraint(
                condition=~Q(status__in=[RequestStatus.ASSIGNED, RequestStatus.IN_PROGRESS])
                | Q(assigned_expert__isnull=False),
                name="assistance_request_assigned_has_expert",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "urgency", "created_at"], name="assistance_queue_idx")
        ]

    def __str__(self) -> str:
        return f"assistance request {self.public_id}"

    def get_absolute_url(self) -> str:
        return reverse("assistance:request-detail", kwargs={"public_id": self.public_id})

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def state_key(self) -> str:
        """What a coordinator saw when they opened the page: a form sends it back, so a
        change made meanwhile by someone else is refused, not overwritten."""
        return f"{self.status}:{self.assigned_expert_id or ''}"


class StatusChange(models.Model):
    """Who moved a request to which status, and when."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=RequestStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=RequestStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "pk"]
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")

    def __str__(self) -> str:
        return f"{self.from_status or '-'} → {self.to_status}"


class TimeEntry(models.Model):
    """Hours an expert gave to a request on a day."""

    request = models.ForeignKey(
        AssistanceRequest, on_delete=models.CASCADE, related_name="time_entries"
    )
    expert = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="assistance_time"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(_("hours"), max_digits=4, decimal_places=2)
    note = models.CharField(_("note"), max_length=NOTE_LIMIT, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date", "pk"]
        verbose_name = _("time entry")
        verbose_name_plural = _("time entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0) & Q(hours__lte=MAX_HOURS),
                name="assistance_time_hours_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.date}"


_STAMPS = ("created_at", "updated_at")
classify(
    "assistance.assistancerequest",
    internal=(
        "id",
        "public_id",
        "access_key",
        "topic",
        "urgency",
        "language",
        "requester",
        "agency",
        "status",
        "confirmed_at",
        "assigned_expert",
        "assigned_at",
        "outcome",
        "decline_reason",
        "closed_at",
        *_STAMPS,
    ),
    # The description is free text about someone's work: the form warns that no
    # survivor-identifying information belongs there, and it is treated as personal anyway.
    personal=("name", "email", "phone", "affiliation", "description"),
)
classify(
    "assistance.statuschange",
    internal=("id", "request", "from_status", "to_status", "actor", "changed_at"),
)
classify(
    "assistance.timeentry",
    internal=("id", "request", "expert", "date", "hours", "note", "created_at"),
)
