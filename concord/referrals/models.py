"""Secure referrals between partner agencies (issue 6): the consent, the referral and its
workflow, the messages between the two agencies, and the access log of client information.

Client information (every field listed in ``CLIENT_FIELDS``) is encrypted at rest and shared
only under a valid consent that names the receiving agency and lists the field. A referral
without any client information (needs only) never needs a consent.
"""

import datetime
import uuid
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.db.models import Case, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.audit.models import AppendOnlyError, AuditEvent
from concord.core.fields import EncryptedCharField, EncryptedTextField
from concord.core.sensitivity import classify
from concord.core.storage import encrypted_storage

NOTE_LIMIT = 2000
MESSAGE_LIMIT = 4000


class Urgency(models.TextChoices):
    EMERGENCY = "emergency", _("Emergency")
    URGENT = "urgent", _("Urgent")
    ROUTINE = "routine", _("Routine")


# Inbox order: the most urgent first.
URGENCY_RANK = {Urgency.EMERGENCY: 0, Urgency.URGENT: 1, Urgency.ROUTINE: 2}


class AgeRange(models.TextChoices):
    UNKNOWN = "unknown", _("Unknown")
    UNDER_12 = "under_12", _("Under 12")
    FROM_12_TO_17 = "12_17", _("12 to 17")
    FROM_18_TO_24 = "18_24", _("18 to 24")
    FROM_25_TO_59 = "25_59", _("25 to 59")
    FROM_60 = "60_plus", _("60 and over")


class ClientField(models.TextChoices):
    """The client information a consent may cover, one field each."""

    CLIENT_LABEL = "client_label", _("Client label (alias or initials)")
    SAFE_CONTACT = "safe_contact", _("Safe contact method")
    SAFETY_NOTES = "safety_notes", _("Safety notes")
    FULL_NAME = "full_name", _("Full name")
    DATE_OF_BIRTH = "date_of_birth", _("Date of birth")
    IDENTITY_NUMBER = "identity_number", _("Identity number")


CLIENT_FIELDS: tuple[str, ...] = tuple(ClientField.values)
# Opened only deliberately by the referrer, and only when the consent lists them.
EXTRA_CLIENT_FIELDS = (
    ClientField.FULL_NAME.value,
    ClientField.DATE_OF_BIRTH.value,
    ClientField.IDENTITY_NUMBER.value,
)


class ConsentGiver(models.TextChoices):
    SURVIVOR = "survivor", _("The survivor")
    GUARDIAN = "guardian", _("A parent or guardian")
    REPRESENTATIVE = "representative", _("Another legal representative")


class ConsentMethod(models.TextChoices):
    SIGNED_FORM = "signed_form", _("Signed form, uploaded")
    E_SIGNATURE = "e_signature", _("Signature captured in person")


def default_consent_expiry() -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=settings.REFERRAL_CONSENT_DAYS)


class Consent(models.Model):
    """A survivor's written, time-limited release to share named fields with ONE agency."""

    sending_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="+"
    )
    receiving_agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency it is shared with"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    given_by = models.CharField(_("given by"), max_length=16, choices=ConsentGiver.choices)
    # Field names from ClientField, never values.
    shared_fields = models.JSONField(_("what may be shared"), default=list)
    purpose = EncryptedTextField(_("purpose"), max_length=NOTE_LIMIT, null=True, blank=True)
    method = models.CharField(
        _("how it was obtained"), max_length=16, choices=ConsentMethod.choices
    )
    signed_form = models.FileField(
        _("signed form"),
        storage=encrypted_storage,
        upload_to="consents/",
        max_length=200,
        blank=True,
    )
    signature_name = EncryptedCharField(
        _("name typed as signature"), max_length=150, null=True, blank=True
    )
    signed_at = models.DateTimeField(_("signed"), null=True, blank=True)
    language = models.CharField(
        _("language of the form"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"), default=default_consent_expiry)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        indexes = [models.Index(fields=["purged_at", "expires_at"], name="consent_purge_idx")]
        constraints = [
            models.CheckConstraint(
                condition=Q(given_by__in=ConsentGiver.values), name="consent_given_by_valid"
            ),
            models.CheckConstraint(
                condition=Q(method__in=ConsentMethod.values), name="consent_method_valid"
            ),
            models.CheckConstraint(
                condition=~Q(sending_agency=models.F("receiving_agency")),
                name="consent_names_another_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"consent {self.pk}"

    def is_valid(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and self.purged_at is None and self.expires_at > now

    def covers(self, field_name: str) -> bool:
        return field_name in (self.shared_fields or [])


class ReferralStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SENT = "sent", _("Sent")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    INFO_REQUESTED = "info_requested", _("More information requested")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Every status a referral may move to from each status; services check against it.
TRANSITIONS: dict[str, frozenset[str]] = {
    ReferralStatus.DRAFT: frozenset({ReferralStatus.SENT, ReferralStatus.WITHDRAWN}),
    ReferralStatus.SENT: frozenset(
        {
            ReferralStatus.ACCEPTED,
            ReferralStatus.DECLINED,
            ReferralStatus.INFO_REQUESTED,
            ReferralStatus.WITHDRAWN,
        }
    ),
    # The sender adds what was asked and sends it again.
    ReferralStatus.INFO_REQUESTED: frozenset(
        {ReferralStatus.SENT, ReferralStatus.DECLINED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.ACCEPTED: frozenset(
        {ReferralStatus.IN_PROGRESS, ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}
    ),
    ReferralStatus.IN_PROGRESS: frozenset({ReferralStatus.COMPLETED, ReferralStatus.WITHDRAWN}),
    ReferralStatus.COMPLETED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.DECLINED: frozenset({ReferralStatus.CLOSED}),
    ReferralStatus.CLOSED: frozenset(),
    ReferralStatus.WITHDRAWN: frozenset(),
}
# Waiting for the receiving agency to answer: these escalate when overdue.
AWAITING_ANSWER = (ReferralStatus.SENT,)
# The sender may still change what the referral says.
EDITABLE_STATUSES = (ReferralStatus.DRAFT, ReferralStatus.INFO_REQUESTED)
ENDED_STATUSES = (ReferralStatus.CLOSED, ReferralStatus.WITHDRAWN, ReferralStatus.DECLINED)


class DeclineReason(models.TextChoices):
    NO_CAPACITY = "no_capacity", _("No capacity")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    OUTSIDE_AREA = "outside_area", _("Outside our service area")
    LANGUAGE = "language", _("Language not available")
    DUPLICATE = "duplicate", _("Already referred or served")
    OTHER = "other", _("Other")


class Outcome(models.TextChoices):
    SERVICES_RECEIVED = "services_received", _("Services received")
    CLIENT_DECLINED = "client_declined", _("Client declined services")
    UNABLE_TO_CONTACT = "unable_to_contact", _("Unable to contact")
    REFERRED_ELSEWHERE = "referred_elsewhere", _("Referred elsewhere")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")
    NO_CAPACITY = "no_capacity", _("No capacity")


class ReferralQuerySet(models.QuerySet["Referral"]):
    def sent_or_later(self) -> "ReferralQuerySet":
        return self.exclude(status=ReferralStatus.DRAFT)

    def unpurged(self) -> "ReferralQuerySet":
        return self.filter(purged_at__isnull=True)


class Referral(models.Model):
    """A referral of a survivor (or of needs only) from one agency to a directory service."""

    # What links and emails carry: it tells nothing about order or volume.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    sending_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="referrals_sent"
    )
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_sent"
    )
    service = models.ForeignKey(
        "directory.Service",
        verbose_name=_("service"),
        on_delete=models.PROTECT,
        related_name="referrals",
    )
    # Always the service's organization's agency, set by the services, never from input.
    receiving_agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.PROTECT, related_name="referrals_received"
    )
    urgency = models.CharField(
        _("urgency"), max_length=16, choices=Urgency.choices, default=Urgency.ROUTINE
    )
    needs = models.ManyToManyField(
        "directory.TaxonomyTerm", verbose_name=_("needs"), blank=True, related_name="+"
    )
    languages = models.JSONField(_("preferred languages"), default=list, blank=True)
    age_range = models.CharField(
        _("age range"), max_length=16, choices=AgeRange.choices, default=AgeRange.UNKNOWN
    )
    # How the receiving agency reaches the referrer (never the survivor).
    referrer_contact = models.TextField(
        _("how to reach the referrer"), max_length=NOTE_LIMIT, blank=True
    )
    consent = models.ForeignKey(
        Consent, null=True, blank=True, on_delete=models.PROTECT, related_name="referrals"
    )

    # Client information: encrypted, shared only under the consent, erased by the purge.
    client_label = EncryptedCharField(
        _("client label (alias or initials)"), max_length=60, null=True, blank=True
    )
    safe_contact = EncryptedTextField(
        _("safe contact method"), max_length=NOTE_LIMIT, null=True, blank=True
    )
    safety_notes = EncryptedTextField(
        _("safety notes"), max_length=NOTE_LIMIT, null=True, blank=True
    )
    full_name = EncryptedCharField(_("full name"), max_length=150, null=True, blank=True)
    date_of_birth = EncryptedCharField(_("date of birth"), max_length=40, null=True, blank=True)
    identity_number = EncryptedCharField(_("identity number"), max_length=60, null=True, blank=True)

    status = models.CharField(
        _("status"), max_length=16, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    decline_reason = models.CharField(
        _("reason"), max_length=16, choices=DeclineReason.choices, blank=True
    )
    # Free text may mention the client: encrypted, and erased by the purge.
    decline_note = EncryptedTextField(_("note"), max_length=NOTE_LIMIT, null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=24, choices=Outcome.choices, blank=True)
    outcome_note = EncryptedTextField(_("note"), max_length=NOTE_LIMIT, null=True, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)
    respond_by = models.DateTimeField(_("answer by"), null=True, blank=True)
    responded_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    escalated_at = models.DateTimeField(null=True, blank=True)
    purged_at = models.DateTimeField(null=True, blank=True)
    # The inbox's order, kept by the database itself so an index can serve it: sorting
    # on an expression read every one of a busy agency's referrals on every page.
    urgency_rank = models.GeneratedField(
        expression=Case(
            *[When(urgency=urgency, then=Value(rank)) for urgency, rank in URGENCY_RANK.items()],
            default=Value(len(URGENCY_RANK)),
        ),
        output_field=models.PositiveSmallIntegerField(),
        db_persist=True,
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        indexes = [
            models.Index(
                fields=["receiving_agency", "urgency_rank", "respond_by", "id"],
                name="referral_inbox_idx",
            ),
            models.Index(
                fields=["sending_agency", "status", "created_at"], name="referral_outbox_idx"
            ),
            models.Index(fields=["status", "respond_by"], name="referral_overdue_idx"),
            models.Index(fields=["purged_at", "status"], name="referral_purge_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReferralStatus.values), name="referral_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(urgency__in=Urgency.values), name="referral_urgency_valid"
            ),
            models.CheckConstraint(
                condition=Q(age_range__in=AgeRange.values), name="referral_age_range_valid"
            ),
            models.CheckConstraint(
                condition=Q(decline_reason="") | Q(decline_reason__in=DeclineReason.values),
                name="referral_decline_reason_valid",
            ),
            models.CheckConstraint(
                condition=Q(outcome="") | Q(outcome__in=Outcome.values),
                name="referral_outcome_valid",
            ),
            models.CheckConstraint(
                condition=~Q(sending_agency=models.F("receiving_agency")),
                name="referral_to_another_agency",
            ),
        ]

    def __str__(self) -> str:
        return f"referral {self.public_id}"

    def client_values(self) -> dict[str, Any]:
        """The client fields that hold something, by name."""
        values = {name: getattr(self, name) for name in CLIENT_FIELDS}
        return {name: value for name, value in values.items() if value not in (None, "")}

    @property
    def is_needs_only(self) -> bool:
        return not self.client_values()

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES


class ReferralStatusChange(models.Model):
    """Who moved a referral to which status, and when. No free text: it could name the
    client."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="changes")
    from_status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    to_status = models.CharField(max_length=16, choices=ReferralStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class ReferralMessage(models.Model):
    """A message between the two agencies of a referral; it may mention the client."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    agency = models.ForeignKey("agencies.Agency", on_delete=models.PROTECT, related_name="+")
    body = EncryptedTextField(_("message"), max_length=MESSAGE_LIMIT, null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"message {self.pk}"


class AccessAction(models.TextChoices):
    VIEW = "view", _("Viewed")
    CHANGE = "change", _("Changed")
    EXPORT = "export", _("Exported")
    PRINT = "print", _("Printed")


ACCESS_ACTION_PREFIX = "concord.referral.access."


class ReferralAccessQuerySet(models.QuerySet["ReferralAccess"]):
    def update(self, **kwargs: Any) -> NoReturn:
        raise AppendOnlyError("Access log rows cannot be changed.")

    def delete(self) -> NoReturn:
        raise AppendOnlyError("Access log rows cannot be deleted.")


class ReferralAccessManager(models.Manager["ReferralAccess"]):
    def get_queryset(self) -> ReferralAccessQuerySet:
        return ReferralAccessQuerySet(self.model, using=self._db).filter(
            action__startswith=ACCESS_ACTION_PREFIX
        )


class ReferralAccess(AuditEvent):
    """The access log of client information: the audit events of its views, changes,
    exports and prints. A proxy of the audit log, so it is append-only in the same way
    (refused by the ORM and by database triggers) and written in the same transaction."""

    objects = ReferralAccessManager()  # type: ignore[assignment,misc]

    class Meta:
        proxy = True
        ordering = ["-occurred_at", "-id"]

    @property
    def access(self) -> str:
        return self.action.removeprefix(ACCESS_ACTION_PREFIX)


classify(
    "referrals.consent",
    internal=(
        "id",
        "sending_agency",
        "receiving_agency",
        "given_by",
        "shared_fields",
        "method",
        "signed_at",
        "language",
        "created_by",
        "created_at",
        "expires_at",
        "revoked_at",
        "revoked_by",
        "purged_at",
    ),
    personal=("signed_form",),
)
classify(
    "referrals.referral",
    internal=(
        "urgency_rank",
        "id",
        "public_id",
        "sending_agency",
        "sender",
        "service",
        "receiving_agency",
        "urgency",
        "needs",
        "languages",
        "age_range",
        "referrer_contact",
        "consent",
        "status",
        "decline_reason",
        "outcome",
        "created_at",
        "updated_at",
        "sent_at",
        "respond_by",
        "responded_at",
        "accepted_at",
        "completed_at",
        "closed_at",
        "withdrawn_at",
        "escalated_at",
        "purged_at",
    ),
)
classify(
    "referrals.referralstatuschange",
    internal=("id", "referral", "from_status", "to_status", "actor", "changed_at"),
)
classify(
    "referrals.referralmessage",
    internal=("id", "referral", "author", "agency", "created_at"),
)
classify(
    "referrals.referralaccess",
    internal=("id", "occurred_at", "actor", "agency", "action", "object_type", "object_id", "data"),
)
