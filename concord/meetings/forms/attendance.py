from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.accounts.models import User
from concord.meetings.models import Attendance

FIELD_PREFIX = "person_"


class AttendanceForm(forms.Form):
    """One radio group per invitee: present, absent or excused.

    Each group starts at the person's recorded status, or at absent, so the recorder
    only marks who came; the names of the fields carry person ids, never personal data.
    """

    def __init__(
        self,
        data: Mapping[str, Any] | None = None,
        *,
        people: Iterable[User],
        recorded: Mapping[int, str],
    ) -> None:
        super().__init__(data)
        for person in people:
            label = person.full_name or person.email
            if person.agency is not None:
                label = f"{label} ({person.agency.name})"
            self.fields[f"{FIELD_PREFIX}{person.pk}"] = forms.ChoiceField(
                label=label,
                choices=Attendance.Status.choices,
                initial=recorded.get(person.pk, Attendance.Status.ABSENT),
                widget=forms.RadioSelect(attrs={"class": "usa-radio__input"}),
                error_messages={"required": _("Choose present, absent or excused.")},
            )

    def statuses(self) -> dict[int, str]:
        return {
            int(name.removeprefix(FIELD_PREFIX)): value for name, value in self.cleaned_data.items()
        }
