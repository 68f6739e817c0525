"""Membership by application: the application, its review and the membership terms."""

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from concord.agencies.models import Sector
from concord.core.sensitivity import classify

# Limits shown to the applicant as they type and enforced by the forms and the database.
DESCRIPTION_LIMIT = 1500
PRACTICE_LIMIT = 600
REASON_LIMIT = 2000
COMMENT_LIMIT = 2000
# The seed's commitment: at least 3 of the 4 quarterly meetings and one committee.
COMMITTED_COALITION_MEETINGS = 3
COMMITTED_COMMITTEES = 1
REFERENCE_ALPHABET = "ACDEFGHJKLMNPQRTUVWXY34679"  # no look-alikes such as 0/O or 1/I


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    UNCONFIRMED = "unconfirmed", _("Waiting for email confirmation")
    IN_REVIEW = "in_review", _("In review")
    INFO_REQUESTED = "info_requested", _("More information requested")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Every status an application may move to from each status; services check against it.
TRANSITIONS: dict[str, frozenset[str]] = {
    ApplicationStatus.DRAFT: frozenset(
        {ApplicationStatus.UNCONFIRMED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.UNCONFIRMED: frozenset(
        {ApplicationStatus.IN_REVIEW, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.IN_REVIEW: frozenset(
        {
            ApplicationStatus.ACCEPTED,
            ApplicationStatus.DECLINED,
            ApplicationStatus.INFO_REQUESTED,
            ApplicationStatus.WITHDRAWN,
        }
    ),
    ApplicationStatus.INFO_REQUESTED: frozenset(
        {ApplicationStatus.IN_REVIEW, ApplicationStatus.DECLINED, ApplicationStatus.WITHDRAWN}
    ),
    ApplicationStatus.ACCEPTED: frozenset(),
    ApplicationStatus.DECLINED: frozenset(),
    ApplicationStatus.WITHDRAWN: frozenset(),
}
OPEN_STATUSES = (
    ApplicationStatus.DRAFT,
    ApplicationStatus.UNCONFIRMED,
    ApplicationStatus.IN_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
)
# Waiting on the coalition: these are in the review queue.
UNDECIDED_STATUSES = (ApplicationStatus.IN_REVIEW, ApplicationStatus.INFO_REQUESTED)
# The applicant may still change what they wrote.
EDITABLE_STATUSES = (ApplicationStatus.DRAFT, ApplicationStatus.INFO_REQUESTED)
CLOSED_STATUSES = (
    ApplicationStatus.ACCEPTED,
    ApplicationStatus.DECLINED,
    ApplicationStatus.WITHDRAWN,
)


class ApplicationKind(models.TextChoices):
    NEW = "new", _("New membership")
    RENEWAL = "renewal", _("Renewal")


class Step(models.TextChoices):
    """The steps of the application form, in order."""

    AGENCY = "agency", _("Agency")
    PEOPLE = "people", _("Representatives")
    COMMITMENT = "commitment", _("Time commitment")
    VALUES = "values", _("Values")
    AGREEMENT = "agreement", _("Agreement")
    REVIEW = "review", _("Review and submit")


def new_reference() -> str:
    return "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(8))


def new_access_key() -> str:
    # 256 bits; rotating it revokes every link sent so far (SECURITY.md rule 15).
    return secrets.token_urlsafe(32)


class ApplicationQuerySet(models.QuerySet["Application"]):
    def undecided(self) -> "ApplicationQuerySet":
        return self.filter(status__in=UNDECIDED_STATUSES)

    def open(self) -> "ApplicationQuerySet":
        return self.filter(status__in=OPEN_STATUSES)


class Application(models.Model):
    """An agency's application for membership (or for renewing it), from the first step
    to the decision. Personal fields are erased some time after a decline or withdrawal;
    the row stays for the figures."""

    kind = models.CharField(
        _("kind"), max_length=16, choices=ApplicationKind.choices, default=ApplicationKind.NEW
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
    )
    reference = models.CharField(_("reference number"), max_length=12, unique=True)
    access_key = models.CharField(max_length=64)
    language = models.CharField(
        _("language"), max_length=8, choices=settings.LANGUAGES, default="en"
    )
    contact_email = models.EmailField(_("your email address"))
    # The domain of the contact and representatives' addresses, for the duplicates flag.
    email_domains = models.CharField(max_length=600, blank=True)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )

    # The agency.
    legal_name = models.CharField(_("legal name of the agency"), max_length=200, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector.choices, blank=True)
    street_address = models.CharField(_("street address"), max_length=200, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    postal_code = models.CharField(_("ZIP code"), max_length=10, blank=True)
    whole_county = models.BooleanField(_("we serve the whole county"), default=False)
    service_cities = models.CharField(_("cities served"), max_length=300, blank=True)
    website = models.URLField(_("website"), blank=True)
    phone = models.CharField(_("main phone"), max_length=30, blank=True)
    description = models.TextField(
        _("your work with trafficking survivors or on trafficking"),
        max_length=DESCRIPTION_LIMIT,
        blank=True,
    )

    # The representatives.
    primary_name = models.CharField(_("name"), max_length=150, blank=True)
    primary_title = models.CharField(_("title"), max_length=150, blank=True)
    primary_email = models.EmailField(_("email address"), blank=True)
    primary_phone = models.CharField(_("phone"), max_length=30, blank=True)
    primary_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )
    alternate_name = models.CharField(_("name"), max_length=150, blank=True)
    alternate_title = models.CharField(_("title"), max_length=150, blank=True)
    alternate_email = models.EmailField(_("email address"), blank=True)
    alternate_phone = models.CharField(_("phone"), max_length=30, blank=True)
    alternate_language = models.CharField(
        _("preferred language"), max_length=8, choices=settings.LANGUAGES, blank=True
    )

    # Committees and time commitment.
    committees = models.ManyToManyField(
        "meetings.Committee",
        verbose_name=_("committees of interest"),
        blank=True,
        related_name="+",
    )
    agrees_to_attend = models.BooleanField(
        _("we will attend at least 3 of the 4 quarterly coalition meetings a year"),
        default=False,
    )
    agrees_to_committee = models.BooleanField(
        _("we will take part in at least one committee"), default=False
    )
    hours_per_month = models.PositiveSmallIntegerField(
        _("estimated hours a month"), null=True, blank=True
    )

    # Confidentiality and authorisation.
    agrees_to_confidentiality = models.BooleanField(_("confidentiality agreement"), default=False)
    signature_name = models.CharField(_("full name"), max_length=150, blank=True)
    signature_title = models.CharField(_("title"), max_length=150, blank=True)
    signature_date = models.DateField(_("date"), null=True, blank=True)

    # The form's progress: steps completed, and what was typed on a step that did not
    # validate yet, so that nothing typed is lost.
    completed_steps = models.JSONField(default=list, blank=True)
    unsaved_answers = models.JSONField(default=dict, blank=True)

    # When it must be decided: before this coalition meeting, by this date.
    meeting = models.ForeignKey(
        "meetings.Meeting",
        verbose_name=_("coalition meeting"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decide_by = models.DateField(_("decide by"), null=True, blank=True)
    info_request = models.TextField(_("information requested"), max_length=REASON_LIMIT, blank=True)
    info_due = models.DateField(_("resubmit by"), null=True, blank=True)
    decision_reason = models.TextField(_("reason"), max_length=REASON_LIMIT, blank=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    erased_at = models.DateTimeField(null=True, blank=True)

    objects = ApplicationQuerySet.as_manager()

    class Meta:
        ordering = ["decide_by", "confirmed_at", "pk"]
        verbose_name = _("membership application")
        verbose_name_plural = _("membership applications")
        indexes = [
            models.Index(fields=["status", "decide_by"], name="application_queue_idx"),
            # The duplicates flag: other applications of the same name, whatever its case.
            models.Index(Lower("legal_name"), name="application_name_lower_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ApplicationStatus.values), name="application_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=ApplicationKind.values), name="application_kind_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind=ApplicationKind.NEW) | Q(agency__isnull=False),
                name="application_renewal_has_agency",
            ),
            # One open renewal per agency: a second click finds the first.
            models.UniqueConstraint(
                fields=["agency"],
                condition=Q(kind=ApplicationKind.RENEWAL, status__in=OPEN_STATUSES),
                name="application_one_open_renewal",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("membership:application-detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    @property
    def is_undecided(self) -> bool:
        return self.status in UNDECIDED_STATUSES

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None

    @property
    def display_name(self) -> str:
        return self.legal_name or str(_("Unnamed agency"))


class ValueStatement(models.Model):
    """The agency's affirmation of one of the coalition's values, and how it practises it.

    The value's text is copied as it was shown, so a later edit of the coalition's values
    does not change what was affirmed."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="value_statements"
    )
    position = models.PositiveSmallIntegerField()
    value = models.TextField()
    affirmed = models.BooleanField(default=False)
    practice = models.TextField(max_length=PRACTICE_LIMIT, blank=True)

    class Meta:
        ordering = ["application", "position"]
        constraints = [
            models.UniqueConstraint(fields=["application", "position"], name="value_statement_once")
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.position}"


class StatusChange(models.Model):
    """Who moved an application to which status, when, and why; the applicant sees it."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes"
    )
    from_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    to_status = models.CharField(max_length=16, choices=ApplicationStatus.choices)
    # Empty when the applicant (who has no account) made the change.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(max_length=REASON_LIMIT, blank=True)
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["changed_at", "pk"]

    def __str__(self) -> str:
        return f"{self.from_status} → {self.to_status}"


class Recommendation(models.TextChoices):
    NONE = "", _("No recommendation")
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    MORE_INFO = "more_info", _("Ask for more information")


class ReviewComment(models.Model):
    """A reviewer's internal note; the applicant never sees it."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("comment"), max_length=COMMENT_LIMIT)
    recommendation = models.CharField(
        _("recommendation"),
        max_length=16,
        choices=Recommendation.choices,
        blank=True,
        default=Recommendation.NONE,
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"comment {self.pk}"


class Reviewer(models.Model):
    """A person a coordinator added to review applications (a membership committee)."""

    person = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="application_reviewer"
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.person_id)


class DecisionKind(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    INFO_REQUESTED = "info_requested", _("More information requested")


class DecisionTemplate(models.Model):
    """The email an applicant gets for a decision, editable by coordinators, per language."""

    kind = models.CharField(_("decision"), max_length=16, choices=DecisionKind.choices)
    language = models.CharField(_("language"), max_length=8, choices=settings.LANGUAGES)
    subject = models.CharField(_("subject"), max_length=200)
    body = models.TextField(_("message"), max_length=5000)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="decision_template_once")
        ]

    def __str__(self) -> str:
        return f"{self.kind} ({self.language})"


class MembershipTerm(models.Model):
    """A period of membership and the commitment the agency made for it."""

    agency = models.ForeignKey(
        "agencies.Agency", on_delete=models.CASCADE, related_name="membership_terms"
    )
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.SET_NULL, related_name="term"
    )
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))
    coalition_meetings = models.PositiveSmallIntegerField(default=COMMITTED_COALITION_MEETINGS)
    committees = models.PositiveSmallIntegerField(default=COMMITTED_COMMITTEES)
    hours_per_month = models.PositiveSmallIntegerField(null=True, blank=True)
    # Claimed by the daily job before it queues the renewal email, so it goes once.
    renewal_notice_sent_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["agency", "-starts_on"]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gt=models.F("starts_on")), name="term_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency_id}: {self.starts_on} to {self.ends_on}"


class DueWarning(models.Model):
    """A coordinator was warned that an application's decide-by date is near; once each."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="+")
    person = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    decide_by = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["application", "person", "decide_by"], name="due_warning_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id} {self.decide_by}"


PERSONAL_APPLICATION_FIELDS = (
    "contact_email",
    "primary_name",
    "primary_title",
    "primary_email",
    "primary_phone",
    "alternate_name",
    "alternate_title",
    "alternate_email",
    "alternate_phone",
    "signature_name",
    "signature_title",
    "unsaved_answers",
)

classify(
    "membership.application",
    personal=PERSONAL_APPLICATION_FIELDS,
    internal=(
        "id",
        "kind",
        "status",
        "reference",
        "access_key",
        "language",
        "email_domains",
        "agency",
        "legal_name",
        "sector",
        "street_address",
        "city",
        "postal_code",
        "whole_county",
        "service_cities",
        "website",
        "phone",
        "description",
        "primary_language",
        "alternate_language",
        "committees",
        "agrees_to_attend",
        "agrees_to_committee",
        "hours_per_month",
        "agrees_to_confidentiality",
        "signature_date",
        "completed_steps",
        "meeting",
        "decide_by",
        "info_request",
        "info_due",
        "decision_reason",
        "created_at",
        "updated_at",
        "submitted_at",
        "confirmed_at",
        "decided_at",
        "erased_at",
    ),
)
classify(
    "membership.valuestatement",
    internal=("id", "application", "position", "value", "affirmed", "practice"),
)
classify(
    "membership.statuschange",
    internal=("id", "application", "from_status", "to_status", "actor", "reason", "changed_at"),
)
classify(
    "membership.reviewcomment",
    internal=("id", "application", "author", "text", "recommendation", "created_at"),
)
classify("membership.reviewer", internal=("id", "person", "added_by", "added_at"))
classify(
    "membership.decisiontemplate",
    internal=("id", "kind", "language", "subject", "body", "updated_at"),
)
classify(
    "membership.membershipterm",
    internal=(
        "id",
        "agency",
        "application",
        "starts_on",
        "ends_on",
        "coalition_meetings",
        "committees",
        "hours_per_month",
        "renewal_notice_sent_at",
        "created_at",
    ),
)
classify("membership.duewarning", internal=("id", "application", "person", "decide_by", "sent_at"))
