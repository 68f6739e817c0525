"""Dates from RFC 5545 recurrence rules, through python-dateutil: no date arithmetic here."""

import datetime
import zoneinfo

from dateutil.rrule import rrulestr


class RuleError(ValueError):
    pass


def rule_dates(
    rule: str, *, first: datetime.date, start: datetime.date, end: datetime.date
) -> list[datetime.date]:
    """The dates from ``start`` to ``end`` (inclusive) on which ``rule`` falls.

    The rule runs on local dates from ``first``, so a meeting at 09:00 stays at 09:00 on
    both sides of a daylight-saving change.
    """
    rule = rule.strip().removeprefix("RRULE:")
    dtstart = datetime.datetime.combine(first, datetime.time())
    try:
        recurrence = rrulestr(rule, dtstart=dtstart)
    except (ValueError, TypeError) as error:
        raise RuleError(str(error)) from error
    low = datetime.datetime.combine(max(start, first), datetime.time())
    high = datetime.datetime.combine(end, datetime.time())
    return [moment.date() for moment in recurrence.between(low, high, inc=True)]


def first_rule_date(rule: str, *, first: datetime.date) -> datetime.date | None:
    """The first date the rule yields, or None when it never yields one."""
    rule = rule.strip().removeprefix("RRULE:")
    dtstart = datetime.datetime.combine(first, datetime.time())
    try:
        moment = rrulestr(rule, dtstart=dtstart).after(dtstart, inc=True)
    except (ValueError, TypeError) as error:
        raise RuleError(str(error)) from error
    return moment.date() if moment else None


def local_moment(day: datetime.date, time: datetime.time, zone_name: str) -> datetime.datetime:
    return datetime.datetime.combine(day, time, tzinfo=zoneinfo.ZoneInfo(zone_name))
