"""Forms of the coordinators' awareness pages and the public materials filter."""

import datetime
import zoneinfo
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from concord.awareness.models import (
    Activity,
    ActivityStatus,
    Audience,
    Campaign,
    Language,
    Material,
)
from concord.awareness.services import Distribution
from concord.core.forms import OneTimeTokenMixin

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME_INPUT = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
FILE_ACCEPT = ".pdf,.png,.jpg,.jpeg,application/pdf,image/png,image/jpeg"


def _available_materials() -> Any:
    return Material.objects.filter(retired_at__isnull=True).order_by("title", "pk")


class CampaignForm(forms.ModelForm):
    audiences = forms.MultipleChoiceField(
        label=_("Audiences"),
        choices=Audience.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    materials = forms.ModelMultipleChoiceField(
        label=_("Materials"),
        queryset=Material.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Campaign
        fields = [
            "title",
            "title_es",
            "summary",
            "summary_es",
            "starts_on",
            "ends_on",
            "audiences",
            "languages",
            "materials",
            "is_public",
        ]
        widgets = {
            "starts_on": DATE_INPUT,
            "ends_on": DATE_INPUT,
            "summary": forms.Textarea(attrs={"rows": 4}),
            "summary_es": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["materials"].queryset = _available_materials()  # type: ignore[attr-defined]
        if self.instance.pk:
            self.initial["materials"] = list(self.instance.materials.values_list("pk", flat=True))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        starts, ends = cleaned.get("starts_on"), cleaned.get("ends_on")
        if starts and ends and ends < starts:
            self.add_error("ends_on", _("The campaign must end on or after its first day."))
        return cleaned


class CampaignCreateForm(OneTimeTokenMixin, CampaignForm):
    pass


class ActivityForm(forms.ModelForm):
    """An activity: its date and times are entered in its own time zone."""

    day = forms.DateField(label=_("Date"), widget=DATE_INPUT)
    start_time = forms.TimeField(label=_("Start time"), widget=TIME_INPUT)
    end_time = forms.TimeField(label=_("End time"), widget=TIME_INPUT)
    status = forms.ChoiceField(
        label=_("Status"),
        choices=ActivityStatus.choices,
        initial=ActivityStatus.SCHEDULED,
        help_text=_("Once an activity is held, record its reach below."),
    )

    class Meta:
        model = Activity
        fields = [
            "title",
            "title_es",
            "campaign",
            "kind",
            "description",
            "description_es",
            "language",
            "day",
            "start_time",
            "end_time",
            "time_zone",
            "location",
            "is_public",
            "status",
            "people_reached",
            "businesses_contacted",
        ]
        widgets = {
            "description": forms.Textarea(attrs={"rows": 4}),
            "description_es": forms.Textarea(attrs={"rows": 4}),
        }
        help_texts = {
            "time_zone": _("For example America/Los_Angeles."),
            "people_reached": _("People who attended, or were reached in person."),
            "businesses_contacted": _("For poster outreach: the businesses visited or called."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = Campaign.objects.order_by("-starts_on", "title")  # type: ignore[attr-defined]
        self.fields["campaign"].required = False
        activity = self.instance
        if activity.pk:
            zone = zoneinfo.ZoneInfo(activity.time_zone)
            starts, ends = activity.starts_at.astimezone(zone), activity.ends_at.astimezone(zone)
            self.initial.update(
                day=starts.date(),
                start_time=starts.time(),
                end_time=ends.time(),
                status=activity.status,
            )

    def clean_time_zone(self) -> str:
        value: str = self.cleaned_data["time_zone"].strip()
        if value not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                _("Unknown time zone. Use a name such as America/Los_Angeles."), code="time_zone"
            )
        return value

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        day, start, end = cleaned.get("day"), cleaned.get("start_time"), cleaned.get("end_time")
        zone_name = cleaned.get("time_zone")
        if day and start and end and zone_name:
            zone = zoneinfo.ZoneInfo(zone_name)
            starts_at = datetime.datetime.combine(day, start, tzinfo=zone)
            ends_at = datetime.datetime.combine(day, end, tzinfo=zone)
            if ends_at <= starts_at:
                self.add_error("end_time", _("The end time must be after the start time."))
            else:
                self.instance.starts_at = starts_at
                self.instance.ends_at = ends_at
        return cleaned


class ActivityCreateForm(OneTimeTokenMixin, ActivityForm):
    pass


class DistributionForm(forms.Form):
    """One line of materials handed out; an empty line is ignored."""

    language = forms.ChoiceField(
        label=_("Language"), choices=[("", "---------"), *Language.choices], required=False
    )
    material = forms.TypedChoiceField(
        label=_("Material (optional)"), coerce=int, empty_value=None, required=False
    )
    quantity = forms.IntegerField(label=_("Copies"), min_value=1, required=False)

    def __init__(self, *args: Any, materials: dict[int, Material], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.materials = materials
        self.fields["material"].choices = [  # type: ignore[attr-defined]
            ("", "---------"),
            *((pk, material.title) for pk, material in materials.items()),
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        language, quantity = cleaned.get("language"), cleaned.get("quantity")
        if cleaned.get("material") or language or quantity:
            if not language:
                self.add_error("language", _("Choose the language of these materials."))
            if not quantity:
                self.add_error("quantity", _("Enter how many copies were handed out."))
        return cleaned

    def distribution(self) -> Distribution | None:
        data = self.cleaned_data
        if not data.get("language") or not data.get("quantity"):
            return None
        material_pk = data.get("material")
        return Distribution(
            language=data["language"],
            quantity=data["quantity"],
            material=self.materials.get(material_pk) if material_pk else None,
        )


DistributionFormSet = forms.formset_factory(
    DistributionForm, extra=3, max_num=30, validate_max=True
)


def distribution_formset(data: Any, activity: Activity | None) -> Any:
    """The materials lines of an activity: its rows, then three empty ones. The
    material choices are queried once for every line."""
    initial = []
    if activity is not None and activity.pk:
        initial = [
            {"language": row.language, "material": row.material_id, "quantity": row.quantity}
            for row in activity.distributions.order_by("pk")
        ]
    # Lines already recorded keep their material even after it is retired.
    used = {row["material"] for row in initial if row["material"]}
    available = Material.objects.filter(Q(retired_at__isnull=True) | Q(pk__in=used))
    materials = {material.pk: material for material in available.order_by("title", "pk")}
    return DistributionFormSet(
        data, initial=initial, prefix="distributions", form_kwargs={"materials": materials}
    )


class MaterialForm(forms.ModelForm):
    upload = forms.FileField(
        label=_("File"),
        required=False,
        error_messages={"empty": _("The file is empty.")},
        widget=forms.FileInput(attrs={"accept": FILE_ACCEPT}),
    )

    class Meta:
        model = Material
        fields = [
            "title",
            "title_es",
            "description",
            "kind",
            "language",
            "audience",
            "is_public",
        ]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.AWARENESS_MATERIAL_MAX_BYTES)
        if self.instance.pk:
            self.fields["upload"].label = _("Replace the file")
            self.fields["upload"].help_text = _(
                "Optional. A PDF, PNG or JPEG file of at most %(limit)s."
            ) % {"limit": limit}
        else:
            self.fields["upload"].required = True
            self.fields["upload"].error_messages["required"] = _("Choose the file of the material.")
            self.fields["upload"].help_text = _("A PDF, PNG or JPEG file of at most %(limit)s.") % {
                "limit": limit
            }


class MaterialCreateForm(OneTimeTokenMixin, MaterialForm):
    pass


class MaterialFilterForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=[("", _("Any language")), *Language.choices], required=False
    )
    audience = forms.ChoiceField(
        label=_("Audience"), choices=[("", _("Any audience")), *Audience.choices], required=False
    )


class FiguresForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE_INPUT)
    end = forms.DateField(label=_("To"), widget=DATE_INPUT)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start, end = cleaned.get("start"), cleaned.get("end")
        if start and end and end < start:
            self.add_error("end", _("The end of the period must be on or after its start."))
        return cleaned
