from typing import TYPE_CHECKING

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.trainings.models import COMMENT_LIMIT
from concord.trainings.queries_figures import RATINGS

if TYPE_CHECKING:
    from django.utils.functional import _StrOrPromise as StrOrPromise

SCALE_CHOICES = [
    (1, _("1, poor")),
    (2, "2"),
    (3, "3"),
    (4, "4"),
    (5, _("5, excellent")),
]


def _rating(label: "StrOrPromise") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5.")},
    )


class EvaluationForm(forms.Form):
    """Four ratings, each a group of radios (a fieldset), and a comment. A second submit
    makes no second evaluation: there is one per registration."""

    overall = _rating(_("Overall, how would you rate this training?"))
    content = _rating(_("How would you rate its content?"))
    trainer = _rating(_("How would you rate the trainers?"))
    usefulness = _rating(_("How useful will it be in your work?"))
    comments = forms.CharField(
        label=_("Comments"),
        help_text=_("Optional. Your name is never shown next to your comments."),
        required=False,
        max_length=COMMENT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 5}),
    )

    def ratings(self) -> dict[str, int]:
        return {name: self.cleaned_data[name] for name in RATINGS}
