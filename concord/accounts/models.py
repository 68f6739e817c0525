from typing import Any

from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify


class AgencyRole(models.TextChoices):
    PRIMARY = "primary", _("Primary representative")
    ALTERNATE = "alternate", _("Alternate")
    MEMBER = "member", _("Member")


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields: Any) -> "User":
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: Any) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    """A person with an account: a member agency's representative or a coordinator.

    Coordinators are staff (``is_staff``) and belong to no agency or to one; everyone else
    belongs to exactly one agency with a role in it.
    """

    email = models.EmailField(_("email address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    agency = models.ForeignKey(
        "agencies.Agency",
        verbose_name=_("agency"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="people",
    )
    agency_role = models.CharField(
        _("role in the agency"), max_length=16, choices=AgencyRole.choices, blank=True
    )
    job_title = models.CharField(_("job title"), max_length=150, blank=True)
    is_staff = models.BooleanField(
        _("coordinator"),
        default=False,
        help_text=_("Coordinators run the coalition and can manage agencies and people."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    receives_reminders = models.BooleanField(
        _("email me meeting reminders"),
        default=True,
        help_text=_("Reminders before meetings of the coalition and of your committees."),
    )
    language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text=_("The language of the emails Concord sends you."),
    )
    handles_referrals = models.BooleanField(
        _("handles referrals"),
        default=False,
        help_text=_("Sends and receives referrals for the agency; needs a second sign-in step."),
    )
    date_joined = models.DateTimeField(default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name", "email"]
        verbose_name = _("person")
        verbose_name_plural = _("people")
        indexes = [models.Index(fields=["full_name", "email"], name="user_name_order_idx")]
        constraints = [
            models.CheckConstraint(
                condition=(
                    models.Q(agency__isnull=True, agency_role="")
                    | models.Q(agency__isnull=False, agency_role__in=AgencyRole.values)
                ),
                name="user_agency_role_matches_agency",
            ),
            models.UniqueConstraint(
                fields=["agency"],
                condition=models.Q(agency_role=AgencyRole.PRIMARY, is_active=True),
                name="one_active_primary_per_agency",
            ),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_absolute_url(self) -> str:
        return reverse("accounts:person-detail", args=[self.pk])

    @property
    def is_coordinator(self) -> bool:
        return self.is_active and self.is_staff


classify(
    "accounts.user",
    internal=(
        "id",
        "agency",
        "agency_role",
        "is_staff",
        "is_superuser",
        "is_active",
        "receives_reminders",
        "language",
        "handles_referrals",
        "date_joined",
        "last_login",
        "groups",
        "user_permissions",
    ),
    personal=("email", "full_name", "job_title", "password"),
)
