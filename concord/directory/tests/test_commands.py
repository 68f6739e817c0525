from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from concord.directory.models import Service
from concord.directory.tests.helpers import CSV_EXAMPLES, copy_csv_examples, edit_csv

pytestmark = pytest.mark.django_db


def test_import_hsds_command_reports_counts() -> None:
    out = StringIO()

    call_command("import_hsds", str(CSV_EXAMPLES), stdout=out, stderr=StringIO())

    assert "service: 1 created, 0 updated, 0 unchanged" in out.getvalue()
    assert Service.objects.count() == 1


def test_import_hsds_command_fails_on_errors_and_lists_them(tmp_path: Path) -> None:
    package = copy_csv_examples(tmp_path / "package")
    edit_csv(package / "services.csv", ",active,", ",sometimes,")
    err = StringIO()

    with pytest.raises(CommandError, match="nothing was imported"):
        call_command("import_hsds", str(package), stdout=StringIO(), stderr=err)

    assert "error: services.csv, row 2, status: 'sometimes' is not one of" in err.getvalue()
    assert Service.objects.count() == 0


def test_export_hsds_command_writes_the_package(tmp_path: Path) -> None:
    call_command("import_hsds", str(CSV_EXAMPLES), stdout=StringIO(), stderr=StringIO())

    call_command("export_hsds", str(tmp_path / "out"), "--all", stdout=StringIO())

    assert (tmp_path / "out" / "datapackage.json").exists()
    assert "Community Counselling" in (tmp_path / "out" / "services.csv").read_text("utf-8")
