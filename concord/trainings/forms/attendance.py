from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.trainings.models import Registration

FIELD_PREFIX = "registration_"
YES, NO = "yes", "no"


class AttendanceForm(forms.Form):
    """One yes/no radio group per registered person, saved in one POST.

    Each group starts at what was recorded, or at no, so the recorder only marks who
    came. The fields are named by registration id, never by personal data.
    """

    def __init__(
        self, data: Mapping[str, Any] | None = None, *, registrations: Iterable[Registration]
    ) -> None:
        super().__init__(data)
        for registration in registrations:
            label = registration.name
            if registration.affiliation:
                label = f"{label} ({registration.affiliation})"
            self.fields[f"{FIELD_PREFIX}{registration.pk}"] = forms.ChoiceField(
                label=label,
                choices=[(YES, _("Attended")), (NO, _("Did not attend"))],
                initial=YES if registration.attended else NO,
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                error_messages={"required": _("Choose attended or did not attend.")},
            )

    def attended(self) -> dict[int, bool]:
        return {
            int(name.removeprefix(FIELD_PREFIX)): value == YES
            for name, value in self.cleaned_data.items()
        }
