"""Every model field carries a sensitivity class (SECURITY.md rule 18).

Concord's own models declare theirs next to their fields through ``classify``; models from
libraries are classified here. A test fails on any field left without a class, so a new
field cannot slip in unclassified, and only ``PERSONAL`` fields may hold survivor data.
"""

from enum import StrEnum

from django.db import models

from concord.core.fields import encrypted_fields


class Sensitivity(StrEnum):
    PUBLIC = "public"  # may appear on public pages and feeds
    INTERNAL = "internal"  # members and coordinators only
    PERSONAL = "personal"  # identifies a person: minimum necessary, never in URLs, logs or mail


_REGISTRY: dict[str, dict[str, Sensitivity]] = {}


def classify(
    label: str,
    *,
    public: tuple[str, ...] = (),
    internal: tuple[str, ...] = (),
    personal: tuple[str, ...] = (),
) -> None:
    """Record the class of each named field of the model ``label`` ("app_label.ModelName")."""
    fields = _REGISTRY.setdefault(label.lower(), {})
    for names, sensitivity in (
        (public, Sensitivity.PUBLIC),
        (internal, Sensitivity.INTERNAL),
        (personal, Sensitivity.PERSONAL),
    ):
        for name in names:
            fields[name] = sensitivity


def declared_sensitivity(model: type[models.Model], field_name: str) -> Sensitivity | None:
    """The class a ``classify`` call gave the field, if any."""
    return _REGISTRY.get(model._meta.label_lower, {}).get(field_name)


def sensitivity_of(model: type[models.Model], field_name: str) -> Sensitivity | None:
    # Encrypted fields are personal by construction; the core.E002 check refuses a
    # classify() call that says otherwise.
    if any(field.name == field_name for field in encrypted_fields(model)):
        return Sensitivity.PERSONAL
    return declared_sensitivity(model, field_name)


def unclassified_fields(model: type[models.Model]) -> list[str]:
    names = [field.name for field in model._meta.get_fields() if field.concrete]
    names += [field.name for field in model._meta.many_to_many]
    return sorted({name for name in names if sensitivity_of(model, name) is None})


# Libraries' models.
_ID = ("id",)
classify("auth.permission", internal=(*_ID, "name", "content_type", "codename"))
classify("auth.group", internal=(*_ID, "name", "permissions"))
classify("contenttypes.contenttype", internal=(*_ID, "app_label", "model"))
classify("sessions.session", internal=("session_key", "expire_date"), personal=("session_data",))
classify(
    "admin.logentry",
    internal=(*_ID, "action_time", "user", "content_type", "object_id", "action_flag"),
    personal=("object_repr", "change_message"),
)
classify(
    "account.emailaddress",
    internal=(*_ID, "user", "verified", "primary"),
    personal=("email",),
)
classify("account.emailconfirmation", internal=(*_ID, "email_address", "created", "sent", "key"))
classify(
    "mfa.authenticator",
    internal=(*_ID, "user", "type", "created_at", "last_used_at"),
    personal=("data",),
)
classify(
    "django_tasks_database.dbtaskresult",
    internal=(
        *_ID,
        "status",
        "enqueued_at",
        "started_at",
        "finished_at",
        "args_kwargs",
        "priority",
        "task_path",
        "worker_ids",
        "queue_name",
        "backend_name",
        "run_after",
        "return_value",
        "exception_class_path",
        "traceback",
    ),
)
