"""The parts of the referrals benchmark (issue 6) that run inside Django, each in a
subprocess with the server's environment (the same database and FIELD_ENCRYPTION_KEY):

- ``generate PLAN.json OUT.json``: writes the planned referrals (``bench.referrals_data``)
  into the database: the agencies that the demo lacks, a directory organization linked to
  each and a service each, a person with the referral role and TOTP in each, consents,
  referrals, their needs and messages, with ``bulk_create`` in batches. Model instances go
  through the encrypted fields, so client information is encrypted as the site writes it.
- ``pages PLAN.json OUT.json``: signs the busy and the quiet agency's referral person in
  (a session with the MFA step passed, as ``bench.django_side`` does for the coordinator)
  and counts each page's queries with Django's test Client (second request, caches warm).
- ``purge PLAN.json OUT.json``: runs the retention purge and times it.
"""

import datetime
import json
import os
import resource
import sys
import time
from pathlib import Path
from typing import Any

BATCH = 2_000
AGENCY_PREFIX = "Bench Referral Agency"
PERSON_DOMAIN = "bench-referrals.example.org"
SHARED_FIELDS = ["client_label", "safe_contact", "safety_notes"]


def _setup() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def person_email(number: int) -> str:
    return f"referrals{number:02d}@{PERSON_DOMAIN}"


def ensure_agencies(count: int) -> list[Any]:
    """``count`` active agencies, each with a directory organization, one active service
    and one person with the referral role and TOTP: agencies 0 (busy) and 1 (quiet) are
    new, then the demo's active agencies, then new ones until there are ``count``."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    from concord.accounts.demo import DEMO_TOTP_SECRET
    from concord.accounts.models import AgencyRole, User
    from concord.agencies.models import Agency, AgencyStatus, Sector
    from concord.directory.models import Organization, Service, ServiceStatus, Visibility

    def new_agency(number: int) -> Any:
        agency, _created = Agency.objects.get_or_create(
            name=f"{AGENCY_PREFIX} {number:02d}",
            defaults={"sector": Sector.VICTIM_SERVICES, "city": "Concord"},
        )
        return agency

    agencies = [new_agency(1), new_agency(2)]
    demo = Agency.objects.filter(status=AgencyStatus.ACTIVE).exclude(name__startswith=AGENCY_PREFIX)
    agencies += list(demo.order_by("pk")[: max(0, count - 2)])
    number = 3
    while len(agencies) < count:
        agencies.append(new_agency(number))
        number += 1
    for index, agency in enumerate(agencies, start=1):
        organization = Organization.objects.filter(agency=agency).first()
        if organization is None:
            organization = Organization.objects.create(
                name=agency.name, description="A partner agency of the coalition.", agency=agency
            )
        agency.bench_service = Service.objects.create(
            organization=organization,
            name=f"Referral intake {index:02d}",
            description="Case management and safety planning for survivors.",
            status=ServiceStatus.ACTIVE,
            visibility=Visibility.PARTNERS,
        )
        person, _created = User.objects.get_or_create(
            email=person_email(index),
            defaults={
                "full_name": f"Referral desk {index:02d}",
                "agency": agency,
                "agency_role": AgencyRole.MEMBER,
                "handles_referrals": True,
            },
        )
        if _created:
            person.set_unusable_password()
            person.save(update_fields=["password"])
        # The role asks for a second factor: the demo's published secret, as for the demo.
        if not Authenticator.objects.filter(user=person, type=Authenticator.Type.TOTP).exists():
            TOTP.activate(person, DEMO_TOTP_SECRET)
        agency.bench_person = person
    return agencies


def _terms() -> list[Any]:
    from concord.directory.models import TaxonomyTerm

    terms = list(TaxonomyTerm.objects.order_by("name")[:30])
    if len(terms) < 5:
        terms += TaxonomyTerm.objects.bulk_create(
            TaxonomyTerm(name=f"Bench need {number}", description="A need.") for number in range(10)
        )
    return terms


def needs_of(number: int, how_many: int, terms: list[Any]) -> list[Any]:
    """``how_many`` different terms for referral ``number``, spread over ``terms``."""
    picked = {
        terms[(number + 7 * k) % len(terms)].pk: terms[(number + 7 * k) % len(terms)]
        for k in range(min(how_many, len(terms)))
    }
    return list(picked.values())


def _stamps(row: Any, now: datetime.datetime, respond_by: Any) -> dict[str, Any]:
    """The status's dates: sent, answered, accepted, completed, ended."""
    from concord.referrals.models import DeclineReason, Outcome

    if row.sent_days is None:
        return {}
    sent = now - datetime.timedelta(days=row.sent_days)
    end = now - datetime.timedelta(days=row.ended_days) if row.ended_days is not None else now
    span = end - sent
    stamps: dict[str, Any] = {"sent_at": sent, "respond_by": respond_by(row.urgency, sent)}
    answered = sent + span * 0.2
    status = row.status
    if status == "info_requested":
        stamps["responded_at"] = answered
    if status in ("accepted", "in_progress", "completed", "closed"):
        stamps |= {"responded_at": answered, "accepted_at": answered}
    if status in ("completed", "closed"):
        stamps["completed_at"] = sent + span * 0.8
        # Some close without a recorded outcome: the closed-loop rate is not 100 %.
        if int(row.sent_days * 1000) % 10:
            stamps["outcome"] = Outcome.values[int(row.sent_days * 100) % len(Outcome.values)]
    if status == "closed":
        stamps["closed_at"] = end
    if status == "declined":
        reasons = DeclineReason.values
        stamps |= {
            "responded_at": end,
            "decline_reason": reasons[int(row.sent_days * 100) % len(reasons)],
        }
    if status == "withdrawn":
        stamps["withdrawn_at"] = end
    return stamps


def _respond_by() -> Any:
    """``workflow.respond_by`` with the coalition's time zone looked up once."""
    from django.conf import settings

    from concord.referrals.models import Urgency
    from concord.referrals.services.workflow import add_business_days, coalition_zone

    zone = coalition_zone()
    days = {
        Urgency.URGENT: settings.REFERRAL_URGENT_RESPONSE_BUSINESS_DAYS,
        Urgency.ROUTINE: settings.REFERRAL_ROUTINE_RESPONSE_BUSINESS_DAYS,
    }

    def respond_by(urgency: str, sent: datetime.datetime) -> datetime.datetime:
        if urgency == Urgency.EMERGENCY:
            return sent + datetime.timedelta(hours=settings.REFERRAL_EMERGENCY_RESPONSE_HOURS)
        return add_business_days(sent, days[urgency], zone)  # type: ignore[index]

    return respond_by


def generate(
    *,
    referrals: int,
    agencies: int,
    busy: int,
    quiet: int,
    purgeable: int,
    seed: int = 6,
) -> dict[str, Any]:
    """Write the plan into the database; returns the counts and the two signed-in people."""
    from django.db import transaction
    from django.utils import timezone

    from bench.referrals_data import BUSY, QUIET, plan
    from concord.referrals.models import (
        Consent,
        ConsentGiver,
        ConsentMethod,
        Referral,
        ReferralMessage,
        ReferralStatus,
    )

    started = time.monotonic()
    rows = plan(referrals, agencies, busy=busy, quiet=quiet, purgeable=purgeable, seed=seed)
    now = timezone.now()
    parties = ensure_agencies(agencies)
    terms = _terms()
    respond_by = _respond_by()
    through = Referral.needs.through
    counts = {"referrals": 0, "consents": 0, "messages": 0, "needs": 0}
    for start in range(0, len(rows), BATCH):
        chunk = rows[start : start + BATCH]
        with transaction.atomic():
            consents: dict[int, Any] = {}
            for offset, row in enumerate(chunk):
                if not row.with_client:
                    continue
                number = start + offset
                signed = now - datetime.timedelta(days=row.sent_days or 0)
                consents[offset] = Consent(
                    sending_agency=parties[row.sender],
                    receiving_agency=parties[row.receiver],
                    given_by=ConsentGiver.SURVIVOR,
                    shared_fields=SHARED_FIELDS,
                    purpose="Bench: referral for shelter and case management.",
                    method=ConsentMethod.E_SIGNATURE,
                    signature_name=f"Bench client {number}",
                    signed_at=signed,
                    language="es" if number % 3 == 0 else "en",
                    created_by=parties[row.sender].bench_person,
                    expires_at=now - datetime.timedelta(days=row.consent_expires_days or 0),
                )
            Consent.objects.bulk_create(consents.values())
            made = []
            for offset, row in enumerate(chunk):
                number = start + offset
                sender, receiver = parties[row.sender], parties[row.receiver]
                client: dict[str, Any] = {}
                if row.with_client:
                    client = {
                        "consent": consents[offset],
                        "client_label": f"Bench client {number}",
                        "safe_contact": "Phone only, weekdays 2 to 4 pm, no voicemail.",
                        "safety_notes": "Do not leave messages at home.",
                    }
                made.append(
                    Referral(
                        sending_agency=sender,
                        sender=sender.bench_person,
                        service=receiver.bench_service,
                        receiving_agency=receiver,
                        urgency=row.urgency,
                        languages=list(row.languages),
                        age_range=row.age_range,
                        referrer_contact="Call the intake line and ask for the referral desk.",
                        status=row.status,
                        **client,
                        **_stamps(row, now, respond_by),
                    )
                )
            Referral.objects.bulk_create(made)
            needs = [
                through(referral_id=referral.pk, taxonomyterm_id=term.pk)
                for number, (referral, row) in enumerate(zip(made, chunk, strict=True))
                for term in needs_of(start + number, row.needs, terms)
            ]
            through.objects.bulk_create(needs)
            messages = []
            for referral, row in zip(made, chunk, strict=True):
                for k in range(row.messages):
                    party = parties[row.receiver if k % 2 == 0 else row.sender]
                    messages.append(
                        ReferralMessage(
                            referral=referral,
                            author=party.bench_person,
                            agency=party,
                            body="Bench: we called the referrer back; intake is booked.",
                        )
                    )
            ReferralMessage.objects.bulk_create(messages)
        counts["referrals"] += len(made)
        counts["consents"] += len(consents)
        counts["messages"] += len(messages)
        counts["needs"] += len(needs)
    inbox = Referral.objects.exclude(status=ReferralStatus.DRAFT)
    return {
        "seconds": round(time.monotonic() - started, 1),
        "counts": {
            **counts,
            "agencies": len(parties),
            "due": sum(1 for row in rows if row.due),
            "busy_inbox": inbox.filter(receiving_agency=parties[BUSY]).count(),
            "quiet_inbox": inbox.filter(receiving_agency=parties[QUIET]).count(),
        },
        "personas": {
            "busy": parties[BUSY].bench_person.email,
            "quiet": parties[QUIET].bench_person.email,
        },
    }


def count_pages(personas: dict[str, str], pages: list[dict[str, Any]]) -> dict[str, Any]:
    """Sessions for ``personas`` and each page's status and queries, in the shape of
    ``bench.django_side``'s output (what ``bench.__main__.measure`` reads)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from bench.django_side import _session_for

    users = get_user_model().objects
    sessions = {name: _session_for(users.get(email=email)) for name, email in personas.items()}
    results: dict[str, Any] = {}
    for page in pages:
        client = Client(HTTP_HOST="127.0.0.1")
        if page["user"]:
            client.cookies[settings.SESSION_COOKIE_NAME] = sessions[page["user"]]
        client.get(page["path"])  # warm: the first request fills per-process caches
        with CaptureQueriesContext(connection) as captured:
            response = client.get(page["path"])
        results[page["name"]] = {
            "path": page["path"],
            "status": response.status_code,
            "queries": len(captured.captured_queries),
            "sql": [query["sql"] for query in captured.captured_queries],
        }
    return {"cookie_name": settings.SESSION_COOKIE_NAME, "sessions": sessions, "pages": results}


def run_purge() -> dict[str, Any]:
    """The retention purge as the daily task runs it, timed, with what is left to erase."""
    from django.utils import timezone

    from concord.referrals.models import Referral
    from concord.referrals.services.retention import purge, referrals_to_purge

    now = timezone.now()
    started = time.monotonic()
    counts = purge(now=now)
    seconds = time.monotonic() - started
    return {
        "seconds": round(seconds, 2),
        "counts": counts,
        "left": Referral.objects.filter(referrals_to_purge(now)).count(),
        # Linux reports kilobytes.
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main(command: str, plan_path: str, out_path: str) -> int:
    _setup()
    plan = json.loads(Path(plan_path).read_text())
    if command == "generate":
        out = generate(**plan)
    elif command == "pages":
        out = count_pages(plan["personas"], plan["pages"])
    elif command == "purge":
        out = run_purge()
    else:
        raise SystemExit(f"unknown command {command!r}: generate, pages or purge")
    Path(out_path).write_text(json.dumps(out))
    return 0


if __name__ == "__main__":
    sys.exit(main(*sys.argv[1:4]))
