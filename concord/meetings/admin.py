from django.contrib import admin

from concord.meetings.models import Committee, CommitteeMembership, Meeting, MeetingSeries


class MembershipInline(admin.TabularInline):
    model = CommitteeMembership
    extra = 0
    autocomplete_fields = ["person"]


@admin.register(Committee)
class CommitteeAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "status", "sunset_on"]
    list_filter = ["kind", "status"]
    search_fields = ["name"]
    inlines = [MembershipInline]


@admin.register(MeetingSeries)
class MeetingSeriesAdmin(admin.ModelAdmin):
    list_display = ["title", "committee", "rule", "start_time", "generated_until"]


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "starts_at", "status", "committee"]
    list_filter = ["status"]
    date_hierarchy = "starts_at"
    readonly_fields = ["uid", "sequence", "occurrence_date"]
