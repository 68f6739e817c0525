"""Re-encrypting stored data with the first ``FIELD_ENCRYPTION_KEY`` (key rotation).

Values and files already under the first key are left alone, so a rotation can be run
again after an interruption and only finishes the rest. Once it reports no failures, every
older key can be removed from ``FIELD_ENCRYPTION_KEY``.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction
from django.db.models.functions import Cast

from concord.core.encryption import DecryptionError, is_current
from concord.core.fields import encrypted_fields
from concord.core.storage import EncryptedFileSystemStorage


@dataclass
class RotationReport:
    rotated: int = 0
    current: int = 0
    failures: list[str] = field(default_factory=list)

    def add(self, other: "RotationReport") -> None:
        self.rotated += other.rotated
        self.current += other.current
        self.failures += other.failures


def rotate_model(model: type[models.Model], *, batch_size: int = 500) -> RotationReport:
    """Re-encrypt every encrypted value of ``model`` not yet under the first key.

    Counts values (one row may hold several). Reads the stored tokens, not the decrypted
    values, to tell which are current; writes the plaintext back through ``update``, which
    encrypts it with the first key, one batch per transaction.
    """
    report = RotationReport()
    fields = encrypted_fields(model)
    if not fields:
        return report
    raw = {f"_raw_{item.attname}": Cast(item.attname, models.TextField()) for item in fields}
    rows = model._base_manager.order_by("pk").annotate(**raw)
    last_pk: Any = None
    while True:
        page = rows if last_pk is None else rows.filter(pk__gt=last_pk)
        batch = list(page.values("pk", *raw)[:batch_size])
        if not batch:
            return report
        with transaction.atomic():
            for row in batch:
                changes = {}
                for item in fields:
                    token = row[f"_raw_{item.attname}"]
                    if not token:
                        continue
                    if is_current(token.encode("ascii", errors="replace")):
                        report.current += 1
                        continue
                    try:
                        changes[item.attname] = item.from_db_value(token, None, None)  # type: ignore[attr-defined]
                    except DecryptionError:
                        report.failures.append(f"{model._meta.label}.{item.name} pk={row['pk']}")
                if changes:
                    model._base_manager.filter(pk=row["pk"]).update(**changes)
                    report.rotated += len(changes)
        last_pk = batch[-1]["pk"]


def rotate_models(models_to_rotate: Iterable[type[models.Model]]) -> RotationReport:
    report = RotationReport()
    for model in models_to_rotate:
        report.add(rotate_model(model))
    return report


def rotate_storage(storage: EncryptedFileSystemStorage) -> RotationReport:
    """Re-encrypt every file of ``storage`` not yet under the first key."""
    report = RotationReport()
    for name in storage.iter_names():
        try:
            if storage.rotate(name):
                report.rotated += 1
            else:
                report.current += 1
        except DecryptionError:
            report.failures.append(f"file {name}")
    return report


def encrypted_storages(
    all_models: Iterable[type[models.Model]],
) -> list[EncryptedFileSystemStorage]:
    """The configured encrypted storage and any other one a model's file field uses, once
    per directory."""
    from concord.core.storage import encrypted_storage

    found: dict[str, EncryptedFileSystemStorage] = {}
    candidates: list[Any] = [encrypted_storage()]
    for model in all_models:
        candidates += [
            item.storage
            for item in model._meta.concrete_fields
            if isinstance(item, models.FileField)
        ]
    for storage in candidates:
        if isinstance(storage, EncryptedFileSystemStorage):
            found.setdefault(str(storage.location), storage)
    return list(found.values())
