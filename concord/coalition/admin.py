from django.contrib import admin

from concord.coalition.models import Coalition


@admin.register(Coalition)
class CoalitionAdmin(admin.ModelAdmin):
    list_display = ["name", "short_name", "contact_email"]

    def has_add_permission(self, request: object) -> bool:
        # One coalition per installation.
        return not Coalition.objects.exists()
