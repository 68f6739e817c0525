"""The part of the load benchmark (issue 10) that runs inside Django, in a subprocess with
the server's environment (the same database, SECRET_KEY and FIELD_ENCRYPTION_KEY):

- ``prepare PLAN.json OUT.json``: writes what the crowds need into a migrated, empty
  database: complete draft applications and each one's signed link; a training session
  with its last seats and a pending registration with a confirmation link per person;
  referrals sent to agencies with two handlers each, both signed in; members signed in
  for the technical-assistance form. Sessions are written as ``django.contrib.auth.login``
  and the MFA step would (``bench.django_side``).
- ``count PLAN.json OUT.json``: what the database holds afterwards, for the checks.

The records come from the test factories: the same complete application or referral the
test suite uses, at the benchmark's size.
"""

import json
import os
import sys
from pathlib import Path
from typing import Any

PREFIX = "bench-load"


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _applications(count: int) -> list[str]:
    from django.urls import reverse

    from concord.membership.models import ApplicationStatus
    from concord.membership.services.links import Purpose, make_token
    from concord.membership.tests.factories import ApplicationFactory

    drafts = ApplicationFactory.create_batch(
        count,
        status=ApplicationStatus.DRAFT,
        submitted_at=None,
        confirmed_at=None,
        decide_by=None,
        contact_email=_sequence("applicant"),
    )
    return [reverse("membership:apply-open", args=[make_token(d, Purpose.ACCESS)]) for d in drafts]


def _sequence(kind: str) -> Any:
    import factory

    return factory.Sequence(lambda n: f"{PREFIX}-{kind}{n}@example.org")


def _seats(people: int, seats: int) -> tuple[int, list[str]]:
    from django.urls import reverse

    from bench.trainings import TAKEN
    from concord.trainings.models import RegistrationStatus
    from concord.trainings.services.registration import Purpose, make_token
    from concord.trainings.tests.factories import RegistrationFactory, SessionFactory

    session = SessionFactory(capacity=TAKEN + seats)
    RegistrationFactory.create_batch(TAKEN, session=session)
    pending = RegistrationFactory.create_batch(
        people,
        session=session,
        status=RegistrationStatus.PENDING,
        queued_at=None,
        email=_sequence("seat"),
    )
    links = [
        reverse("trainings:registration-confirm", args=[make_token(r, Purpose.CONFIRM)])
        for r in pending
    ]
    return session.pk, links


def _referrals(count: int) -> list[dict[str, Any]]:
    from allauth.mfa.totp.internal.auth import TOTP
    from django.urls import reverse

    from bench.django_side import _session_for
    from concord.accounts.demo import DEMO_TOTP_SECRET
    from concord.accounts.tests.factories import UserFactory
    from concord.agencies.tests.factories import AgencyFactory
    from concord.referrals.tests.factories import sent_referral

    sending = AgencyFactory()
    sender = UserFactory(agency=sending, handles_referrals=True)
    plans = []
    for _ in range(count):
        receiving = AgencyFactory()
        handlers = UserFactory.create_batch(2, agency=receiving, handles_referrals=True)
        for handler in handlers:
            TOTP.activate(handler, DEMO_TOTP_SECRET)
        referral = sent_referral(sender, receiving)
        kwargs = {"public_id": referral.public_id}
        plans.append(
            {
                "detail": reverse("referrals:referral-detail", kwargs=kwargs),
                "accept": reverse("referrals:accept", kwargs=kwargs),
                "sessions": [_session_for(handler) for handler in handlers],
            }
        )
    return plans


def _members(count: int) -> list[str]:
    from bench.django_side import _session_for
    from concord.accounts.tests.factories import UserFactory
    from concord.agencies.tests.factories import AgencyFactory

    agency = AgencyFactory()
    members = UserFactory.create_batch(count, agency=agency, email=_sequence("member"))
    return [_session_for(member) for member in members]


def prepare(plan: dict[str, Any]) -> dict[str, Any]:
    from django.conf import settings

    session, confirm_links = _seats(plan["people_for_seats"], plan["seats"])
    return {
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "applications": _applications(plan["applicants"] * plan["rounds"]),
        "session": session,
        "confirm_links": confirm_links,
        "referrals": _referrals(plan["referrals"]),
        "members": _members(plan["clickers"]),
    }


def count(plan: dict[str, Any]) -> dict[str, Any]:
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    from concord.assistance.models import AssistanceRequest
    from concord.membership.models import Application, ApplicationStatus, StatusChange
    from concord.referrals.models import ReferralStatus, ReferralStatusChange
    from concord.trainings.models import Registration

    mine = Application.objects.filter(contact_email__startswith=f"{PREFIX}-applicant")
    seats = Registration.objects.filter(session_id=plan["session"]).values("status")
    return {
        "submitted": mine.filter(status=ApplicationStatus.UNCONFIRMED).count(),
        "submitted_changes": StatusChange.objects.filter(
            application__in=mine, to_status=ApplicationStatus.UNCONFIRMED
        ).count(),
        "confirmation_tasks": DBTaskResult.objects.filter(
            task_path__endswith="send_confirmation_link"
        ).count(),
        "seats": {row["status"]: row["n"] for row in seats.annotate(n=Count("id"))},
        "accepts": ReferralStatusChange.objects.filter(to_status=ReferralStatus.ACCEPTED).count(),
        "started": Application.objects.filter(
            contact_email__startswith=f"{PREFIX}-clicker"
        ).count(),
        "assistance_requests": AssistanceRequest.objects.count(),
    }


def main(command: str, plan_path: str, out_path: str) -> int:
    _setup()
    plan = json.loads(Path(plan_path).read_text())
    result = {"prepare": prepare, "count": count}[command](plan)
    Path(out_path).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
