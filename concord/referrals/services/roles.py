"""The referral role: who sends and receives referrals for an agency."""

from django.core.exceptions import PermissionDenied
from django.db import transaction

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.core.permissions import can_grant_referral_role


@transaction.atomic
def set_referral_role(*, actor: User, person: User, handles_referrals: bool) -> User:
    """Grant or revoke the role; it takes effect on the person's next request."""
    if not can_grant_referral_role(actor, person):
        raise PermissionDenied
    person = User.objects.select_for_update().get(pk=person.pk)
    if person.handles_referrals == handles_referrals:
        return person
    person.handles_referrals = handles_referrals
    person.save(update_fields=["handles_referrals"])
    record_event(
        actor=actor,
        action="concord.person.referral_role_" + ("granted" if handles_referrals else "revoked"),
        target=person,
        agency=person.agency,
    )
    return person


def grant_referral_role(*, actor: User, person: User) -> User:
    return set_referral_role(actor=actor, person=person, handles_referrals=True)


def revoke_referral_role(*, actor: User, person: User) -> User:
    return set_referral_role(actor=actor, person=person, handles_referrals=False)
