"""Personas shared by every app's tests (STYLE.md): coordinator, agency A representative,
agency A member (same agency, no role), agency B person (the outsider), deactivated user
and anonymous."""

from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.utils import translation

from concord.accounts.middleware import MFA_VERIFIED_USER
from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import CoordinatorFactory, UserFactory
from concord.agencies.models import Agency
from concord.agencies.tests.factories import AgencyFactory
from concord.audit import triggers


@pytest.fixture(autouse=True)
def fast_password_hashing(settings: Any) -> None:
    # Argon2 with production costs takes most of a second per hash on this machine; the
    # tests that are about hashing put it back (concord/accounts/tests/test_passwords.py).
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_outside_requests() -> None:
    # A request to /es/ leaves Spanish active in the thread, which would make reverse() in
    # the next test build /es/ URLs.
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def audit_triggers(request: pytest.FixtureRequest) -> Iterator[None]:
    """Keep the audit table append-only in every test, yet let transactional tests end.

    Those tests empty every table afterwards (DELETE on SQLite, TRUNCATE on PostgreSQL),
    which the triggers rightly refuse; so the triggers step aside just for that and come
    back before the next test.
    """
    marker = request.node.get_closest_marker("django_db")
    uses = set(request.fixturenames)
    transactional = bool(marker and marker.kwargs.get("transaction")) or bool(
        uses & {"transactional_db", "live_server"}
    )
    if not (marker or uses & {"db", "transactional_db", "live_server"}):
        yield
        return
    request.getfixturevalue("transactional_db" if transactional else "db")
    triggers.install(connection)
    yield
    if transactional:
        triggers.remove(connection)


@pytest.fixture
def agency_a(db: None) -> Agency:
    return AgencyFactory(name="Agency A")


@pytest.fixture
def agency_b(db: None) -> Agency:
    return AgencyFactory(name="Agency B")


@pytest.fixture
def coordinator(db: None) -> User:
    return CoordinatorFactory(email="coordinator@example.org", full_name="Casey Coordinator")


@pytest.fixture
def representative(agency_a: Agency) -> User:
    return UserFactory(
        email="rep-a@example.org",
        full_name="Rosa A",
        agency=agency_a,
        agency_role=AgencyRole.PRIMARY,
    )


@pytest.fixture
def member(agency_a: Agency) -> User:
    return UserFactory(email="member-a@example.org", full_name="Marco A", agency=agency_a)


@pytest.fixture
def outsider(agency_b: Agency) -> User:
    return UserFactory(
        email="rep-b@example.org",
        full_name="Omar B",
        agency=agency_b,
        agency_role=AgencyRole.PRIMARY,
    )


@pytest.fixture
def deactivated(agency_a: Agency) -> User:
    return UserFactory(email="gone-a@example.org", agency=agency_a, is_active=False)


def sign_in(client: Client, user: User) -> Client:
    """Sign in as a fully authenticated session, second factor included."""
    client.force_login(user)
    session = client.session
    session[MFA_VERIFIED_USER] = user.pk
    session.save()
    return client


@pytest.fixture
def coordinator_client(coordinator: User) -> Client:
    return sign_in(Client(), coordinator)


@pytest.fixture
def representative_client(representative: User) -> Client:
    return sign_in(Client(), representative)


@pytest.fixture
def member_client(member: User) -> Client:
    return sign_in(Client(), member)


@pytest.fixture
def outsider_client(outsider: User) -> Client:
    return sign_in(Client(), outsider)


pytest_plugins = ["tests.mail", "tests.sentinel", "tests.fixtures"]
