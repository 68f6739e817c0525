from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save
from django.utils.translation import gettext_lazy as _


class DirectoryConfig(AppConfig):
    name = "concord.directory"
    label = "directory"
    verbose_name = _("Service directory")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from concord.directory import facets

        # The models the search's cached choices are read from.
        for name in ("Service", "Language", "Location", "Address", "ServiceAtLocation"):
            model = self.get_model(name)
            post_save.connect(facets.bump_revision, sender=model, dispatch_uid=f"facets-{name}")
            post_delete.connect(
                facets.bump_revision, sender=model, dispatch_uid=f"facets-{name}-delete"
            )
