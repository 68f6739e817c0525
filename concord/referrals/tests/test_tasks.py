import datetime
import zoneinfo
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.audit.models import AuditEvent
from concord.directory.models import Service, TaxonomyTerm
from concord.referrals.models import (
    ConsentMethod,
    Outcome,
    Referral,
    ReferralMessage,
    ReferralStatus,
    Urgency,
)
from concord.referrals.services import consent as consents
from concord.referrals.services import escalation, retention
from concord.referrals.services import referrals as workflow
from concord.referrals.services.workflow import add_business_days, respond_by
from concord.referrals.tasks import referrals_upkeep
from concord.referrals.tests.conftest import CLIENT, make_referral
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

PACIFIC = zoneinfo.ZoneInfo("America/Los_Angeles")


def test_response_times_follow_urgency_and_skip_weekends(db: None) -> None:
    friday = datetime.datetime(2027, 3, 5, 15, 0, tzinfo=PACIFIC)

    assert respond_by(Urgency.EMERGENCY, friday) == friday + datetime.timedelta(hours=2)
    assert respond_by(Urgency.URGENT, friday) == datetime.datetime(2027, 3, 8, 15, tzinfo=PACIFIC)
    assert respond_by(Urgency.ROUTINE, friday) == datetime.datetime(2027, 3, 10, 15, tzinfo=PACIFIC)
    saturday = datetime.datetime(2027, 3, 6, 10, 0, tzinfo=PACIFIC)
    assert add_business_days(saturday, 1, PACIFIC) == datetime.datetime(
        2027, 3, 8, 10, tzinfo=PACIFIC
    )


def test_the_receiving_agency_is_told_of_a_new_referral_without_client_information(
    sender: User,
    receiver: User,
    colleague: User,
    receiving_primary: User,
    service: Service,
    consent: Any,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    referral = make_referral(sender, service, consent, **CLIENT)
    with django_capture_on_commit_callbacks(execute=True):
        workflow.send_referral(actor=sender, referral=referral)
    run_queued_tasks()

    assert sorted(message["To"] for message in smtp_server.messages) == [
        "colleague@example.org",
        "receiver@example.org",
    ]
    body = smtp_server.bodies()[0]
    assert "A new referral is waiting for you. Sign in to view it." in body
    assert str(referral.public_id) in body
    assert "A.R." not in smtp_server.messages[0].as_string()


def test_an_overdue_referral_is_escalated_once(
    sender: User,
    receiving_primary: User,
    coordinator: User,
    sent_referral: Referral,
    smtp_server: Mailbox,
    django_capture_on_commit_callbacks: Any,
) -> None:
    later = timezone.now() + datetime.timedelta(days=10)
    with django_capture_on_commit_callbacks(execute=True):
        assert escalation.queue_escalations(now=later) == 1
        assert escalation.queue_escalations(now=later) == 0
    run_queued_tasks()

    assert sorted(message["To"] for message in smtp_server.messages) == [
        "coordinator@example.org",
        "primary-r@example.org",
    ]
    assert all(
        "A referral is waiting for an answer. Sign in to view it." in body
        for body in smtp_server.bodies()
    )
    assert all("A.R." not in message.as_string() for message in smtp_server.messages)
    assert Referral.objects.get().escalated_at is not None


def test_an_answered_referral_is_not_escalated(receiver: User, sent_referral: Referral) -> None:
    workflow.accept_referral(actor=receiver, referral=sent_referral)

    assert escalation.queue_escalations(now=timezone.now() + datetime.timedelta(days=10)) == 0


def _closed(sender: User, receiver: User, referral: Referral) -> Referral:
    workflow.accept_referral(actor=receiver, referral=referral)
    workflow.post_message(actor=receiver, referral=referral, body="Met A.R. today.")
    workflow.complete_referral(
        actor=receiver, referral=referral, outcome=Outcome.SERVICES_RECEIVED, note="Housed"
    )
    return workflow.close_referral(actor=sender, referral=referral)


def test_the_purge_erases_client_information_and_keeps_the_record(
    sender: User, receiver: User, sent_referral: Referral, need: TaxonomyTerm
) -> None:
    sent_referral.needs.add(need)
    _closed(sender, receiver, sent_referral)
    soon = timezone.now() + datetime.timedelta(days=5)
    later = timezone.now() + datetime.timedelta(days=31)

    assert retention.purge(now=soon) == {"referrals": 0, "consents": 0}
    counts = retention.purge(now=later)

    assert counts == {"referrals": 1, "consents": 1}
    referral = Referral.objects.select_related("consent").get()
    assert referral.client_values() == {}
    assert referral.outcome_note is None
    assert referral.purged_at == later
    assert referral.status == ReferralStatus.CLOSED
    assert referral.outcome == Outcome.SERVICES_RECEIVED
    assert list(referral.needs.all()) == [need]
    assert referral.service_id is not None
    assert referral.sent_at is not None
    assert ReferralMessage.objects.get().body is None
    assert referral.consent is not None
    assert referral.consent.signature_name is None
    assert referral.consent.purpose is None
    event = AuditEvent.objects.get(action="concord.referral.purged")
    assert event.data == {"referrals": 1, "consents": 1}


def test_the_purge_deletes_the_signed_form(
    sender: User,
    receiver: User,
    receiving_agency: Agency,
    service: Service,
    settings: Any,
    tmp_path: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.ENCRYPTED_FILES_ROOT = tmp_path
    consent = consents.record_consent(
        actor=sender,
        receiving_agency=receiving_agency,
        given_by="survivor",
        shared_fields=["client_label"],
        purpose="Shelter",
        method=ConsentMethod.SIGNED_FORM,
        signed_form=SimpleUploadedFile("f.pdf", b"%PDF-1.7 form", "application/pdf"),
    )
    path = tmp_path / consent.signed_form.name
    referral = make_referral(sender, service, consent, client_label="A.R.")
    workflow.withdraw_referral(actor=sender, referral=referral)

    with django_capture_on_commit_callbacks(execute=True):
        retention.purge(now=timezone.now() + datetime.timedelta(days=31))

    assert not path.exists()
    consent.refresh_from_db()
    assert consent.signed_form.name == ""


def test_an_expired_consent_purges_an_open_referral(sent_referral: Referral, consent: Any) -> None:
    consent.expires_at = timezone.now() + datetime.timedelta(days=1)
    consent.save()

    retention.purge(now=timezone.now() + datetime.timedelta(days=32))

    assert Referral.objects.get().client_label is None


def test_the_purge_of_ten_thousand_referrals_is_set_based(
    sender: User, service: Service, django_assert_max_num_queries: Any
) -> None:
    template = make_referral(sender, service)
    past = timezone.now() - datetime.timedelta(days=60)
    Referral.objects.bulk_create(
        [
            Referral(
                sending_agency_id=template.sending_agency_id,
                sender=sender,
                service=service,
                receiving_agency_id=template.receiving_agency_id,
                status=ReferralStatus.WITHDRAWN,
                withdrawn_at=past,
                client_label=f"C{number}",
            )
            for number in range(10_000)
        ],
        batch_size=1000,
    )
    started = timezone.now()

    with django_assert_max_num_queries(60):
        counts = retention.purge(now=timezone.now())

    assert counts["referrals"] == 10_000
    assert (timezone.now() - started).total_seconds() < 30
    assert not Referral.objects.filter(status="withdrawn", purged_at__isnull=True).exists()


def test_the_daily_job_escalates_and_purges(sent_referral: Referral) -> None:
    assert referrals_upkeep.call() == {"escalated": 0, "referrals": 0, "consents": 0}
