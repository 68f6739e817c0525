from concord.meetings.models.committees import (
    Committee,
    CommitteeKind,
    CommitteeMembership,
    CommitteeRole,
    CommitteeStatus,
    MembershipStatus,
)
from concord.meetings.models.meetings import (
    CalendarFeed,
    Meeting,
    MeetingSeries,
    MeetingStatus,
    Reminder,
    Rsvp,
)
from concord.meetings.models.records import ActionItem, AgendaItem, Attendance, Minutes, Motion

__all__ = [
    "ActionItem",
    "AgendaItem",
    "Attendance",
    "CalendarFeed",
    "Committee",
    "CommitteeKind",
    "CommitteeMembership",
    "CommitteeRole",
    "CommitteeStatus",
    "Meeting",
    "MeetingSeries",
    "MeetingStatus",
    "MembershipStatus",
    "Minutes",
    "Motion",
    "Reminder",
    "Rsvp",
]
