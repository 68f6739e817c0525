from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AwarenessConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "concord.awareness"
    verbose_name = _("Awareness")

    def ready(self) -> None:
        from concord.awareness.calendar import activity_entries
        from concord.meetings import entries

        entries.register(activity_entries)
