"""The promise to applicants, simulated over a year of days.

Applications are confirmed at random moments; every morning the scheduler runs its daily
jobs; a slow coordinator acts only on the due warnings the jobs email them, and decides
each one that day. Every application confirmed by its meeting's cut-off must have its
decision email before that meeting starts, and its confirmation email must name the day
before that meeting.
"""

import datetime
import logging
import random
import re
import zoneinfo
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.urls import resolve
from django.utils import formats, timezone, translation
from django.utils.translation import gettext
from django_tasks_db.models import DBTaskResult

from concord.accounts.models import User
from concord.accounts.tests.factories import CoordinatorFactory
from concord.meetings.models import Meeting, MeetingSeries, MeetingStatus
from concord.meetings.services.schedule import cancel_meeting, extend_all_horizons, move_meeting
from concord.membership.models import Application, ApplicationStatus
from concord.membership.services import applicant, review, upkeep
from concord.membership.services.schedule import decide_by_for, hear_by
from concord.membership.tasks import membership_upkeep
from concord.membership.tests.factories import ApplicationFactory
from tests.tasks import run_queued_tasks

LOCAL = zoneinfo.ZoneInfo("America/Los_Angeles")
COALITION_RULE = "FREQ=YEARLY;BYMONTH=1,4,7,10;BYDAY=4TU"
FIRST_DAY = datetime.date(2027, 1, 1)
DAYS = 365
CUTOFF_DAYS = 7
LINK = re.compile(r"https?://\S+")

Capture = Callable[..., AbstractContextManager[Any]]


def at(day: datetime.date, hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime.combine(day, datetime.time(hour, minute), tzinfo=LOCAL)


def drain(capture: Capture) -> list[tuple[datetime.datetime, mail.EmailMessage]]:
    """Run queued tasks until none is left; the emails they sent, stamped with the clock."""
    sent_before = len(mail.outbox)
    while DBTaskResult.objects.ready().exists():
        with capture(execute=True):
            run_queued_tasks()
    now = timezone.now()
    return [(now, message) for message in mail.outbox[sent_before:]]


def coalition_series() -> MeetingSeries:
    series = MeetingSeries.objects.create(
        title="Coalition meeting",
        rule=COALITION_RULE,
        starts_on=FIRST_DAY - datetime.timedelta(days=90),
        start_time=datetime.time(9, 0),
        end_time=datetime.time(10, 30),
        time_zone="America/Los_Angeles",
    )
    extend_all_horizons(FIRST_DAY)
    return series


def expected_meeting(confirmed_at: datetime.datetime) -> Meeting:
    """Worked out here from the meetings themselves, not through the code under test."""
    day = confirmed_at.astimezone(LOCAL).date()
    meetings = Meeting.objects.filter(
        committee__isnull=True, status=MeetingStatus.SCHEDULED, starts_at__gt=confirmed_at
    ).order_by("starts_at")
    return next(
        m for m in meetings if day <= m.starts_at.astimezone(LOCAL).date() - datetime.timedelta(7)
    )


def application_of(message: mail.EmailMessage) -> Application:
    """The application a coordinator's email links to, found as a browser would."""
    path = urlsplit(LINK.findall(message.body)[0]).path
    prefix = path.split("/")[1]
    with translation.override(prefix if prefix == "es" else "en"):
        match = resolve(path)
    assert match.view_name == "membership:application-detail"
    return Application.objects.get(pk=match.kwargs["pk"])


@dataclass
class Record:
    confirmed_at: datetime.datetime
    confirmation: str = ""
    decision_sent_at: datetime.datetime | None = None
    warned: list[datetime.datetime] = field(default_factory=list)


@dataclass
class Simulation:
    capture: Capture
    coordinators: list[User]
    rng: random.Random
    records: dict[str, Record] = field(default_factory=dict)  # by contact email
    decisions: int = 0

    def read(self, sent: list[tuple[datetime.datetime, mail.EmailMessage]]) -> None:
        for when, message in sent:
            record = self.records.get(message.to[0])
            if record is None:
                continue
            if message.subject.startswith("Application ") and "received" in message.subject:
                record.confirmation = message.body
            elif "membership application" in message.subject.lower():
                assert record.decision_sent_at is None, "two decision emails"
                record.decision_sent_at = when

    def confirm(self, moment: datetime.datetime) -> None:
        application = ApplicationFactory(
            status=ApplicationStatus.UNCONFIRMED, confirmed_at=None, meeting=None, decide_by=None
        )
        self.records[application.contact_email] = Record(confirmed_at=moment)
        with self.capture(execute=True):
            applicant.confirm_email(application=application)
        self.read(drain(self.capture))

    def morning(self) -> list[Application]:
        # The scheduler's daily membership job; the meetings' own jobs are tested apart.
        membership_upkeep.enqueue()
        sent = drain(self.capture)
        self.read(sent)
        subjects = set()
        for person in self.coordinators:
            with translation.override(person.language):
                subjects.add(gettext("A membership application is due for a decision"))
        warned = {}
        for _when, message in sent:
            if message.subject in subjects:
                application = application_of(message)
                warned[application.pk] = application
        return list(warned.values())

    def decide(self, applications: list[Application]) -> None:
        coordinator = self.coordinators[self.decisions % len(self.coordinators)]
        for application in applications:
            application.refresh_from_db()
            if not application.is_undecided:
                continue
            with self.capture(execute=True):
                if self.decisions % 2:
                    review.decline_application(
                        actor=coordinator, application=application, reason="Outside our county."
                    )
                else:
                    review.accept_application(actor=coordinator, application=application)
            self.decisions += 1
        self.read(drain(self.capture))


def events(day: datetime.date, rng: random.Random) -> Iterator[tuple[datetime.datetime, str]]:
    """A day's moments in order: the scheduler at 6, the coordinator at 10, and up to
    three confirmations at any minute of the day, before or after either."""
    moments = [(at(day, 6, 5), "morning"), (at(day, 10, 0), "decide")]
    for _ in range(rng.choice((0, 0, 0, 0, 1, 1, 2))):
        moments.append((at(day, 0) + datetime.timedelta(minutes=rng.randrange(24 * 60)), "confirm"))
    yield from sorted(moments)


@pytest.mark.django_db
def test_every_application_confirmed_by_its_cutoff_is_decided_before_its_meeting(
    django_capture_on_commit_callbacks: Capture, caplog: pytest.LogCaptureFixture
) -> None:
    # Thousands of task runs: their log lines would cost more than the tasks.
    caplog.set_level(logging.WARNING)
    rng = random.Random(20270101)
    with time_machine.travel(at(FIRST_DAY, 5), tick=False) as clock:
        coalition_series()
        simulation = Simulation(
            capture=django_capture_on_commit_callbacks,
            coordinators=[CoordinatorFactory(language="es")],
            rng=rng,
        )
        warned: list[Application] = []
        for offset in range(DAYS):
            day = FIRST_DAY + datetime.timedelta(days=offset)
            for moment, what in events(day, rng):
                clock.move_to(moment)
                if what == "morning":
                    warned = simulation.morning()
                elif what == "decide":
                    simulation.decide(warned)
                else:
                    simulation.confirm(moment)

    applications = {a.contact_email: a for a in Application.objects.select_related("meeting")}
    assert len(simulation.records) > 150
    rolled = 0
    checked = 0
    for email, record in simulation.records.items():
        application = applications[email]
        meeting = expected_meeting(record.confirmed_at)
        assert application.meeting == meeting, email
        assert application.decide_by == decide_by_for(meeting, CUTOFF_DAYS)
        confirmed_day = record.confirmed_at.astimezone(LOCAL).date()
        nearest = Meeting.objects.filter(starts_at__gt=record.confirmed_at).earliest("starts_at")
        if meeting != nearest:
            # Confirmed after the cut-off of a meeting still to come: rolled to the next.
            rolled += 1
            assert confirmed_day > decide_by_for(nearest, CUTOFF_DAYS)
            assert meeting == nearest.get_next_by_starts_at()
        with translation.override("en"):
            day = formats.date_format(hear_by(meeting), "DATE_FORMAT")
        assert f"By {day}, the day before the next coalition meeting" in record.confirmation
        if meeting.starts_at.astimezone(LOCAL).date() > FIRST_DAY + datetime.timedelta(DAYS - 1):
            continue  # its meeting falls after the simulated year
        checked += 1
        assert record.decision_sent_at is not None, email
        assert record.decision_sent_at < meeting.starts_at
        assert record.decision_sent_at.astimezone(LOCAL).date() <= hear_by(meeting)
    assert rolled > 5
    assert checked > 120
    assert simulation.decisions == checked


def test_a_cancelled_meeting_sends_its_applications_to_the_next_one(
    coordinator: User, django_capture_on_commit_callbacks: Capture
) -> None:
    with time_machine.travel(at(FIRST_DAY, 9), tick=False):
        coalition_series()
        application = ApplicationFactory(
            status=ApplicationStatus.UNCONFIRMED, confirmed_at=None, meeting=None, decide_by=None
        )
        with django_capture_on_commit_callbacks(execute=True):
            applicant.confirm_email(application=application)
        application.refresh_from_db()
        first = application.meeting
        assert first is not None
        assert first.starts_at.astimezone(LOCAL).date() == datetime.date(2027, 1, 26)

        cancel_meeting(actor=coordinator, meeting=first)
        changed = upkeep.retarget_applications(now=timezone.now())

    application.refresh_from_db()
    assert changed == 1
    assert application.meeting is not None
    assert application.meeting.starts_at.astimezone(LOCAL).date() == datetime.date(2027, 4, 27)
    assert application.decide_by == datetime.date(2027, 4, 20)


def test_a_moved_meeting_takes_its_applications_decide_by_date_along(
    coordinator: User,
) -> None:
    with time_machine.travel(at(FIRST_DAY, 9), tick=False):
        coalition_series()
        application = ApplicationFactory(
            status=ApplicationStatus.UNCONFIRMED, confirmed_at=None, meeting=None, decide_by=None
        )
        applicant.confirm_email(application=application)
        application.refresh_from_db()
        meeting = application.meeting
        assert meeting is not None
        later = meeting.starts_at + datetime.timedelta(days=9)
        move_meeting(
            actor=coordinator,
            meeting=meeting,
            starts_at=later,
            ends_at=later + datetime.timedelta(hours=1),
            location="",
            online_url="",
        )
        upkeep.retarget_applications(now=timezone.now())
        upkeep.retarget_applications(now=timezone.now())

    application.refresh_from_db()
    assert application.meeting == meeting
    assert application.decide_by == datetime.date(2027, 1, 28)
