from django import forms

from concord.coalition.models import Coalition


class CoalitionForm(forms.ModelForm):
    class Meta:
        model = Coalition
        fields = [
            "name",
            "name_es",
            "short_name",
            "short_name_es",
            "mission",
            "mission_es",
            "goals",
            "goals_es",
            "values",
            "values_es",
            "meeting_summary",
            "meeting_summary_es",
            "membership_summary",
            "membership_summary_es",
            "meeting_rule",
            "meeting_starts",
            "meeting_ends",
            "hotline_name",
            "hotline_phone",
            "hotline_text",
            "emergency_number",
            "contact_email",
            "time_zone",
            "quick_exit_url",
        ]

    def clean_time_zone(self) -> str:
        import zoneinfo

        from django.utils.translation import gettext as _

        name: str = self.cleaned_data["time_zone"]
        if name not in zoneinfo.available_timezones():
            raise forms.ValidationError(
                _("Unknown time zone. Use a name such as America/Los_Angeles.")
            )
        return name
