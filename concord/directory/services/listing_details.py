"""The parts of a listing that are rows of their own in HSDS: languages, phones and weekly
hours (issue 5). Read them into plain values a proposal can hold, show them as text, and
write them back when a change is published."""

from typing import Any

from django.db.models import Q

from concord.directory.models import Frequency, Language, Location, Phone, Schedule, Service
from concord.directory.models.base import Weekday

DAYS = tuple(Weekday.values)
# Always offered, whatever the directory holds yet.
COMMON_LANGUAGES = {"en": "English", "es": "Spanish"}

Owner = Service | Location


def language_choices() -> list[tuple[str, str]]:
    """English, Spanish and every language the directory already holds, by code."""
    names = dict(COMMON_LANGUAGES)
    for code, name in (
        Language.objects.exclude(code="").values_list("code", "name").distinct().order_by("code")
    ):
        names.setdefault(code, name or code)
    return sorted(names.items(), key=lambda item: (item[0] not in COMMON_LANGUAGES, item[1]))


def _owner(owner: Owner) -> dict[str, Owner]:
    return {"service": owner} if isinstance(owner, Service) else {"location": owner}


def _weekly(owner: Owner) -> Any:
    # Only the weekly opening hours are edited here; monthly, dated or description-only
    # schedules an import brought are left as they are.
    return (
        Schedule.objects.filter(**_owner(owner))
        .filter(Q(freq=Frequency.WEEKLY) | Q(freq=""), service_at_location=None)
        .exclude(byday="")
        .exclude(opens_at="")
    )


def hours_of(owner: Owner) -> dict[str, list[str]]:
    """Weekly hours by day code: {"MO": ["09:00", "17:00"]}; a day left out is closed."""
    hours: dict[str, list[str]] = {}
    for schedule in _weekly(owner).order_by("opens_at"):
        for day in schedule.byday.split(","):
            day = day.strip()
            if day in DAYS:
                hours.setdefault(day, [schedule.opens_at[:5], schedule.closes_at[:5]])
    return {day: hours[day] for day in DAYS if day in hours}


def _own_phones(owner: Owner) -> Any:
    # A listing's own numbers: not a contact's, nor one of a service at a location.
    phones = Phone.objects.filter(**_owner(owner), contact=None, service_at_location=None)
    return phones.filter(service=None) if isinstance(owner, Location) else phones


def phones_of(owner: Owner) -> list[dict[str, str]]:
    phones = _own_phones(owner).order_by("number", "id")
    return [{"number": phone.number, "description": phone.description} for phone in phones]


def languages_of(service: Service) -> list[str]:
    codes = (
        Language.objects.filter(service=service, phone=None)
        .exclude(code="")
        .values_list("code", flat=True)
    )
    return sorted(set(codes))


def clean_hours(hours: Any) -> dict[str, list[str]]:
    hours = hours or {}
    return {day: [str(hours[day][0]), str(hours[day][1])] for day in DAYS if hours.get(day)}


def clean_phones(phones: Any) -> list[dict[str, str]]:
    return [
        {"number": str(phone["number"]).strip(), "description": str(phone.get("description", ""))}
        for phone in phones or []
        if str(phone.get("number", "")).strip()
    ]


def write_hours(owner: Owner, hours: dict[str, list[str]]) -> None:
    """Replace the weekly schedules: one HSDS row per set of days with the same hours, the
    form search's "open now" reads (schedules_open_at)."""
    _weekly(owner).delete()
    days_by_hours: dict[tuple[str, str], list[str]] = {}
    for day in DAYS:
        if day in hours:
            days_by_hours.setdefault((hours[day][0], hours[day][1]), []).append(day)
    Schedule.objects.bulk_create(
        Schedule(
            **_owner(owner),
            freq=Frequency.WEEKLY,
            byday=",".join(days),
            opens_at=opens,
            closes_at=closes,
        )
        for (opens, closes), days in days_by_hours.items()
    )


def write_phones(owner: Owner, phones: list[dict[str, str]]) -> None:
    _own_phones(owner).delete()
    Phone.objects.bulk_create(
        Phone(**_owner(owner), number=phone["number"], description=phone["description"])
        for phone in phones
    )


def write_languages(service: Service, codes: list[str]) -> None:
    names = dict(language_choices())
    own = Language.objects.filter(service=service, phone=None)
    own.exclude(code__in=codes).delete()
    kept = set(own.values_list("code", flat=True))
    Language.objects.bulk_create(
        Language(service=service, code=code, name=names.get(code, code))
        for code in codes
        if code not in kept
    )


def as_text(name: str, value: Any) -> str:
    """A proposed or current value as people read it, and as HSDS metadata stores it."""
    if value is None:
        return ""
    if name == "hours":
        names = dict(Weekday.choices)
        return "; ".join(
            f"{names[day]} {value[day][0]}-{value[day][1]}" for day in clean_hours(value)
        )
    if name == "phones":
        return "; ".join(
            f"{phone['number']} ({phone['description']})"
            if phone["description"]
            else phone["number"]
            for phone in clean_phones(value)
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list):
        return ",".join(str(item) for item in value)
    return str(value)
