from typing import Any

from django.db import models

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.audit.models import AuditEvent


def record_event(
    *,
    actor: User | None,
    action: str,
    target: models.Model | None = None,
    agency: Agency | None = None,
    data: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append an audit row; call inside the transaction of the change it records.

    ``action`` is a dotted code such as ``concord.agency.created``. ``data`` must never hold
    personal data: field names that changed, not their values.
    """
    return AuditEvent.objects.create(
        actor=actor if actor is not None and actor.is_authenticated else None,
        agency=agency,
        action=action,
        object_type=target._meta.label_lower if target is not None else "",
        object_id=str(target.pk) if target is not None else "",
        data=data or {},
    )
