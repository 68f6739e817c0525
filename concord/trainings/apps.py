from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "concord.trainings"
    verbose_name = _("Trainings")

    def ready(self) -> None:
        # Training sessions join the meetings on /calendar/ and in the iCalendar feeds.
        from concord.meetings import entries
        from concord.trainings.queries import calendar_entries

        entries.register(calendar_entries)
