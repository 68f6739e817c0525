import datetime

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from concord.core.sensitivity import classify

# Fields a coordinator writes in both languages; the "_es" twin falls back to English.
TRANSLATED_FIELDS = (
    "name",
    "short_name",
    "mission",
    "goals",
    "values",
    "meeting_summary",
    "membership_summary",
)


# Callables, not fixed times: Django warns (fields.W161) about a fixed time default for
# the ten seconds around it each day, which fails `check --deploy --fail-level WARNING`.
def default_meeting_start() -> datetime.time:
    return datetime.time(9, 0)


def default_meeting_end() -> datetime.time:
    return datetime.time(10, 30)


class Coalition(models.Model):
    """The coalition's own settings: one row, edited by coordinators, shown on every page.

    Nothing about a particular coalition is written into templates, so another coalition or
    task force runs Concord by editing this row.
    """

    name = models.CharField(_("name"), max_length=200)
    name_es = models.CharField(_("name (Spanish)"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=60)
    short_name_es = models.CharField(_("short name (Spanish)"), max_length=60, blank=True)
    mission = models.TextField(_("mission"))
    mission_es = models.TextField(_("mission (Spanish)"), blank=True)
    goals = models.TextField(_("goals"), help_text=_("One goal per line."))
    goals_es = models.TextField(_("goals (Spanish)"), blank=True, help_text=_("One goal per line."))
    values = models.TextField(_("values"), help_text=_("One value per line."))
    values_es = models.TextField(
        _("values (Spanish)"), blank=True, help_text=_("One value per line.")
    )
    meeting_summary = models.TextField(_("how the coalition meets"))
    meeting_summary_es = models.TextField(_("how the coalition meets (Spanish)"), blank=True)
    membership_summary = models.TextField(_("how to join"))
    membership_summary_es = models.TextField(_("how to join (Spanish)"), blank=True)
    meeting_rule = models.CharField(
        _("meeting recurrence rule"),
        max_length=200,
        blank=True,
        default="FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=4TU",
        help_text=_("An iCalendar RRULE for the coalition meetings, in the coalition's time zone."),
    )
    meeting_starts = models.TimeField(_("meetings start"), default=default_meeting_start)
    meeting_ends = models.TimeField(_("meetings end"), default=default_meeting_end)
    hotline_name = models.CharField(
        _("hotline name"), max_length=120, default="National Human Trafficking Hotline"
    )
    hotline_phone = models.CharField(_("hotline phone"), max_length=30, default="1-888-373-7888")
    hotline_text = models.CharField(_("hotline text number"), max_length=30, default="233733")
    emergency_number = models.CharField(_("emergency number"), max_length=10, default="911")
    contact_email = models.EmailField(_("contact email"))
    time_zone = models.CharField(_("time zone"), max_length=64, default="America/Los_Angeles")
    quick_exit_url = models.URLField(
        _("quick exit destination"),
        default="https://www.weather.gov/",
        help_text=_("A neutral site that Quick exit opens in place of this one."),
    )
    decision_days_before = models.PositiveSmallIntegerField(
        _("days before a meeting that applications must be decided"),
        default=7,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
        help_text=_(
            "Applications are decided this many days before the coalition meeting they "
            "can make; one confirmed later rolls to the following meeting."
        ),
    )
    membership_term_months = models.PositiveSmallIntegerField(
        _("membership term in months"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )
    application_retention_months = models.PositiveSmallIntegerField(
        _("months to keep declined and withdrawn applications"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_("Then their personal data is erased; the counts stay for reports."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("coalition settings")
        verbose_name_plural = _("coalition settings")

    def __str__(self) -> str:
        return self.name

    def translated(self, field: str) -> str:
        english: str = getattr(self, field)
        if get_language() == "es":
            return getattr(self, f"{field}_es") or english
        return english

    @property
    def name_text(self) -> str:
        return self.translated("name")

    @property
    def short_name_text(self) -> str:
        return self.translated("short_name")

    @property
    def mission_text(self) -> str:
        return self.translated("mission")

    @property
    def goal_list(self) -> list[str]:
        return _lines(self.translated("goals"))

    @property
    def value_list(self) -> list[str]:
        return _lines(self.translated("values"))

    @property
    def meeting_text(self) -> str:
        return self.translated("meeting_summary")

    @property
    def membership_text(self) -> str:
        return self.translated("membership_summary")

    @property
    def hotline_phone_uri(self) -> str:
        return "tel:+1" + "".join(ch for ch in self.hotline_phone if ch.isdigit())[-10:]


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


classify(
    "coalition.coalition",
    public=(
        "id",
        *TRANSLATED_FIELDS,
        *(f"{field}_es" for field in TRANSLATED_FIELDS),
        "meeting_rule",
        "meeting_starts",
        "meeting_ends",
        "hotline_name",
        "hotline_phone",
        "hotline_text",
        "emergency_number",
        "contact_email",
        "time_zone",
        "quick_exit_url",
        "updated_at",
    ),
    internal=(
        "decision_days_before",
        "membership_term_months",
        "application_retention_months",
    ),
)
