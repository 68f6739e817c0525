from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from concord.core.forms import OneTimeTokenMixin
from concord.forum.models import (
    Resource,
    ResourceAudience,
    ResourceKind,
    ResourceLanguage,
    SubscriptionMode,
)
from concord.forum.models.forum import BODY_LIMIT
from concord.forum.services.posts import check_links

MARKDOWN_HELP = _(
    "Markdown works here: **bold**, *italic*, - lists, > quotes and [links](https://…)."
)
STOP = "stop"


class _BodyMixin(forms.Form):
    body = forms.CharField(
        label=_("Message"),
        max_length=BODY_LIMIT,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MARKDOWN_HELP,
    )

    def clean_body(self) -> str:
        body = str(self.cleaned_data["body"]).strip()
        try:
            check_links(body)
        except ValidationError as error:
            raise ValidationError(error.message_dict["body"]) from None
        return body


class ThreadForm(OneTimeTokenMixin, _BodyMixin):
    title = forms.CharField(label=_("Title"), max_length=200)

    field_order = ["title", "body"]


class ReplyForm(OneTimeTokenMixin, _BodyMixin):
    quoted = forms.IntegerField(widget=forms.HiddenInput, required=False)


class EditPostForm(_BodyMixin):
    pass


class SubscriptionForm(forms.Form):
    mode = forms.ChoiceField(
        label=_("Email me"),
        choices=[*SubscriptionMode.choices, (STOP, _("Stop following"))],
        widget=forms.RadioSelect,
    )

    def chosen_mode(self) -> str:
        mode = str(self.cleaned_data["mode"])
        return "" if mode == STOP else mode


class ReportForm(OneTimeTokenMixin, forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with this post?"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Only the coordinators read reports."),
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason for hiding it"),
        max_length=300,
        help_text=_("The author and the coordinators see the reason."),
    )


class DocumentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title_text)


class ResourceForm(forms.ModelForm[Resource]):
    kind = forms.ChoiceField(
        label=_("Kind"),
        choices=[
            (ResourceKind.DOCUMENT, ResourceKind.DOCUMENT.label),
            (ResourceKind.LINK, ResourceKind.LINK.label),
        ],
        widget=forms.RadioSelect,
    )
    document = DocumentChoiceField(
        label=_("Document"),
        queryset=None,
        required=False,
        help_text=_("For a coalition document: who may open it is the library's decision."),
    )
    url = forms.URLField(
        label=_("Web address"),
        required=False,
        assume_scheme="https",
        max_length=500,
        help_text=_("For an external link: starts with http:// or https://"),
    )

    class Meta:
        model = Resource
        fields = [
            "kind",
            "title",
            "title_es",
            "summary",
            "summary_es",
            "audience",
            "language",
            "tags",
            "visibility",
            "document",
            "url",
        ]
        widgets = {
            "summary": forms.Textarea(attrs={"rows": 4}),
            "summary_es": forms.Textarea(attrs={"rows": 4}),
            "visibility": forms.RadioSelect,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        from concord.library.models import Document

        super().__init__(*args, **kwargs)
        self.fields["document"].queryset = Document.objects.order_by("title")  # type: ignore[attr-defined]
        if self.instance.pk and self.instance.kind == ResourceKind.THREAD:
            for name in ("kind", "document", "url", "visibility"):
                del self.fields[name]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        kind = cleaned.get("kind")
        if kind == ResourceKind.DOCUMENT and not cleaned.get("document"):
            self.add_error("document", _("Choose the document."))
        if kind == ResourceKind.LINK and not cleaned.get("url") and "url" not in self.errors:
            self.add_error("url", _("Enter the web address."))
        url = str(cleaned.get("url") or "")
        if url and not url.lower().startswith(("http://", "https://")):
            self.add_error("url", _("Links must start with http or https."))
        return cleaned

    def _post_clean(self) -> None:
        # The service checks the record as a whole, once the kind's target is settled.
        pass


class ResourceCreateForm(OneTimeTokenMixin, ResourceForm):
    pass


class ResourceSearchForm(forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *ResourceKind.choices]
    )
    audience = forms.ChoiceField(
        label=_("Audience"),
        required=False,
        choices=[("", _("Any audience")), *ResourceAudience.choices],
    )
    language = forms.ChoiceField(
        label=_("Language"),
        required=False,
        choices=[("", _("Any language")), *ResourceLanguage.choices],
    )
