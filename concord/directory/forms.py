from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from concord.directory.search import SearchFilters


class ServiceSearchForm(forms.Form):
    """The public search: every field optional; a value that is not valid is ignored
    rather than refused, so a stale bookmark still shows results."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    category = forms.ChoiceField(label=_("Kind of help"), required=False)
    language = forms.ChoiceField(label=_("Language spoken"), required=False)
    city = forms.ChoiceField(label=_("City"), required=False)
    age = forms.IntegerField(
        label=_("Age of the person who needs help"), required=False, min_value=0, max_value=120
    )
    free = forms.BooleanField(label=_("Free of cost"), required=False)
    open_now = forms.BooleanField(label=_("Open now"), required=False)

    def __init__(
        self,
        *args: Any,
        categories: dict[str, str],
        languages: list[tuple[str, str]],
        cities: list[str],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        anything = [("", _("Any"))]
        self.fields["category"].choices = anything + list(categories.items())  # type: ignore[attr-defined]
        self.fields["language"].choices = anything + languages  # type: ignore[attr-defined]
        self.fields["city"].choices = anything + [(city, city) for city in cities]  # type: ignore[attr-defined]

    def filters(self) -> SearchFilters:
        self.is_valid()
        data = self.cleaned_data
        return SearchFilters(
            words=data.get("q") or "",
            category=data.get("category") or "",
            language=data.get("language") or "",
            city=data.get("city") or "",
            free=bool(data.get("free")),
            age=data.get("age"),
            open_now=bool(data.get("open_now")),
        )
