from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "concord.reports"
    verbose_name = _("Reports")

    def ready(self) -> None:
        from concord.reports import cache

        cache.connect_signals()
