from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "concord.core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from concord.core import checks  # noqa: F401  (registers the system checks)
