"""Reading client information: only through here, and every read is logged."""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.core.permissions import can_view_client_information
from concord.referrals.models import ACCESS_ACTION_PREFIX, AccessAction, Referral


def record_access(*, actor: User, referral: Referral, action: str, fields: list[str]) -> None:
    """Append a row to the access log: who, when, which agency, which referral, what was
    done, and the names (never the values) of the fields."""
    if action not in AccessAction.values:
        raise ValueError(f"Unknown access action {action!r}.")
    record_event(
        actor=actor,
        action=ACCESS_ACTION_PREFIX + action,
        target=referral,
        agency=actor.agency,
        data={"fields": sorted(fields)},
    )


@transaction.atomic
def client_information(
    *, referral: Referral, user: User, action: str = AccessAction.VIEW
) -> dict[str, Any] | None:
    """The decrypted client fields that hold something, or None if the user may not see
    them (nothing is logged then). ``action`` is view, export or print."""
    # The row as it is now: a consent revoked a moment ago must count.
    referral = Referral.objects.select_related("consent").get(pk=referral.pk)
    if not can_view_client_information(user, referral):
        return None
    values = referral.client_values()
    if not values:
        return {}
    record_access(actor=user, referral=referral, action=action, fields=list(values))
    return values


def client_information_or_403(*, referral: Referral, user: User) -> dict[str, Any]:
    values = client_information(referral=referral, user=user)
    if values is None:
        raise PermissionDenied
    return values
