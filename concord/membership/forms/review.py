"""Forms of the review pages: comments, decisions, reviewers and decision templates."""

import datetime
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.membership.models import (
    COMMENT_LIMIT,
    REASON_LIMIT,
    ApplicationStatus,
    DecisionTemplate,
    Recommendation,
)

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
# The applicant gets a week to answer unless the coordinator says otherwise.
DEFAULT_RESUBMIT_DAYS = 7


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("Waiting for a decision")),
            *[
                (value, label)
                for value, label in ApplicationStatus.choices
                if value not in (ApplicationStatus.DRAFT, ApplicationStatus.UNCONFIRMED)
            ],
        ],
    )


class CommentForm(forms.Form):
    text = forms.CharField(
        label=_("Comment"),
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only reviewers and coordinators see comments, never the applicant."),
    )
    recommendation = forms.ChoiceField(
        label=_("Recommendation"), choices=Recommendation.choices, required=False
    )


class AgencyChoiceField(forms.ModelChoiceField[Agency]):
    def label_from_instance(self, obj: Agency) -> str:
        return f"{obj.name} ({obj.get_status_display()})"


class AcceptForm(forms.Form):
    # Named like the service's error key, so its refusal shows on this field.
    agency = AgencyChoiceField(
        label=_("Link to an existing agency"),
        queryset=Agency.objects.none(),
        required=False,
        # Not required: left empty, the service's refusal explains why a choice is needed.
        empty_label=_("Choose the agency"),
        help_text=_("An agency with this name already exists: the accepted application joins it."),
    )

    def __init__(self, *args: Any, agencies: QuerySet[Agency], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if agencies.exists():
            self.fields["agency"].queryset = agencies  # type: ignore[attr-defined]
        else:
            # Nothing to link: the service's refusal, if any, shows above the button.
            del self.fields["agency"]


class DeclineForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("The applicant reads this reason in the decision email."),
    )


def _default_due() -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=DEFAULT_RESUBMIT_DAYS)


class InformationRequestForm(forms.Form):
    message = forms.CharField(
        label=_("What should the applicant add or change?"),
        max_length=REASON_LIMIT,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    due = forms.DateField(
        label=_("Resubmit by"),
        widget=DATE_INPUT,
        initial=_default_due,
        help_text=_("The email shows this date with the link to edit the application."),
    )

    def clean_due(self) -> datetime.date:
        due: datetime.date = self.cleaned_data["due"]
        if due <= timezone.localdate():
            raise forms.ValidationError(_("Choose a date after today."))
        return due


class ReviewerChoiceField(forms.ModelChoiceField[User]):
    def label_from_instance(self, obj: User) -> str:
        if obj.agency is None:
            return obj.full_name or obj.email
        return f"{obj.full_name} ({obj.agency.name})"


class ReviewerForm(forms.Form):
    person = ReviewerChoiceField(
        label=_("Person"),
        # Coordinators review already; reviewers are already on the list.
        queryset=User.objects.filter(
            is_active=True, is_staff=False, application_reviewer__isnull=True
        )
        .select_related("agency")
        .order_by("full_name", "email"),
    )


class DecisionTemplateForm(forms.ModelForm[DecisionTemplate]):
    class Meta:
        model = DecisionTemplate
        fields = ["subject", "body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 14})}
