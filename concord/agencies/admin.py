from django.contrib import admin

from concord.agencies.models import Agency


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ["name", "sector", "status", "city"]
    list_filter = ["status", "sector"]
    search_fields = ["name", "service_area"]
