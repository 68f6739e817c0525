"""The one place an application's status changes: checked, saved, logged, audited."""

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.membership.models import (
    TRANSITIONS,
    Application,
    ApplicationStatus,
    StatusChange,
)


def locked(application: Application) -> Application:
    """The application's row, locked until the caller's transaction ends."""
    return Application.objects.select_for_update().get(pk=application.pk)


def check_transition(application: Application, to: str) -> None:
    if to not in TRANSITIONS[application.status]:
        raise ValidationError(
            _("This application is %(status)s and cannot be changed that way.")
            % {"status": application.get_status_display().lower()},
            code="invalid_transition",
        )


def move(
    application: Application,
    to: str,
    *,
    actor: User | None,
    reason: str = "",
    fields: tuple[str, ...] = (),
) -> Application:
    """Move a locked application to ``to``, saving ``fields`` with the status.

    ``actor`` is None when the applicant, who has no account, made the change."""
    check_transition(application, to)
    old = application.status
    application.status = to
    if to in (ApplicationStatus.ACCEPTED, ApplicationStatus.DECLINED):
        application.decided_at = timezone.now()
        fields = (*fields, "decided_at")
    application.save(update_fields=["status", "updated_at", *fields])
    StatusChange.objects.create(
        application=application, from_status=old, to_status=to, actor=actor, reason=reason
    )
    record_event(
        actor=actor,
        action=f"concord.application.{to}",
        target=application,
        agency=application.agency,
        data={"from": old, "to": to},
    )
    return application
