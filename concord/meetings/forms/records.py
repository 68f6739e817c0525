from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import User
from concord.core.forms import OneTimeTokenMixin
from concord.meetings.forms.committees import PersonChoiceField, member_agency_people
from concord.meetings.models import ActionItem, AgendaItem, Meeting, Minutes, Motion


class AgendaItemForm(forms.ModelForm[AgendaItem]):
    class Meta:
        model = AgendaItem
        fields = ["title", "presenter", "minutes_allotted", "document_url"]


class AgendaItemCreateForm(OneTimeTokenMixin, AgendaItemForm):
    pass


class MoveForm(forms.Form):
    direction = forms.ChoiceField(choices=[("up", _("Up")), ("down", _("Down"))])


class MinutesForm(forms.ModelForm[Minutes]):
    class Meta:
        model = Minutes
        fields = ["text"]


class MeetingChoiceField(forms.ModelChoiceField[Meeting]):
    def label_from_instance(self, obj: Meeting) -> str:
        return f"{obj.title_text}, {obj.starts_at.date():%Y-%m-%d}"


class ApproveMinutesForm(forms.Form):
    approved_at_meeting = MeetingChoiceField(
        label=_("Approved at the meeting of"), queryset=Meeting.objects.none()
    )

    def __init__(self, *args: Any, meetings: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["approved_at_meeting"].queryset = meetings  # type: ignore[attr-defined]


class MotionForm(OneTimeTokenMixin, forms.ModelForm[Motion]):
    class Meta:
        model = Motion
        fields = ["text", "yes", "no", "abstain", "result"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("yes", "no", "abstain"):
            field = self.fields[name]
            field.required = True
            field.error_messages["invalid"] = _("Enter a whole number, 0 or more.")
            field.error_messages["min_value"] = _("Enter a whole number, 0 or more.")


class ActionItemForm(OneTimeTokenMixin, forms.ModelForm[ActionItem]):
    owner = PersonChoiceField(label=_("Owner"), queryset=User.objects.none())

    class Meta:
        model = ActionItem
        fields = ["title", "owner", "due_on"]
        widgets = {"due_on": forms.DateInput(attrs={"type": "date"})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        people = member_agency_people() | User.objects.filter(is_active=True, is_staff=True)
        self.fields["owner"].queryset = people.distinct()  # type: ignore[attr-defined]


class ActionStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ActionItem.Status.choices)
