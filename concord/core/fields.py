"""Model fields that keep their value encrypted in the database (SECURITY.md rule 16).

The column holds a Fernet token (see ``concord.core.encryption``); the model instance holds
the plaintext. Values are encrypted on the way in (``get_prep_value``, used by ``save``,
``update``, ``bulk_create`` and ``bulk_update``) and decrypted on the way out
(``from_db_value``). A stored value that fails authentication raises ``DecryptionError``
when the row is read: a changed value is never returned as if it were data.

Every write gets a fresh random IV, so equal plaintexts give different tokens: the database
cannot compare, search or index them. Lookups other than ``isnull`` are refused with a
``FieldError`` rather than silently matching nothing; filter in Python after narrowing the
rows by other fields. An empty string is encrypted like any other text (an empty token
would tell a reader of the database which people left a field blank); ``None`` is stored as
NULL. These fields are always personal data: ``concord.core.sensitivity`` treats them so.

Note that ``dumpdata`` serializes model values, so its output holds plaintext: back up with
the database's own tools (the SQLite backup API, ``pg_dump``), which copy the tokens.
"""

import json
from typing import Any

from django import forms
from django.core import checks, validators
from django.core.exceptions import FieldError
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.expressions import Expression
from django.utils.translation import gettext_lazy as _

from concord.core.encryption import decrypt_text, encrypt_text


class EncryptedFieldMixin:
    """What every encrypted field shares: storage as a token, no lookups but ``isnull``."""

    name: str

    def _to_text(self, value: Any) -> str:
        return str(value)

    def _from_text(self, text: str) -> Any:
        return text

    def from_db_value(
        self, value: str | None, expression: Expression, connection: BaseDatabaseWrapper
    ) -> Any:
        if value is None:
            return None
        if value == "":
            # Not written by these fields; a row filled in by hand or by an old default.
            return self._from_text("")
        return self._from_text(decrypt_text(value))

    def get_prep_value(self, value: Any) -> str | None:
        if value is None:
            return None
        return encrypt_text(self._to_text(value))

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)  # type: ignore[misc]
        raise FieldError(
            f"The encrypted field {self.name!r} cannot be filtered with {lookup_name!r}: its "
            "stored values are randomized ciphertext. Only 'isnull' works; filter on other "
            "fields and compare the decrypted values in Python."
        )

    def get_transform(self, lookup_name: str) -> Any:
        raise FieldError(
            f"The encrypted field {self.name!r} cannot be transformed with {lookup_name!r}: "
            "its stored values are randomized ciphertext."
        )

    def _check_not_searchable(self) -> list[checks.CheckMessage]:
        field: Any = self
        if field.unique or field.primary_key or field.db_index:
            return [
                checks.Error(
                    "An encrypted field cannot be unique, indexed or a primary key: its "
                    "stored values are randomized ciphertext.",
                    obj=self,
                    id="core.E010",
                )
            ]
        return []


class EncryptedTextField(EncryptedFieldMixin, models.TextField):
    """Free text of any length, encrypted at rest."""

    description = _("Encrypted text")

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        return [*super().check(**kwargs), *self._check_not_searchable()]


class EncryptedCharField(EncryptedTextField):
    """Short text, encrypted at rest. ``max_length`` limits the plaintext (validated by
    ``full_clean`` and forms); the column is a text column since tokens are longer."""

    description = _("Encrypted short text")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if isinstance(self.max_length, int) and self.max_length > 0:
            self.validators.append(validators.MaxLengthValidator(self.max_length))

    def check(self, **kwargs: Any) -> list[checks.CheckMessage]:
        errors = super().check(**kwargs)
        if not isinstance(self.max_length, int) or self.max_length <= 0:
            errors.append(
                checks.Error(
                    "EncryptedCharField needs max_length, a positive whole number.",
                    obj=self,
                    id="core.E011",
                )
            )
        return errors

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        # Field.formfield, not TextField's: a one-line input with maxlength, no textarea.
        return models.Field.formfield(
            self,
            form_class=form_class,
            choices_form_class=choices_form_class,
            **{"max_length": self.max_length, **kwargs},
        )


class EncryptedJSONField(EncryptedTextField):
    """A JSON value (dict, list, text, number, boolean), encrypted at rest. ``None`` is stored
    as NULL, so JSON ``null`` and SQL NULL are one value here."""

    description = _("Encrypted JSON")

    def _to_text(self, value: Any) -> str:
        return json.dumps(value, separators=(",", ":"), sort_keys=True)

    def _from_text(self, text: str) -> Any:
        return json.loads(text) if text else None

    def to_python(self, value: Any) -> Any:
        return value

    def value_to_string(self, obj: models.Model) -> Any:
        return self.value_from_object(obj)

    def formfield(
        self,
        form_class: type[forms.Field] | None = None,
        choices_form_class: type[forms.ChoiceField] | None = None,
        **kwargs: Any,
    ) -> forms.Field | None:
        return models.Field.formfield(
            self,
            form_class=form_class or forms.JSONField,
            choices_form_class=choices_form_class,
            **kwargs,
        )


def encrypted_fields(model: type[models.Model]) -> list[models.Field[Any, Any]]:
    """The concrete encrypted fields of ``model``."""
    return [
        field
        for field in model._meta.concrete_fields
        if isinstance(field, EncryptedFieldMixin) and isinstance(field, models.Field)
    ]
