"""The referral sweep (issue 6, SECURITY.md rule 1): every ``referrals:*`` URL, GET and
POST, for six personas, and every refusal written to the security log.

The personas, for a row whose "right agency" is the referral's sender or receiver:
anonymous and deactivated are sent to sign in; ``third`` is a referral handler of a third
agency (404 on agency A's and B's referrals, the object unchanged); ``no_role`` is a person
of the right agency without the referral role (403); ``handler`` has the role there (and
a second factor), and gets the page or the change; ``coordinator`` is refused agency pages
(403) and sees only the figures. A new ``referrals:*`` URL without a row here fails.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.db.models import Model
from django.test import Client
from django.urls import reverse

from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency
from concord.agencies.tests.factories import AgencyFactory
from conftest import sign_in
from tests.urls import all_routes

PERSONAS = ("anonymous", "deactivated", "third", "no_role", "handler", "coordinator")
LOGIN = 302
SENDER = "sender"  # the right agency is agency A, which sent the referral
RECEIVER = "receiver"  # the right agency is agency B, which received it


def _statuses(third: int, no_role: int, handler: int, coordinator: int) -> dict[str, int]:
    return {
        "anonymous": LOGIN,
        "deactivated": LOGIN,
        "third": third,
        "no_role": no_role,
        "handler": handler,
        "coordinator": coordinator,
    }


NOT_ALLOWED = _statuses(405, 405, 405, 405)


@dataclass(frozen=True)
class Row:
    """``target`` names the fixture of the referral in the URL (None: no argument);
    ``side`` says which agency is the right one; ``handler`` may name another fixture for
    the persona who gets the page (the access log is the primary representative's)."""

    target: str | None
    side: str
    get: dict[str, int]
    post: dict[str, int]
    handler: str | None = None
    # The URL's arguments from the target; a referral's public id unless said otherwise.
    kwargs: Callable[[Any], dict[str, Any]] | None = None


# Receiving side, a referral's page, its answers and the figures (helper F). The handler's
# empty POSTs: accept changes the referral (302); a form without its required answer is
# shown again with its errors (400); an answer the status does not allow comes back to the
# page with the service's message (302), the referral unchanged.
ROWS: dict[str, Row] = {
    "referrals:inbox": Row(None, RECEIVER, get=_statuses(200, 403, 200, 403), post=NOT_ALLOWED),
    "referrals:access-log": Row(
        None,
        RECEIVER,
        get=_statuses(403, 403, 200, 403),
        post=NOT_ALLOWED,
        handler="receiving_primary_handler",
    ),
    "referrals:figures": Row(None, RECEIVER, get=_statuses(403, 403, 403, 200), post=NOT_ALLOWED),
    "referrals:figures-export": Row(
        None, RECEIVER, get=_statuses(403, 403, 403, 200), post=NOT_ALLOWED
    ),
    "referrals:referral-detail": Row(
        "sent_referral", RECEIVER, get=_statuses(404, 403, 200, 403), post=NOT_ALLOWED
    ),
    "referrals:referral-print": Row(
        "sent_referral", RECEIVER, get=_statuses(404, 403, 200, 403), post=NOT_ALLOWED
    ),
    "referrals:accept": Row(
        "sent_referral", RECEIVER, get=NOT_ALLOWED, post=_statuses(404, 403, 302, 403)
    ),
    "referrals:decline": Row(
        "sent_referral", RECEIVER, get=NOT_ALLOWED, post=_statuses(404, 403, 400, 403)
    ),
    "referrals:request-info": Row(
        "sent_referral", RECEIVER, get=NOT_ALLOWED, post=_statuses(404, 403, 400, 403)
    ),
    "referrals:start": Row(
        "sent_referral", RECEIVER, get=NOT_ALLOWED, post=_statuses(404, 403, 302, 403)
    ),
    "referrals:complete": Row(
        "sent_referral", RECEIVER, get=NOT_ALLOWED, post=_statuses(404, 403, 400, 403)
    ),
    "referrals:close": Row(
        "sent_referral", RECEIVER, get=NOT_ALLOWED, post=_statuses(404, 403, 302, 403)
    ),
    "referrals:message": Row(
        "sent_referral", RECEIVER, get=NOT_ALLOWED, post=_statuses(404, 403, 400, 403)
    ),
    # Sending side (helper E). The handler's empty POSTs: a form without its required
    # answers is shown again with its errors (200); sending a needs-only draft, withdrawing,
    # revoking the consent change the referral (302). The third agency's handler has the
    # role, so reaches the agency-less pages (its own sent list, the choice of a service).
    "referrals:sent": Row(None, SENDER, get=_statuses(200, 403, 200, 403), post=NOT_ALLOWED),
    "referrals:create": Row(
        None, SENDER, get=_statuses(200, 403, 200, 403), post=_statuses(200, 403, 200, 403)
    ),
    "referrals:edit": Row(
        "draft_referral",
        SENDER,
        get=_statuses(404, 403, 200, 403),
        post=_statuses(404, 403, 200, 403),
    ),
    "referrals:consent": Row(
        "draft_referral",
        SENDER,
        get=_statuses(404, 403, 200, 403),
        post=_statuses(404, 403, 200, 403),
    ),
    "referrals:consent-form": Row(
        "draft_referral", SENDER, get=_statuses(404, 403, 200, 403), post=NOT_ALLOWED
    ),
    # A needs-only draft has no signed form: its handler gets 404 too (the download itself
    # is in concord/referrals/tests/test_views_sending.py).
    "referrals:consent-file": Row(
        "draft_referral", SENDER, get=_statuses(404, 403, 404, 403), post=NOT_ALLOWED
    ),
    "referrals:consent-revoke": Row(
        "sent_referral", SENDER, get=NOT_ALLOWED, post=_statuses(404, 403, 302, 403)
    ),
    "referrals:send": Row(
        "draft_referral", SENDER, get=NOT_ALLOWED, post=_statuses(404, 403, 302, 403)
    ),
    "referrals:withdraw": Row(
        "sent_referral", SENDER, get=NOT_ALLOWED, post=_statuses(404, 403, 302, 403)
    ),
    # The referral role: agency A's primary representative grants it to agency A's member
    # (an empty POST changes nothing and returns to the list); coordinators too. The third
    # agency's handler does not reach agency A's people.
    "referrals:people": Row(
        None,
        SENDER,
        get=_statuses(403, 403, 200, 200),
        post=NOT_ALLOWED,
        handler="representative",
    ),
    "referrals:role": Row(
        "member",
        SENDER,
        get=NOT_ALLOWED,
        post=_statuses(404, 403, 302, 302),
        handler="representative",
        kwargs=lambda person: {"pk": person.pk},
    ),
}


def _referral_names() -> list[str]:
    return sorted({route.name for route in all_routes() if route.name.startswith("referrals:")})


def test_every_referral_url_has_a_row() -> None:
    missing = [name for name in _referral_names() if name not in ROWS]

    assert missing == [], "Add these referral URLs to ROWS in tests/test_referral_sweep.py"
    assert sorted(set(ROWS) - set(_referral_names())) == []


@pytest.fixture
def third_agency_handler(db: None) -> User:
    agency = AgencyFactory(name="Third Agency")
    return UserFactory(email="handler-c@example.org", agency=agency, handles_referrals=True)


@pytest.fixture
def receiving_member(agency_b: Agency) -> User:
    return UserFactory(email="member-b@example.org", agency=agency_b)


@pytest.fixture
def receiving_primary_handler(agency_b: Agency) -> User:
    return UserFactory(
        email="primary-b@example.org",
        agency=agency_b,
        agency_role=AgencyRole.PRIMARY,
        handles_referrals=True,
    )


def _person(request: pytest.FixtureRequest, row: Row, persona: str) -> User:
    names = {
        "deactivated": "deactivated",
        "third": "third_agency_handler",
        "coordinator": "coordinator",
        "no_role": "member" if row.side == SENDER else "receiving_member",
        "handler": row.handler
        or ("referral_handler" if row.side == SENDER else "receiving_handler"),
    }
    return request.getfixturevalue(names[persona])  # type: ignore[no-any-return]


def _snapshot(obj: Model | None) -> dict[str, Any] | None:
    if obj is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).values().first()


@pytest.fixture
def url_for(request: pytest.FixtureRequest) -> Callable[[str], tuple[str, Model | None]]:
    def make(name: str) -> tuple[str, Model | None]:
        row = ROWS[name]
        if row.target is None:
            return reverse(name), None
        target = request.getfixturevalue(row.target)
        if row.kwargs is not None:
            return reverse(name, kwargs=row.kwargs(target)), target
        return reverse(name, kwargs={"public_id": target.public_id}), target

    return make


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(ROWS))
def test_referral_urls_answer_each_persona_as_the_table_says(
    name: str,
    method: str,
    persona: str,
    url_for: Callable[[str], tuple[str, Model | None]],
    request: pytest.FixtureRequest,
    caplog: pytest.LogCaptureFixture,
) -> None:
    row = ROWS[name]
    url, target = url_for(name)
    client = Client()
    if persona != "anonymous":
        sign_in(client, _person(request, row, persona))
    before = _snapshot(target)
    expected = getattr(row, method)[persona]

    with caplog.at_level(logging.WARNING, logger="concord.security"):
        response = getattr(client, method)(url, {})

    assert response.status_code == expected
    if persona in ("anonymous", "deactivated"):
        assert response["Location"].startswith(reverse("account_login"))
    if expected in (403, 404):
        refusals = [
            record.getMessage()
            for record in caplog.records
            if record.name == "concord.security" and f"status={expected}" in record.getMessage()
        ]
        assert refusals, "the refusal is not logged"
        # Ids and the page's name only: nothing from the referral, not even its URL.
        assert all(url not in message for message in refusals)
    if expected not in (200, 302):
        assert _snapshot(target) == before
