"""System checks for encryption at rest (SECURITY.md rule 16).

Settings already refuse to load with DEBUG=0 and a bad ``FIELD_ENCRYPTION_KEY``; these
checks also catch a malformed key in development (where settings fall back gently), and an
encrypted field that some ``classify`` call names as anything but personal.
"""

from collections.abc import Iterable
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core import checks
from django.db import models

from concord.core.encryption import GENERATE_KEY_COMMAND, key_problems
from concord.core.fields import encrypted_fields
from concord.core.sensitivity import Sensitivity, declared_sensitivity


@checks.register(checks.Tags.security)
def check_field_encryption_keys(**kwargs: Any) -> list[checks.CheckMessage]:
    keys = getattr(settings, "FIELD_ENCRYPTION_KEYS", [])
    return [
        checks.Error(
            problem,
            hint=f"Make a key with: {GENERATE_KEY_COMMAND}",
            id="core.E001",
        )
        for problem in key_problems(list(keys))
    ]


@checks.register(checks.Tags.models)
def check_encrypted_fields_are_personal(**kwargs: Any) -> list[checks.CheckMessage]:
    return misclassified_encrypted_fields(apps.get_models())


def misclassified_encrypted_fields(
    all_models: Iterable[type[models.Model]],
) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    for model in all_models:
        for field in encrypted_fields(model):
            declared = declared_sensitivity(model, field.name)
            if declared not in (None, Sensitivity.PERSONAL):
                errors.append(
                    checks.Error(
                        f"{model._meta.label}.{field.name} is encrypted but classified "
                        f"{declared}: encrypted fields hold personal data.",
                        obj=field,
                        id="core.E002",
                    )
                )
    return errors
