import pytest
from django.db import DatabaseError, connection, transaction

from concord.accounts.models import User
from concord.audit.models import AppendOnlyError
from concord.referrals.models import AccessAction, Consent, Referral, ReferralAccess
from concord.referrals.queries import access_log, access_log_for_agency
from concord.referrals.services import consent as consents
from concord.referrals.services.access import client_information
from concord.referrals.tests.conftest import CLIENT


def test_viewing_client_information_writes_the_access_log(
    receiver: User, sent_referral: Referral
) -> None:
    values = client_information(referral=sent_referral, user=receiver)

    assert values == CLIENT
    [row] = access_log(sent_referral)
    assert row.actor == receiver
    assert row.agency == receiver.agency
    assert row.access == AccessAction.VIEW
    assert row.data == {"fields": sorted(CLIENT)}


def test_print_and_export_are_logged_as_such(sender: User, sent_referral: Referral) -> None:
    client_information(referral=sent_referral, user=sender, action=AccessAction.PRINT)
    client_information(referral=sent_referral, user=sender, action=AccessAction.EXPORT)

    assert sorted(row.access for row in access_log(sent_referral)) == ["export", "print"]
    assert access_log_for_agency(sender.agency).count() == 2  # type: ignore[arg-type]


def test_no_information_and_no_log_for_those_who_may_not_see_it(
    coordinator: User, third_handler: User, no_role: User, sent_referral: Referral
) -> None:
    for person in (coordinator, third_handler, no_role):
        assert client_information(referral=sent_referral, user=person) is None

    assert access_log(sent_referral).count() == 0


def test_after_revocation_the_receiver_gets_nothing(
    sender: User, receiver: User, sent_referral: Referral, consent: Consent
) -> None:
    consents.revoke_consent(actor=sender, consent=consent)
    referral = Referral.objects.select_related("consent").get(pk=sent_referral.pk)

    assert client_information(referral=referral, user=receiver) is None
    assert client_information(referral=referral, user=sender) == CLIENT


def test_access_log_rows_cannot_be_changed_or_deleted(
    receiver: User, sent_referral: Referral
) -> None:
    client_information(referral=sent_referral, user=receiver)
    row = access_log(sent_referral).get()

    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        ReferralAccess.objects.update(action="x")
    with pytest.raises(AppendOnlyError):
        ReferralAccess.objects.all().delete()
    # The database refuses it too, whatever the client.
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditevent SET action = 'x' WHERE id = %s", [row.pk])
