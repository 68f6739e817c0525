import csv
import json
from pathlib import Path

import pytest

from concord.directory.models import Address, Location, Service, Visibility
from concord.directory.services.exporting import export_hsds
from concord.directory.services.importing import import_hsds
from concord.directory.tables import TABLES
from concord.directory.tests.factories import AddressFactory, full_service
from concord.directory.tests.helpers import CSV_EXAMPLES, EXAMPLES, snapshot

pytestmark = pytest.mark.django_db


def _empty_directory() -> None:
    for table in reversed(TABLES.values()):
        table.model._default_manager.all().delete()


def test_export_then_import_round_trips_every_row(tmp_path: Path) -> None:
    assert import_hsds(path=CSV_EXAMPLES, actor=None).ok
    for path in sorted(EXAMPLES.glob("*.json")):
        assert import_hsds(path=path, actor=None).ok, path.name
    full_service(visibility=Visibility.PARTNERS)
    Location.objects.filter(name__startswith="Location").update(is_confidential=True)
    before = snapshot()

    export_hsds(directory=tmp_path, public=False)
    _empty_directory()
    result = import_hsds(path=tmp_path, actor=None)

    assert result.problems == []
    assert result.warnings == []
    assert snapshot() == before


def test_export_writes_the_hsds_layout(tmp_path: Path) -> None:
    import_hsds(path=CSV_EXAMPLES, actor=None)

    counts = export_hsds(directory=tmp_path)

    package = json.loads((tmp_path / "datapackage.json").read_text(encoding="utf-8"))
    assert {resource["path"] for resource in package["resources"]} == {
        table.file_name for table in TABLES.values()
    }
    with (tmp_path / "services.csv").open(encoding="utf-8") as handle:
        header = next(csv.reader(handle))
    with (CSV_EXAMPLES / "services.csv").open(encoding="utf-8") as handle:
        assert header == next(csv.reader(handle))
    assert counts["service"] == 1


def test_public_export_withholds_confidential_and_partner_data(tmp_path: Path) -> None:
    shelter = full_service(name="Shelter intake")
    location = shelter.service_at_locations.get().location
    Location.objects.filter(pk=location.pk).update(is_confidential=True)
    AddressFactory(location=location, address_1="77 Hidden Shelter Lane")
    hidden = full_service(name="Partners only", visibility=Visibility.PARTNERS)

    export_hsds(directory=tmp_path, public=True)

    text = "".join(path.read_text(encoding="utf-8") for path in tmp_path.glob("*.csv"))
    assert "Shelter intake" in text
    assert "Hidden Shelter Lane" not in text
    assert "Partners only" not in text
    with (tmp_path / "locations.csv").open(encoding="utf-8") as handle:
        shelter_row = next(row for row in csv.DictReader(handle) if row["id"] == str(location.id))
    assert (shelter_row["latitude"], shelter_row["longitude"]) == ("", "")
    assert str(hidden.id) not in text
    assert "is_confidential" not in text
    assert Address.objects.count() == 3
    assert Service.objects.count() == 2
