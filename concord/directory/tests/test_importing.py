import json
from pathlib import Path

import pytest

from concord.audit.models import AuditEvent
from concord.directory.models import Location, Organization, Phone, Service, TaxonomyTerm
from concord.directory.services.importing import import_hsds
from concord.directory.tests.helpers import (
    CSV_EXAMPLES,
    EXAMPLES,
    copy_csv_examples,
    edit_csv,
    snapshot,
)

pytestmark = pytest.mark.django_db

SERVICE_ID = "ac148810-d857-441c-9679-408f346de14b"
DATA_EXAMPLES = sorted(path.name for path in EXAMPLES.glob("*.json") if path.name != "base.json")


@pytest.mark.parametrize("name", DATA_EXAMPLES)
def test_import_hsds_example_json_imports(name: str) -> None:
    result = import_hsds(path=EXAMPLES / name, actor=None)

    assert result.problems == []
    assert result.total("created") > 0


def test_import_hsds_api_description_imports_nothing() -> None:
    result = import_hsds(path=EXAMPLES / "base.json", actor=None)

    assert result.ok
    assert result.counts == {}
    assert len(result.warnings) == 1


def test_import_hsds_csv_example_package() -> None:
    result = import_hsds(path=CSV_EXAMPLES, actor=None)

    assert result.problems == []
    service = Service.objects.get()
    assert str(service.id) == SERVICE_ID
    assert service.organization.name == "Example Organization Inc."
    assert service.program is not None
    assert service.service_at_locations.get().location.addresses.count() == 1
    assert Phone.objects.get().extension == 100
    # The example points at parents outside the package: those links are left empty.
    assert Location.objects.get().organization is None
    assert TaxonomyTerm.objects.get().parent is None
    assert any(warning.field == "parent_organization_id" for warning in result.warnings)


def test_import_hsds_datapackage_path_reads_its_directory() -> None:
    result = import_hsds(path=CSV_EXAMPLES / "datapackage.json", actor=None)

    assert result.problems == []
    assert Service.objects.count() == 1


def test_import_hsds_records_an_audit_event() -> None:
    import_hsds(path=CSV_EXAMPLES, actor=None)

    event = AuditEvent.objects.get(action="concord.directory.imported")
    assert event.data["created"] > 0
    assert event.data["tables"]["service"] == {"created": 1, "updated": 0, "unchanged": 0}


@pytest.mark.parametrize(
    "path",
    [CSV_EXAMPLES, EXAMPLES / "service_full.json", EXAMPLES / "organization_full.json"],
    ids=["csv", "service_full", "organization_full"],
)
def test_import_hsds_twice_changes_nothing(path: Path) -> None:
    import_hsds(path=path, actor=None)
    before = snapshot()

    again = import_hsds(path=path, actor=None)

    assert again.ok
    assert again.total("created") == again.total("updated") == 0
    assert again.total("unchanged") > 0
    assert snapshot() == before


def test_import_hsds_changed_record_updates(tmp_path: Path) -> None:
    package = copy_csv_examples(tmp_path / "package")
    import_hsds(path=package, actor=None)
    edit_csv(package / "services.csv", "Community Counselling,", "Community Counseling,")

    result = import_hsds(path=package, actor=None)

    assert result.counts["service"] == {"created": 0, "updated": 1, "unchanged": 0}
    assert Service.objects.get().name == "Community Counseling"


def test_import_hsds_keeps_concord_flags_on_reimport_of_plain_hsds() -> None:
    import_hsds(path=CSV_EXAMPLES, actor=None)
    Location.objects.update(is_confidential=True)

    import_hsds(path=CSV_EXAMPLES, actor=None)

    assert Location.objects.get().is_confidential


def _errors(result: object) -> set[tuple[str, str, str]]:
    return {(problem.file, problem.row, problem.field) for problem in result.problems}  # type: ignore[attr-defined]


def test_import_hsds_invalid_csv_writes_nothing_and_lists_each_error(tmp_path: Path) -> None:
    package = copy_csv_examples(tmp_path / "package")
    edit_csv(package / "services.csv", ",active,", ",sometimes,")
    edit_csv(package / "organizations.csv", "Example Organization Inc.,", ",")
    edit_csv(
        package / "programs.csv",
        "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
        "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42,00000000-0000-4000-8000-000000000000",
    )
    edit_csv(package / "phones.csv", "1554f2e2-a373-45db-a3fa-9fc48a61c15e,", "not-a-uuid,")

    result = import_hsds(path=package, actor=None)

    assert _errors(result) == {
        ("services.csv", "2", "status"),
        ("organizations.csv", "2", "name"),
        ("programs.csv", "2", "organization_id"),
        ("phones.csv", "2", "id"),
    }
    assert Organization.objects.count() == 0
    assert Service.objects.count() == 0
    assert AuditEvent.objects.filter(action="concord.directory.imported").count() == 0


def test_import_hsds_dangling_required_reference_writes_nothing(tmp_path: Path) -> None:
    package = copy_csv_examples(tmp_path / "package")
    edit_csv(
        package / "programs.csv",
        "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42,d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610",
        "e7ec2e57-4540-43fa-b2c7-6be5a0ef7f42,00000000-0000-4000-8000-000000000000",
    )

    result = import_hsds(path=package, actor=None)

    assert _errors(result) == {("programs.csv", "2", "organization_id")}
    assert "00000000-0000-4000-8000-000000000000" in result.problems[0].message
    assert Organization.objects.count() == 0


def test_import_hsds_missing_required_column(tmp_path: Path) -> None:
    package = copy_csv_examples(tmp_path / "package")
    edit_csv(package / "taxonomies.csv", "id,name,description", "id,name,summary")

    result = import_hsds(path=package, actor=None)

    assert ("taxonomies.csv", "1", "description") in _errors(result)
    assert TaxonomyTerm.objects.count() == 0


def test_import_hsds_invalid_json_names_the_path(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "service_full.json").read_text(encoding="utf-8"))
    document["phones"][0]["id"] = "not-a-uuid"
    document["status"] = "sometimes"
    path = tmp_path / "service.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    result = import_hsds(path=path, actor=None)

    assert {(problem.row, problem.field) for problem in result.problems} == {
        ("phones/0", "id"),
        ("", "status"),
    }
    assert Service.objects.count() == 0


def test_import_hsds_json_without_organization_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "service.json"
    path.write_text(
        json.dumps({"id": SERVICE_ID, "name": "Counselling", "status": "active"}),
        encoding="utf-8",
    )

    result = import_hsds(path=path, actor=None)

    assert _errors(result) == {("service.json", "", "organization_id")}


def test_import_hsds_unknown_json_kind_asks_for_it(tmp_path: Path) -> None:
    path = tmp_path / "thing.json"
    path.write_text(json.dumps({"id": SERVICE_ID, "name": "x", "description": "y"}), "utf-8")

    assert not import_hsds(path=path, actor=None).ok
    assert import_hsds(path=path, actor=None, kind="taxonomy").ok


def test_import_hsds_validates_nested_per_table_schemas(tmp_path: Path) -> None:
    document = json.loads((EXAMPLES / "location.json").read_text(encoding="utf-8"))
    document["addresses"][0]["address_type"] = "underground"
    path = tmp_path / "location.json"
    path.write_text(json.dumps(document), encoding="utf-8")

    result = import_hsds(path=path, actor=None)

    assert _errors(result) == {("location.json", "addresses/0", "address_type")}
    assert Location.objects.count() == 0


def test_import_hsds_reports_progress() -> None:
    calls: list[tuple[int, int]] = []

    import_hsds(
        path=CSV_EXAMPLES, actor=None, progress=lambda done, total: calls.append((done, total))
    )

    assert calls[-1][0] == calls[-1][1] > 0
