from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser

from concord.core.rotation import RotationReport, encrypted_storages, rotate_model, rotate_storage


class Command(BaseCommand):
    help = (
        "Re-encrypt every encrypted field and encrypted file with the first key in "
        "FIELD_ENCRYPTION_KEY. Safe to run again; afterwards the older keys can be removed."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        all_models = apps.get_models()
        total = RotationReport()
        for model in all_models:
            report = rotate_model(model, batch_size=options["batch_size"])
            if report.rotated or report.current or report.failures:
                self.stdout.write(
                    f"{model._meta.label}: {report.rotated} re-encrypted, "
                    f"{report.current} already current"
                )
            total.add(report)
        for storage in encrypted_storages(all_models):
            report = rotate_storage(storage)
            self.stdout.write(
                f"files in {storage.location}: {report.rotated} re-encrypted, "
                f"{report.current} already current"
            )
            total.add(report)
        self.stdout.write(
            f"Total: {total.rotated} re-encrypted, {total.current} already current, "
            f"{len(total.failures)} failed."
        )
        if total.failures:
            raise CommandError(
                "These could not be decrypted with any key in FIELD_ENCRYPTION_KEY; keep the "
                "old keys until they are resolved: " + ", ".join(total.failures[:50])
            )
