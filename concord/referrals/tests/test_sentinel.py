"""The whole life of a referral with the marker in every client field: it reaches no
mail, log, URL, task argument, audit event or raw database byte (SECURITY.md 14, 16)."""

import datetime
from typing import Any

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.audit.models import AuditEvent
from concord.directory.models import Service
from concord.referrals.models import CLIENT_FIELDS, ConsentMethod, Outcome, Referral
from concord.referrals.services import consent as consents
from concord.referrals.services import escalation, retention
from concord.referrals.services import referrals as workflow
from concord.referrals.services.access import client_information
from tests.mail import Mailbox
from tests.sentinel import SENTINEL, Trail, database_dump, database_files_with_sentinel
from tests.tasks import run_queued_tasks


@pytest.mark.django_db(transaction=True)
def test_the_whole_referral_life_leaks_no_client_information(
    sender: User,
    receiver: User,
    receiving_primary: User,
    coordinator: User,
    receiving_agency: Agency,
    service: Service,
    trail: Trail,
    smtp_server: Mailbox,
) -> None:
    consent = consents.record_consent(
        actor=sender,
        receiving_agency=receiving_agency,
        given_by="survivor",
        shared_fields=list(CLIENT_FIELDS),
        purpose=f"{SENTINEL} purpose",
        method=ConsentMethod.E_SIGNATURE,
        signature_name=f"{SENTINEL} signature",
    )
    values: dict[str, Any] = {name: f"{SENTINEL} {name}" for name in CLIENT_FIELDS}
    referral = workflow.create_draft(
        actor=sender, service=service, values={"urgency": "emergency", **values}, consent=consent
    )
    workflow.send_referral(actor=sender, referral=referral)
    run_queued_tasks()
    escalation.queue_escalations(now=timezone.now() + datetime.timedelta(hours=3))
    run_queued_tasks()
    assert client_information(referral=referral, user=receiver) == values
    workflow.accept_referral(actor=receiver, referral=referral)
    workflow.post_message(actor=receiver, referral=referral, body=f"{SENTINEL} message")
    workflow.post_message(actor=sender, referral=referral, body=f"{SENTINEL} answer")
    workflow.start_referral(actor=receiver, referral=referral)
    workflow.complete_referral(
        actor=receiver,
        referral=referral,
        outcome=Outcome.SERVICES_RECEIVED,
        note=f"{SENTINEL} outcome",
    )
    workflow.close_referral(actor=sender, referral=referral)
    retention.purge(now=timezone.now() + datetime.timedelta(days=31))
    run_queued_tasks()

    assert len(smtp_server.messages) == 3  # the new referral, two escalations
    assert trail.leaks(mails=smtp_server.messages, db_file=True) == []
    assert database_files_with_sentinel() == []
    events = list(AuditEvent.objects.values_list("action", "data"))
    assert SENTINEL not in str(events)
    task_arguments = list(DBTaskResult.objects.values_list("args_kwargs", "return_value"))
    assert SENTINEL not in str(task_arguments)
    assert Referral.objects.get().client_values() == {}


@pytest.mark.django_db(transaction=True)
def test_stored_client_information_is_unreadable_in_the_database_and_a_dump(
    sender: User, receiver: User, receiving_agency: Agency, service: Service
) -> None:
    # While it is kept, before any purge: the encryption at rest itself.
    consent = consents.record_consent(
        actor=sender,
        receiving_agency=receiving_agency,
        given_by="survivor",
        shared_fields=list(CLIENT_FIELDS),
        purpose=f"{SENTINEL} purpose",
        method=ConsentMethod.E_SIGNATURE,
        signature_name=f"{SENTINEL} signature",
    )
    values: dict[str, Any] = {name: f"{SENTINEL} {name}" for name in CLIENT_FIELDS}
    referral = workflow.create_draft(
        actor=sender, service=service, values={"urgency": "routine", **values}, consent=consent
    )
    workflow.send_referral(actor=sender, referral=referral)
    workflow.post_message(actor=sender, referral=referral, body=f"{SENTINEL} message")
    workflow.decline_referral(
        actor=receiver, referral=referral, reason="no_capacity", note=f"{SENTINEL} note"
    )

    assert client_information(referral=referral, user=sender) == values
    assert database_files_with_sentinel() == []
    assert SENTINEL not in database_dump()
