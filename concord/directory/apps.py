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

        # Every listing fact may show in the search's cached choices or cards; the review
        # workflow's own records never do.
        workflow = {"ListingChange", "ListingReminder", "ImportRun", "Metadata"}
        for model in self.get_models():
            if model.__name__ in workflow:
                continue
            uid = f"directory-revision-{model.__name__}"
            post_save.connect(facets.bump_revision, sender=model, dispatch_uid=uid)
            post_delete.connect(facets.bump_revision, sender=model, dispatch_uid=f"{uid}-delete")
