"""The public application's forms: the start and link forms, and one form per step.

Each step form knows how to fill itself from an application (``initial_for``) and what to
hand to ``save_step`` (``step_values``). Lengths match the model, so what a form accepts
the database stores.
"""

import datetime
from typing import Any, ClassVar, cast

from django import forms
from django.conf import settings
from django.db import models
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.agencies.models import Sector
from concord.core.forms import OneTimeTokenMixin
from concord.meetings.models import Committee, CommitteeKind, CommitteeStatus
from concord.membership.models import (
    DESCRIPTION_LIMIT,
    PRACTICE_LIMIT,
    Application,
    Step,
)
from concord.membership.services.applicant import STEP_FIELDS

HONEYPOT_FIELD = "homepage"
# A signature is dated today, or in the last days while the form was being filled in.
SIGNATURE_MAX_AGE = datetime.timedelta(days=30)
LANGUAGE_CHOICES = [("", _("Choose a language")), *settings.LANGUAGES]


def _max_length(field: str) -> int:
    model_field = cast(models.Field[Any, Any], Application._meta.get_field(field))
    return int(model_field.max_length or 0)


def _text(field: str, label: Any, *, required: bool = True, **kwargs: Any) -> forms.CharField:
    return forms.CharField(label=label, max_length=_max_length(field), required=required, **kwargs)


def _email(field: str, label: Any, *, required: bool = True) -> forms.EmailField:
    return forms.EmailField(
        label=label,
        max_length=_max_length(field),
        required=required,
        widget=forms.EmailInput(attrs={"autocomplete": "off"}),
    )


def _phone(field: str, label: Any, *, required: bool = True) -> forms.CharField:
    return _text(field, label, required=required, widget=forms.TextInput(attrs={"type": "tel"}))


def _counted(limit: int, label: Any, help_text: Any = "") -> forms.CharField:
    """A textarea whose limit is shown as the person types (USWDS character count)."""
    return forms.CharField(
        label=label,
        max_length=limit,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "max_length": _(
                "Keep this to %(limit_value)d characters or fewer (it has %(show_value)d)."
            )
        },
    )


class StartForm(OneTimeTokenMixin, forms.Form):
    """The first page: an email address to send the application's link to."""

    email = forms.EmailField(
        label=_("Your email address"),
        max_length=_max_length("contact_email"),
        help_text=_("We email you a link to come back to your application. It works for 30 days."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    # Hidden from people (visually, from screen readers and from the keyboard): only a
    # program filling in every field puts something here.
    homepage = forms.CharField(
        label=_("Leave this field empty"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    @property
    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT_FIELD))


class LinkForm(forms.Form):
    """Ask for the link to an application again."""

    email = forms.EmailField(
        label=_("The email address you applied with"),
        max_length=_max_length("contact_email"),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("Yes, withdraw our application"),
        error_messages={"required": _("Check the box to confirm that you want to withdraw.")},
    )


class StepForm(forms.Form):
    """A step of the application; subclasses name their step."""

    step: ClassVar[str]

    def __init__(self, *args: Any, application: Application, **kwargs: Any) -> None:
        self.application = application
        super().__init__(*args, **kwargs)

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, Any]:
        return {field: getattr(application, field) for field in STEP_FIELDS[cls.step]}

    def step_values(self) -> dict[str, Any]:
        """The keyword arguments for ``save_step`` besides the application and the step."""
        return {"values": {field: self.cleaned_data[field] for field in STEP_FIELDS[self.step]}}


class AgencyStepForm(StepForm):
    step = Step.AGENCY

    legal_name = _text("legal_name", _("Legal name of the agency"))
    sector = forms.ChoiceField(
        label=_("Sector"), choices=[("", _("Choose a sector")), *Sector.choices]
    )
    street_address = _text("street_address", _("Street address"))
    city = _text("city", _("City"))
    postal_code = forms.RegexField(
        label=_("ZIP code"),
        regex=r"^\d{5}(-\d{4})?$",
        max_length=_max_length("postal_code"),
        error_messages={"invalid": _("Enter a ZIP code such as 94520.")},
    )
    whole_county = forms.BooleanField(label=_("We serve the whole county"), required=False)
    service_cities = _text(
        "service_cities",
        _("Cities served"),
        required=False,
        help_text=_("Separate the cities with commas. Leave empty if you serve the whole county."),
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        max_length=_max_length("website"),
        assume_scheme="https",
        help_text=_("For example https://www.example.org"),
    )
    phone = _phone("phone", _("Main phone"))
    description = _counted(
        DESCRIPTION_LIMIT,
        _("Your agency's work with trafficking survivors or on trafficking"),
        _("A short description: who you serve and how."),
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not cleaned.get("whole_county") and not cleaned.get("service_cities", "").strip():
            self.add_error(
                "service_cities",
                _("Name the cities you serve, or check that you serve the whole county."),
            )
        if cleaned.get("whole_county"):
            cleaned["service_cities"] = ""
        return cleaned


class PeopleStepForm(StepForm):
    step = Step.PEOPLE

    primary_name = _text("primary_name", _("Name"))
    primary_title = _text("primary_title", _("Title"))
    primary_email = _email("primary_email", _("Email address"))
    primary_phone = _phone("primary_phone", _("Phone"))
    primary_language = forms.ChoiceField(label=_("Preferred language"), choices=LANGUAGE_CHOICES)
    alternate_name = _text("alternate_name", _("Name"))
    alternate_title = _text("alternate_title", _("Title"), required=False)
    alternate_email = _email("alternate_email", _("Email address"))
    alternate_phone = _phone("alternate_phone", _("Phone"), required=False)
    alternate_language = forms.ChoiceField(label=_("Preferred language"), choices=LANGUAGE_CHOICES)

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, Any]:
        initial = super().initial_for(application)
        # The applicant's own language is the likeliest for the primary representative.
        initial["primary_language"] = application.primary_language or application.language
        return initial

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        primary, alternate = cleaned.get("primary_email"), cleaned.get("alternate_email")
        if primary and alternate and primary.lower() == alternate.lower():
            self.add_error(
                "alternate_email",
                _("The alternate needs their own email address, not the primary's."),
            )
        return cleaned

    def people(self) -> list[tuple[Any, list[forms.BoundField]]]:
        """The two people's fields, each group under its own heading."""
        return [
            (_("Primary representative"), [f for f in self if f.name.startswith("primary_")]),
            (_("Alternate representative"), [f for f in self if f.name.startswith("alternate_")]),
        ]


def open_committees() -> QuerySet[Committee]:
    return Committee.objects.filter(status=CommitteeStatus.ACTIVE).order_by("kind", "name")


class CommitteeChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Committee) -> str:
        if obj.kind == CommitteeKind.SUBCOMMITTEE:
            return f"{obj.name_text} ({_('sub-committee')})"
        return obj.name_text


class CommitmentStepForm(StepForm):
    step = Step.COMMITMENT

    committees = CommitteeChoiceField(
        label=_("Committees of interest"),
        queryset=Committee.objects.none(),
        widget=forms.CheckboxSelectMultiple(attrs={"class": "usa-checkbox__input"}),
        help_text=_("Choose at least one committee your agency would take part in."),
        error_messages={"required": _("Choose at least one committee.")},
    )
    agrees_to_attend = forms.BooleanField(
        label=_("We will attend at least 3 of the 4 quarterly coalition meetings each year."),
        error_messages={"required": _("Agree to attend at least 3 of the 4 meetings a year.")},
    )
    agrees_to_committee = forms.BooleanField(
        label=_("We will take part in at least one committee."),
        error_messages={"required": _("Agree to take part in at least one committee.")},
    )
    hours_per_month = forms.IntegerField(
        label=_("Estimated hours a month"),
        min_value=1,
        max_value=160,
        help_text=_("How many hours a month your agency expects to give the coalition (1 to 160)."),
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(CommitteeChoiceField, self.fields["committees"])
        field.queryset = open_committees()
        field.required = field.queryset.exists()

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, Any]:
        initial = super().initial_for(application)
        if application.pk:
            initial["committees"] = list(application.committees.values_list("pk", flat=True))
        return initial

    def step_values(self) -> dict[str, Any]:
        return {**super().step_values(), "committees": list(self.cleaned_data["committees"])}


def _value_field(position: int) -> str:
    return f"practice_{position}"


def _affirm_field(position: int) -> str:
    return f"affirm_{position}"


class ValuesStepForm(StepForm):
    """Each of the coalition's values, in full: an affirmation and how it is practised."""

    step = Step.VALUES

    def __init__(self, *args: Any, values: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.values = values
        for position, _value in enumerate(values, start=1):
            self.fields[_affirm_field(position)] = forms.BooleanField(
                label=_("We affirm this value"),
                error_messages={"required": _("Affirm this value to continue.")},
            )
            self.fields[_value_field(position)] = _counted(
                PRACTICE_LIMIT, _("How your agency puts this value into practice")
            )

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, Any]:
        if not application.pk:
            return {}
        initial: dict[str, Any] = {}
        for statement in application.value_statements.all():
            initial[_affirm_field(statement.position)] = statement.affirmed
            initial[_value_field(statement.position)] = statement.practice
        return initial

    def value_groups(self) -> list[tuple[int, str, forms.BoundField, forms.BoundField]]:
        return [
            (position, value, self[_affirm_field(position)], self[_value_field(position)])
            for position, value in enumerate(self.values, start=1)
        ]

    def step_values(self) -> dict[str, Any]:
        statements = [
            {
                "position": position,
                "value": value,
                "affirmed": self.cleaned_data[_affirm_field(position)],
                "practice": self.cleaned_data[_value_field(position)],
            }
            for position, value in enumerate(self.values, start=1)
        ]
        return {"values": {}, "statements": statements}


def _today() -> datetime.date:
    return timezone.localdate()


class AgreementStepForm(StepForm):
    step = Step.AGREEMENT

    agrees_to_confidentiality = forms.BooleanField(
        label=_("We agree to the confidentiality agreement."),
        error_messages={"required": _("Agree to the confidentiality agreement to continue.")},
    )
    signature_name = _text("signature_name", _("Your full name"))
    signature_title = _text("signature_title", _("Your title"))
    signature_date = forms.DateField(
        label=_("Date"),
        initial=_today,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d", "%m/%d/%Y"],
        error_messages={"invalid": _("Enter a date such as 2026-01-27.")},
    )

    @classmethod
    def initial_for(cls, application: Application) -> dict[str, Any]:
        initial = super().initial_for(application)
        if not initial.get("signature_date"):
            initial["signature_date"] = _today()
        return initial

    def clean_signature_date(self) -> datetime.date:
        date: datetime.date = self.cleaned_data["signature_date"]
        today = _today()
        if date > today:
            raise forms.ValidationError(_("The date cannot be in the future."))
        if date < today - SIGNATURE_MAX_AGE:
            raise forms.ValidationError(_("Date the agreement within the last 30 days."))
        return date


STEP_FORMS: dict[str, type[StepForm]] = {
    form.step: form
    for form in (
        AgencyStepForm,
        PeopleStepForm,
        CommitmentStepForm,
        ValuesStepForm,
        AgreementStepForm,
    )
}
