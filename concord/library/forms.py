"""Forms of the library: the search filters, a document and its versions, the workflow,
comments and answers. Owner, status and author never come from the POST: the views pass
the document and the acting person to the services."""

import datetime
from typing import Any, cast

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from concord.core.forms import OneTimeTokenMixin
from concord.core.permissions import chaired_committee_ids, is_coordinator
from concord.library.models import (
    COMMENT_LIMIT,
    TEXT_LIMIT,
    DocumentKind,
    DocumentStatus,
    Language,
    Visibility,
)
from concord.library.services.uploads import max_bytes
from concord.meetings.models import Committee, CommitteeStatus, Meeting

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
FILE_ACCEPT = ".pdf,.docx,.xlsx,.pptx,.png,.jpg,.jpeg"
COALITION_WIDE = ""
NO_SURVIVOR_DATA = _("Never write anything that could identify a survivor.")


class LibraryFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *DocumentKind.choices]
    )
    status = forms.ChoiceField(
        label=_("Status"), required=False, choices=[("", _("Any status")), *DocumentStatus.choices]
    )
    tag = forms.ChoiceField(label=_("Tag"), required=False)
    language = forms.ChoiceField(
        label=_("Language"), required=False, choices=[("", _("Any language")), *Language.choices]
    )

    def __init__(self, *args: Any, tags: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(forms.ChoiceField, self.fields["tag"])
        field.choices = [("", _("Any tag")), *((name, name) for name in tags)]


def owner_choices(user: Any) -> list[tuple[str, str]]:
    """The committees ``user`` may create documents for, and "the whole coalition" for
    coordinators."""
    committees = Committee.objects.filter(status=CommitteeStatus.ACTIVE).order_by("name")
    if is_coordinator(user):
        choices = [(COALITION_WIDE, str(_("The whole coalition (coordinators)")))]
    else:
        committees = committees.filter(pk__in=chaired_committee_ids(user))
        choices = []
    return choices + [(str(committee.pk), committee.name) for committee in committees]


class _ContentFields(forms.Form):
    text = forms.CharField(
        label=_("Text (Markdown)"),
        required=False,
        max_length=TEXT_LIMIT,
        strip=False,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Headings start with #, lists with -, links are written [text](https://...). "
            "Leave empty to upload a file instead."
        ),
    )
    upload = forms.FileField(
        label=_("Or a file"),
        required=False,
        widget=forms.FileInput(attrs={"accept": FILE_ACCEPT}),
        help_text=_("PDF, DOCX, XLSX, PPTX, PNG or JPEG, at most %(size)s, without macros."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["upload"].help_text = str(self.fields["upload"].help_text) % {
            "size": filesizeformat(max_bytes())
        }


class DocumentCreateForm(OneTimeTokenMixin, _ContentFields):
    title = forms.CharField(label=_("Title"), max_length=200)
    title_es = forms.CharField(label=_("Title in Spanish"), max_length=200, required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=DocumentKind.choices)
    owner = forms.ChoiceField(label=_("Owner"))
    visibility = forms.ChoiceField(
        label=_("Who may read it"),
        choices=Visibility.choices,
        initial=Visibility.MEMBERS,
        help_text=_("Public documents are shown to everyone once adopted."),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages"),
        choices=Language.choices,
        initial=[Language.ENGLISH],
        widget=forms.CheckboxSelectMultiple,
    )
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )

    field_order = ["title", "title_es", "kind", "owner", "visibility", "languages", "tags"]

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["owner"]).choices = owner_choices(user)
        self.fields["owner"].required = not is_coordinator(user)

    def owner_committee_id(self) -> int | None:
        value = self.cleaned_data.get("owner") or COALITION_WIDE
        return None if value == COALITION_WIDE else int(value)


class VersionForm(OneTimeTokenMixin, _ContentFields):
    change_note = forms.CharField(label=_("What changed"), max_length=500)
    tags = forms.CharField(
        label=_("Tags"), required=False, max_length=500, help_text=_("Separated by commas.")
    )

    field_order = ["change_note", "text", "upload", "tags"]


def _vote_meetings() -> Any:
    now = timezone.now()
    return Meeting.objects.filter(
        starts_at__gte=now - datetime.timedelta(days=3 * 365), starts_at__lte=now
    ).order_by("-starts_at")


class StatusForm(forms.Form):
    to_status = forms.ChoiceField(label=_("Move to"))
    comment_closes_on = forms.DateField(
        label=_("Comments close on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Needed to open the document for comment."),
    )
    effective_on = forms.DateField(
        label=_("Effective on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("Needed to adopt the document, with the vote's counts."),
    )
    votes_yes = forms.IntegerField(label=_("Votes in favour"), required=False, min_value=0)
    votes_no = forms.IntegerField(label=_("Votes against"), required=False, min_value=0)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), required=False, min_value=0)
    meeting = forms.ModelChoiceField(
        label=_("Meeting of the vote"), required=False, queryset=Meeting.objects.none()
    )
    next_review_on = forms.DateField(
        label=_("Next review on"),
        required=False,
        widget=DATE_INPUT,
        help_text=_("One year after adoption when left empty."),
    )

    def __init__(self, *args: Any, transitions: tuple[str, ...], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        labels = dict(DocumentStatus.choices)
        # No default: a status change is chosen on purpose, never sent by accident.
        cast(forms.ChoiceField, self.fields["to_status"]).choices = [
            ("", _("Choose the new status")),
            *((value, labels[value]) for value in transitions),
        ]
        cast(forms.ModelChoiceField, self.fields["meeting"]).queryset = _vote_meetings()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("to_status") == DocumentStatus.ADOPTED:
            for name in ("effective_on", "votes_yes", "votes_no", "votes_abstain"):
                if data.get(name) is None:
                    self.add_error(name, _("Needed to adopt the document."))
        if data.get("to_status") == DocumentStatus.OPEN_FOR_COMMENT and not data.get(
            "comment_closes_on"
        ):
            self.add_error("comment_closes_on", _("Say when comments close."))
        return data


class CommentForm(OneTimeTokenMixin, forms.Form):
    body = forms.CharField(
        label=_("Your comment (Markdown)"),
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=NO_SURVIVOR_DATA,
    )


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer (Markdown)"),
        required=False,
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    resolve = forms.BooleanField(label=_("Mark the comment resolved"), required=False)


class DiffForm(forms.Form):
    old = forms.IntegerField(label=_("Older version"), min_value=1)
    new = forms.IntegerField(label=_("Newer version"), min_value=1)
