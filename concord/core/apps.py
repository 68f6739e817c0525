from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "concord.core"
    default_auto_field = "django.db.models.BigAutoField"
