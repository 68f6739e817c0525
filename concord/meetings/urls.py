from concord.meetings.views import attendance, calendar, committees, records, schedule

# Each views module lists its own patterns, so the topics (calendars, committees, meeting
# records, attendance, scheduling) can grow without editing one shared list.
app_name = "meetings"
urlpatterns = [
    *calendar.urls,
    *committees.urls,
    *records.urls,
    *attendance.urls,
    *schedule.urls,
]
