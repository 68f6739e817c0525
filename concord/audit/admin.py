from typing import Any

from django.contrib import admin

from concord.audit.models import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin[AuditEvent]):
    list_display = ["occurred_at", "action", "actor", "agency", "object_type", "object_id"]
    list_filter = ["action"]
    list_select_related = ["actor", "agency"]
    date_hierarchy = "occurred_at"

    # The log is append-only: the admin only reads it.
    def has_add_permission(self, request: Any) -> bool:
        return False

    def has_change_permission(self, request: Any, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: Any, obj: Any = None) -> bool:
        return False
