import datetime

import pytest
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import AgencyStatus
from concord.core.permissions import (
    can_handle_referrals,
    can_read_referral_access_log,
    can_see_referral_figures,
    can_view_client_information,
    can_view_referral,
    requires_mfa,
)
from concord.referrals.models import Consent, Referral
from concord.referrals.services import consent as consents
from concord.referrals.services import roles
from concord.referrals.tests.conftest import make_referral


def test_the_role_needs_an_active_person_of_an_active_agency(sender: User) -> None:
    assert can_handle_referrals(sender)
    sender.agency.status = AgencyStatus.LAPSED
    assert not can_handle_referrals(sender)
    sender.agency.status = AgencyStatus.ACTIVE
    sender.is_active = False
    assert not can_handle_referrals(sender)


def test_both_agencies_see_a_sent_referral_and_nobody_else(
    sender: User,
    receiver: User,
    third_handler: User,
    no_role: User,
    coordinator: User,
    sent_referral: Referral,
) -> None:
    assert can_view_referral(sender, sent_referral)
    assert can_view_referral(receiver, sent_referral)
    assert not can_view_referral(third_handler, sent_referral)
    assert not can_view_referral(no_role, sent_referral)
    assert not can_view_referral(coordinator, sent_referral)


def test_the_receiver_does_not_see_a_draft(sender: User, receiver: User, service: object) -> None:
    draft = make_referral(sender, service)  # type: ignore[arg-type]

    assert can_view_referral(sender, draft)
    assert not can_view_referral(receiver, draft)


def test_revoking_the_consent_hides_client_information_from_the_receiver_at_once(
    sender: User, receiver: User, sent_referral: Referral, consent: Consent
) -> None:
    assert can_view_client_information(receiver, sent_referral)

    consents.revoke_consent(actor=sender, consent=consent)

    referral = Referral.objects.select_related("consent").get(pk=sent_referral.pk)
    assert not can_view_client_information(receiver, referral)
    assert can_view_client_information(sender, referral)
    assert can_view_referral(receiver, referral)


def test_expiry_hides_client_information_from_the_receiver(
    receiver: User, sent_referral: Referral, consent: Consent
) -> None:
    Consent.objects.filter(pk=consent.pk).update(
        expires_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    referral = Referral.objects.select_related("consent").get(pk=sent_referral.pk)
    assert not can_view_client_information(receiver, referral)


def test_coordinators_never_see_client_information(
    coordinator: User, sender: User, sent_referral: Referral
) -> None:
    assert not can_view_client_information(coordinator, sent_referral)
    assert can_see_referral_figures(coordinator)
    assert not can_see_referral_figures(sender)
    # Even a coordinator who also works at the sending agency with the role.
    coordinator.agency = sender.agency
    coordinator.agency_role = "member"
    coordinator.handles_referrals = True
    assert not can_view_client_information(coordinator, sent_referral)


def test_other_agency_and_no_role_see_no_client_information(
    third_handler: User, no_role: User, sent_referral: Referral
) -> None:
    assert not can_view_client_information(third_handler, sent_referral)
    assert not can_view_client_information(no_role, sent_referral)


def test_the_role_requires_mfa(sender: User, no_role: User) -> None:
    assert requires_mfa(sender)
    assert not requires_mfa(no_role)


def test_the_primary_representative_grants_and_revokes_the_role(
    representative: User, member: User, outsider: User
) -> None:
    roles.grant_referral_role(actor=representative, person=member)
    member.refresh_from_db()
    assert member.handles_referrals

    roles.revoke_referral_role(actor=representative, person=member)
    member.refresh_from_db()
    assert not member.handles_referrals

    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        roles.grant_referral_role(actor=outsider, person=member)
    with pytest.raises(PermissionDenied):
        roles.grant_referral_role(actor=member, person=member)


def test_granting_the_role_is_audited(coordinator: User, member: User) -> None:
    from concord.audit.models import AuditEvent

    roles.grant_referral_role(actor=coordinator, person=member)

    assert AuditEvent.objects.filter(
        action="concord.person.referral_role_granted", object_id=str(member.pk)
    ).exists()


def test_only_the_primary_representative_reads_the_access_log(
    representative: User, member: User, outsider: User
) -> None:
    assert can_read_referral_access_log(representative, representative.agency)
    assert not can_read_referral_access_log(member, representative.agency)
    assert not can_read_referral_access_log(outsider, representative.agency)
