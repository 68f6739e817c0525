from collections.abc import Mapping
from typing import Any

from django.db import transaction

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.coalition.models import Coalition


@transaction.atomic
def update_coalition(*, actor: User, coalition: Coalition, values: Mapping[str, Any]) -> Coalition:
    changed = [
        field
        for field, value in values.items()
        if hasattr(coalition, field) and getattr(coalition, field) != value
    ]
    if not changed:
        return coalition
    for field in changed:
        setattr(coalition, field, values[field])
    coalition.full_clean()
    coalition.save(update_fields=[*changed, "updated_at"])
    record_event(
        actor=actor, action="concord.coalition.updated", target=coalition, data={"fields": changed}
    )
    return coalition
