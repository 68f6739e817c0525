from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import User
from concord.agencies.models import AgencyStatus
from concord.core.forms import OneTimeTokenMixin
from concord.meetings.models import (
    Committee,
    CommitteeKind,
    CommitteeRole,
    CommitteeStatus,
    MembershipStatus,
)


def member_agency_people() -> Any:
    return User.objects.filter(
        is_active=True, agency__isnull=False, agency__status=AgencyStatus.ACTIVE
    ).select_related("agency")


class PersonChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        if obj.agency is None:
            return obj.full_name
        return f"{obj.full_name} ({obj.agency.name})"


class CommitteeForm(forms.ModelForm[Committee]):
    class Meta:
        model = Committee
        fields = [
            "name",
            "name_es",
            "purpose",
            "purpose_es",
            "kind",
            "parent",
            "charge",
            "starts_on",
            "sunset_on",
        ]
        widgets = {
            "starts_on": forms.DateInput(attrs={"type": "date"}),
            "sunset_on": forms.DateInput(attrs={"type": "date"}),
        }
        help_texts = {
            "sunset_on": _("Required for a sub-committee, and after its start date."),
            "parent": _(
                "For a sub-committee: the committee it belongs to, or none for the "
                "coalition itself."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parents = Committee.objects.filter(
            kind=CommitteeKind.COMMITTEE, status=CommitteeStatus.ACTIVE
        )
        if self.instance.pk:
            parents = parents.exclude(pk=self.instance.pk)
        self.fields["parent"].queryset = parents  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        starts_on, sunset_on = cleaned.get("starts_on"), cleaned.get("sunset_on")
        if (
            kind == CommitteeKind.SUBCOMMITTEE
            and sunset_on is None
            and "sunset_on" not in self.errors
        ):
            self.add_error("sunset_on", _("A sub-committee needs a sunset date."))
        if kind == CommitteeKind.COMMITTEE and cleaned.get("parent") is not None:
            self.add_error("parent", _("Only a sub-committee is part of another committee."))
        if starts_on and sunset_on and sunset_on <= starts_on:
            self.add_error("sunset_on", _("The sunset date must be after the start date."))
        return cleaned


class CommitteeCreateForm(OneTimeTokenMixin, CommitteeForm):
    pass


class CommitteeSearchForm(forms.Form):
    q = forms.CharField(label=_("Search committees"), required=False, max_length=100)


class ExtendForm(forms.Form):
    sunset_on = forms.DateField(
        label=_("New sunset date"), widget=forms.DateInput(attrs={"type": "date"})
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Decision"), choices=[("approve", _("Approve")), ("decline", _("Decline"))]
    )


class AddMemberForm(forms.Form):
    person = PersonChoiceField(label=_("Person"), queryset=User.objects.none())
    role = forms.ChoiceField(
        label=_("Role"), choices=CommitteeRole.choices, initial=CommitteeRole.MEMBER
    )

    def __init__(self, *args: Any, committee: Committee, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        members = committee.memberships.filter(status=MembershipStatus.ACTIVE)
        self.fields["person"].queryset = member_agency_people().exclude(  # type: ignore[attr-defined]
            pk__in=members.values("person_id")
        )


class ChairForm(forms.Form):
    chair = forms.TypedChoiceField(
        label=_("Chair"),
        choices=[("1", _("Appoint as chair")), ("0", _("Remove as chair"))],
        coerce=lambda value: value == "1",
    )
