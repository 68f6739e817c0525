"""The load suite at a small size (issue 10): many people sending forms at the same
moment over HTTP to the test server, on SQLite and on PostgreSQL (the suite runs twice).

Nothing lost, nothing doubled, no server error. ``make bench-load`` runs the same
scenarios (``bench/load.py``) at full size against gunicorn and reports the numbers.
"""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.contrib.sessions.backends.db import SessionStore
from django.core.servers.basehttp import ThreadedWSGIServer
from django.test.testcases import LiveServerThread, _StaticFilesHandler
from django.urls import reverse

from bench.browser import Browser, Tally
from bench.htmlforms import FIRST
from bench.load import Outcome, Person, at_once, people, source_address
from concord.accounts.middleware import MFA_VERIFIED_USER
from concord.accounts.models import User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.tests.factories import AgencyFactory
from concord.assistance.models import AssistanceRequest
from concord.membership.models import Application, ApplicationStatus, StatusChange
from concord.membership.services.links import Purpose, make_token
from concord.membership.tests.factories import ApplicationFactory
from concord.referrals.models import ReferralStatus
from concord.referrals.tests.factories import sent_referral
from concord.trainings.models import Registration, RegistrationStatus
from concord.trainings.services.registration import Purpose as RegistrationPurpose
from concord.trainings.services.registration import make_token as registration_token
from concord.trainings.tests.factories import RegistrationFactory, SessionFactory
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db(transaction=True)

APPLICANTS = 50


class CrowdServer(ThreadedWSGIServer):
    # Django's test server queues 10 connections, enough for one browser; 50 people
    # connecting at once would overflow it and see their connections reset.
    request_queue_size = 128


class CrowdServerThread(LiveServerThread):
    server_class = CrowdServer


@pytest.fixture
def base_url(transactional_db: None) -> Iterator[str]:
    """A threaded test server of its own (each request in a thread, as gunicorn's workers
    would take them), on the test database."""
    server = CrowdServerThread("127.0.0.1", _StaticFilesHandler)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.terminate()


@pytest.fixture(autouse=True)
def generous_limits(settings: Any) -> None:
    # Each person has an address of their own, but 50 people at once is more than one
    # address's hourly share of some forms; the limits have their own tests.
    settings.MEMBERSHIP_RATE_PER_IP = 1000
    settings.ASSISTANCE_RATE_PER_IP = 1000


def signed_in(person: Person, user: User) -> Person:
    """The person's browser holds a session of ``user`` with the second factor passed."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store[MFA_VERIFIED_USER] = user.pk
    store.create()
    person.browser.cookies[settings.SESSION_COOKIE_NAME] = str(store.session_key)
    return person


def assert_calm(outcome: Outcome) -> None:
    assert outcome.failures == []
    assert outcome.server_errors == 0, outcome.tally.samples


def test_fifty_applicants_submitting_at_once_are_each_stored_and_emailed_once(
    base_url: str, smtp_server: Mailbox
) -> None:
    drafts = ApplicationFactory.create_batch(
        APPLICANTS,
        status=ApplicationStatus.DRAFT,
        submitted_at=None,
        confirmed_at=None,
        decide_by=None,
    )
    tally = Tally()
    crowd = people(base_url, APPLICANTS, tally, page="/apply/review/", action="/apply/submit/")
    for person, draft in zip(crowd, drafts, strict=True):
        person.before = [reverse("membership:apply-open", args=[make_token(draft, Purpose.ACCESS)])]

    outcome = at_once(crowd, tally)

    assert_calm(outcome)
    assert [r.location for p in crowd for r in p.responses] == ["/apply/status/"] * APPLICANTS
    submitted = Application.objects.filter(pk__in=[d.pk for d in drafts])
    assert set(submitted.values_list("status", flat=True)) == {ApplicationStatus.UNCONFIRMED}
    assert submitted.filter(submitted_at__isnull=False).count() == APPLICANTS
    assert StatusChange.objects.filter(to_status=ApplicationStatus.UNCONFIRMED).count() == (
        APPLICANTS
    )
    run_queued_tasks()
    recipients = sorted(address for m in smtp_server.messages for address in m["To"].split(","))
    assert recipients == sorted(draft.contact_email for draft in drafts)


def test_ten_people_confirming_at_once_for_the_last_seat_give_one_seat(base_url: str) -> None:
    session = SessionFactory(capacity=3)
    RegistrationFactory.create_batch(2, session=session)
    pending = [
        RegistrationFactory(
            session=session,
            status=RegistrationStatus.PENDING,
            queued_at=None,
            email=f"racer{index}@example.net",
        )
        for index in range(10)
    ]
    tally = Tally()
    links = [
        reverse(
            "trainings:registration-confirm",
            args=[registration_token(registration, RegistrationPurpose.CONFIRM)],
        )
        for registration in pending
    ]
    crowd = [
        Person(Browser(base_url, source_address(index), tally), link, link)
        for index, link in enumerate(links)
    ]

    outcome = at_once(crowd, tally)

    assert_calm(outcome)
    assert outcome.statuses() == {200: 10}
    statuses = [Registration.objects.get(pk=r.pk).status for r in pending]
    assert statuses.count(RegistrationStatus.REGISTERED) == 1
    assert statuses.count(RegistrationStatus.WAITLISTED) == 9
    assert Registration.objects.filter(
        session=session, status=RegistrationStatus.REGISTERED
    ).count() == (session.capacity)


def test_two_people_accepting_one_referral_at_once_give_one_accept(base_url: str) -> None:
    sending, receiving = AgencyFactory(), AgencyFactory()
    sender = UserFactory(agency=sending, handles_referrals=True)
    receivers = UserFactory.create_batch(2, agency=receiving, handles_referrals=True)
    referral = sent_referral(sender, receiving)
    detail = reverse("referrals:referral-detail", kwargs={"public_id": referral.public_id})
    accept = reverse("referrals:accept", kwargs={"public_id": referral.public_id})
    tally = Tally()
    crowd = [
        signed_in(person, user)
        for person, user in zip(
            people(base_url, 2, tally, page=detail, action=accept), receivers, strict=True
        )
    ]

    outcome = at_once(crowd, tally)

    assert_calm(outcome)
    assert outcome.statuses() == {302: 2}
    pages = [person.browser.get_page(detail)[1].body for person in crowd]
    assert sum("Referral accepted." in page for page in pages) == 1
    assert sum("already accepted this referral" in page for page in pages) == 1
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.changes.filter(to_status=ReferralStatus.ACCEPTED).count() == 1


def test_double_clicked_forms_create_one_record_each(base_url: str, member: User) -> None:
    tally = Tally()
    applicants = people(base_url, 10, tally, page="/apply/", action="/apply/", clicks=2)
    for index, person in enumerate(applicants):
        person.answers = {"homepage": "", "email": f"clicker{index}@example.net"}
    asking = signed_in(
        people(
            base_url,
            1,
            tally,
            page=reverse("assistance:request-create"),
            action=reverse("assistance:request-create"),
            answers={
                "topic": FIRST,
                "urgency": FIRST,
                "description": "Help drafting a protocol for hospital staff.",
                "homepage": "",
            },
            clicks=2,
        )[0],
        member,
    )

    outcome = at_once([*applicants, asking], tally)

    assert_calm(outcome)
    assert outcome.statuses() == {302: 22}
    started = Application.objects.filter(contact_email__startswith="clicker")
    assert sorted(started.values_list("contact_email", flat=True)) == sorted(
        f"clicker{index}@example.net" for index in range(10)
    )
    assert AssistanceRequest.objects.count() == 1
    # Both clicks of one person lead to the same place.
    for person in [*applicants, asking]:
        assert len({response.location for response in person.responses}) == 1
