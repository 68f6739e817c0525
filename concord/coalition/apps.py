from django.apps import AppConfig


class CoalitionConfig(AppConfig):
    name = "concord.coalition"
    default_auto_field = "django.db.models.BigAutoField"
