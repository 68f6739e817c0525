"""Imports of HSDS data by upload (issue 5): a coordinator's file is checked by content,
stored privately, imported by the background task and deleted afterwards."""

import datetime
import io
import uuid
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.directory.models import ImportPhase, ImportRun, ImportStatus, Service
from concord.directory.services.import_runs import fail_stalled_runs, perform_import
from concord.directory.services.importing import import_hsds
from concord.directory.tables import TABLES
from concord.directory.tests.helpers import CSV_EXAMPLES, EXAMPLES
from conftest import sign_in
from tests.tasks import run_queued_tasks

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def import_dir(settings: Any, tmp_path: Path) -> Path:
    settings.DIRECTORY_IMPORT_DIR = tmp_path / "imports"
    return settings.DIRECTORY_IMPORT_DIR


def _zip(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _package(folder: str = "", **changes: tuple[str, str]) -> bytes:
    """The CSV examples as a ZIP; ``changes`` replace text in the named member."""
    files = {}
    for path in sorted(CSV_EXAMPLES.iterdir()):
        content = path.read_bytes()
        if path.name in changes:
            old, new = changes[path.name]
            assert old.encode() in content
            content = content.replace(old.encode(), new.encode(), 1)
        files[folder + path.name] = content
    return _zip(files)


def _post(client: Client, name: str, content: bytes, token: str | None = None) -> Any:
    return client.post(
        reverse("directory:import-create"),
        {
            "file": SimpleUploadedFile(name, content, "application/octet-stream"),
            "submission_token": token or str(uuid.uuid4()),
        },
    )


def _upload_and_run(
    client: Client, name: str, content: bytes, capture: Any
) -> tuple[Any, ImportRun]:
    with capture(execute=True):
        response = _post(client, name, content)
    run_queued_tasks()
    run = ImportRun.objects.get()
    run.refresh_from_db()
    return response, run


def _stored_files(directory: Path) -> list[Path]:
    return sorted(directory.iterdir()) if directory.exists() else []


def _table_counts() -> dict[str, int]:
    return {name: table.model._default_manager.count() for name, table in TABLES.items()}


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("service_full.json", (EXAMPLES / "service_full.json").read_bytes()),
        ("package.zip", _package()),
        ("package-in-a-folder.zip", _package("csv/")),
    ],
)
def test_upload_imports_the_file_and_a_second_upload_changes_nothing(
    coordinator_client: Client,
    django_capture_on_commit_callbacks: Any,
    import_dir: Path,
    name: str,
    content: bytes,
) -> None:
    response, run = _upload_and_run(
        coordinator_client, name, content, django_capture_on_commit_callbacks
    )

    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    assert (run.status, run.phase, run.file_name, run.problem_count) == (
        ImportStatus.SUCCEEDED,
        ImportPhase.DONE,
        name,
        0,
    )
    in_directory = _table_counts()
    assert {table: count["created"] for table, count in run.counts.items()} == {
        table: in_directory[table] for table in run.counts
    }
    assert run.created_count == sum(in_directory.values()) > 0
    assert Service.objects.exists()
    assert _stored_files(import_dir) == []

    run.delete()
    _, again = _upload_and_run(
        coordinator_client, name, content, django_capture_on_commit_callbacks
    )

    assert (again.status, again.created_count, again.updated_count) == (
        ImportStatus.SUCCEEDED,
        0,
        0,
    )
    assert again.unchanged_count == sum(in_directory.values())
    assert _table_counts() == in_directory


def test_finished_import_page_shows_the_counts_without_refreshing(
    coordinator_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _, run = _upload_and_run(
        coordinator_client, "package.zip", _package(), django_capture_on_commit_callbacks
    )

    page = coordinator_client.get(run.get_absolute_url()).content.decode()

    assert 'http-equiv="refresh"' not in page
    assert 'value="100"' in page
    assert f"{run.created_count} created, 0 updated, 0 unchanged" in page


def test_upload_with_errors_fails_lists_the_problems_and_writes_nothing(
    coordinator_client: Client, django_capture_on_commit_callbacks: Any, import_dir: Path
) -> None:
    content = _package(**{"services.csv": (",active,", ",sometimes,")})

    _, run = _upload_and_run(
        coordinator_client, "broken.zip", content, django_capture_on_commit_callbacks
    )
    page = coordinator_client.get(run.get_absolute_url()).content.decode()

    assert run.status == ImportStatus.FAILED
    assert run.problem_count == len(run.problems) == 1
    assert {key: run.problems[0][key] for key in ("file", "row", "field")} == {
        "file": "services.csv",
        "row": "2",
        "field": "status",
    }
    assert "&#x27;sometimes&#x27; is not one of" in page
    assert '<td data-label="Field">status</td>' in page
    assert 'http-equiv="refresh"' not in page
    assert sum(_table_counts().values()) == 0
    assert _stored_files(import_dir) == []


def test_problems_of_a_json_upload_name_the_file_as_uploaded(
    coordinator_client: Client, django_capture_on_commit_callbacks: Any, import_dir: Path
) -> None:
    content = b'{"id": "not-a-uuid", "name": "A service", "status": "active"}'

    _, run = _upload_and_run(
        coordinator_client, "My services.json", content, django_capture_on_commit_callbacks
    )

    assert run.status == ImportStatus.FAILED
    assert {problem["file"] for problem in run.problems} == {"My services.json"}
    assert Service.objects.count() == 0
    assert _stored_files(import_dir) == []


def test_stored_problems_are_capped_with_their_total(
    coordinator_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    services = [
        {"id": str(uuid.uuid4()), "name": f"Service {n}", "status": "never"} for n in range(250)
    ]
    content = repr(services).replace("'", '"').encode()

    _, run = _upload_and_run(
        coordinator_client, "many.json", content, django_capture_on_commit_callbacks
    )
    page = coordinator_client.get(run.get_absolute_url()).content.decode()

    assert run.problem_count >= 250
    assert len(run.problems) == 200
    assert f"The first 200 of {run.problem_count} problems are shown." in page


def _zip_with(name: str) -> bytes:
    return _zip({"datapackage.json": b"{}", name: b"id\n"})


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        (
            "services.json",
            b"<!DOCTYPE html><html><script>alert(1)</script></html>",
            "The file is neither JSON nor a ZIP archive.",
        ),
        ("package.zip", b"this is not a zip archive", "The file is not a ZIP archive."),
        ("package.zip", _zip_with("../evil.csv"), "outside its own folder: ../evil.csv"),
        ("package.zip", _zip_with("/etc/evil.csv"), "outside its own folder"),
        ("package.zip", _zip_with("run.sh"), "only CSV and JSON files, not run.sh"),
        ("package.zip", _zip({"services.csv": b"id\n"}), "has no datapackage.json"),
        ("package.zip", _zip({"a/b/datapackage.json": b"{}"}), "has no datapackage.json"),
        ("empty.json", b"", "The file is empty."),
    ],
)
def test_bad_uploads_are_refused_on_the_form_and_nothing_is_stored(
    coordinator_client: Client, import_dir: Path, name: str, content: bytes, message: str
) -> None:
    response = _post(coordinator_client, name, content)

    assert response.status_code == 200
    assert message in response.content.decode().replace("&#x27;", "'")
    assert 'class="usa-error-message"' in response.content.decode()
    assert ImportRun.objects.count() == 0
    assert _stored_files(import_dir) == []


@pytest.mark.parametrize(
    ("setting", "message"),
    [
        ("DIRECTORY_IMPORT_MAX_BYTES", "The file is larger than"),
        ("DIRECTORY_IMPORT_MAX_FILES", "holds more than"),
        ("DIRECTORY_IMPORT_MAX_UNPACKED_BYTES", "unpacks to more than"),
    ],
)
def test_uploads_past_the_limits_are_refused(
    coordinator_client: Client, settings: Any, import_dir: Path, setting: str, message: str
) -> None:
    setattr(settings, setting, 5)

    response = _post(coordinator_client, "package.zip", _package())

    assert message in response.content.decode()
    assert ImportRun.objects.count() == 0
    assert _stored_files(import_dir) == []


def test_stored_upload_is_private_random_and_removed_after_the_run(
    coordinator_client: Client, django_capture_on_commit_callbacks: Any, import_dir: Path
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _post(coordinator_client, "../../package.zip", _package())
    run = ImportRun.objects.get()
    stored = _stored_files(import_dir)

    assert [path.name for path in stored] == [run.stored_name]
    assert run.file_name == "package.zip"
    assert len(run.stored_name) == len("0" * 32 + ".zip")
    assert stored[0].stat().st_mode & 0o077 == 0
    assert (run.status, run.phase) == (ImportStatus.QUEUED, ImportPhase.WAITING)

    run_queued_tasks()

    assert _stored_files(import_dir) == []


def test_double_submit_creates_one_run(
    coordinator_client: Client, django_capture_on_commit_callbacks: Any, import_dir: Path
) -> None:
    token = str(uuid.uuid4())
    with django_capture_on_commit_callbacks(execute=True):
        first = _post(coordinator_client, "package.zip", _package(), token)
        second = _post(coordinator_client, "package.zip", _package(), token)

    assert first["Location"] == second["Location"]
    assert ImportRun.objects.count() == 1
    assert len(_stored_files(import_dir)) == 1


def test_upload_and_outcome_are_audited(
    coordinator: User, coordinator_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _, run = _upload_and_run(
        coordinator_client, "package.zip", _package(), django_capture_on_commit_callbacks
    )

    events = AuditEvent.objects.filter(object_id=str(run.pk), object_type="directory.importrun")
    assert sorted(events.values_list("action", "actor")) == [
        ("concord.directory.import_succeeded", coordinator.pk),
        ("concord.directory.import_uploaded", coordinator.pk),
    ]
    assert events.get(action="concord.directory.import_succeeded").data["created"] == (
        run.created_count
    )


def test_running_import_page_refreshes_itself_and_shows_progress(
    coordinator: User, coordinator_client: Client
) -> None:
    run = ImportRun.objects.create(
        uploaded_by=coordinator,
        file_name="big.zip",
        file_format="zip",
        stored_name="1" * 32 + ".zip",
        status=ImportStatus.RUNNING,
        phase=ImportPhase.CHECKING,
        done=50,
        total=200,
    )

    page = coordinator_client.get(run.get_absolute_url()).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert '<progress id="import-progress" max="100" value="25"' in page
    assert '<label class="usa-label" for="import-progress">' in page
    assert "Checking every row" in page
    assert "50 of 200 rows" in page
    assert "refreshes itself" in page


def test_refreshing_can_be_turned_off(coordinator: User, coordinator_client: Client) -> None:
    run = ImportRun.objects.create(
        uploaded_by=coordinator, file_name="a.json", file_format="json", stored_name="a.json"
    )

    page = coordinator_client.get(run.get_absolute_url(), {"refresh": "off"}).content.decode()

    assert 'http-equiv="refresh"' not in page
    assert f'href="{run.get_absolute_url()}"' in page
    assert "<progress" in page


def test_queued_import_page_refreshes_itself(coordinator: User, coordinator_client: Client) -> None:
    run = ImportRun.objects.create(
        uploaded_by=coordinator, file_name="a.json", file_format="json", stored_name="a.json"
    )

    page = coordinator_client.get(run.get_absolute_url()).content.decode()

    assert '<meta http-equiv="refresh" content="2">' in page
    assert "<progress" in page


@pytest.mark.parametrize("name", ["directory:import-list", "directory:import-create"])
def test_import_pages_are_for_coordinators_only(
    name: str,
    client: Client,
    member: User,
    representative: User,
    outsider: User,
    coordinator: User,
) -> None:
    url = reverse(name)

    assert client.get(url)["Location"].startswith(reverse("account_login"))
    for person in (member, representative, outsider):
        assert sign_in(Client(), person).get(url).status_code == 403
        assert _post(sign_in(Client(), person), "a.json", b"{}").status_code == 403
    assert sign_in(Client(), coordinator).get(url).status_code == 200
    assert ImportRun.objects.count() == 0


def test_import_list_shows_past_runs(coordinator_client: Client, import_run: ImportRun) -> None:
    page = coordinator_client.get(reverse("directory:import-list")).content.decode()

    assert import_run.get_absolute_url() in page
    assert "services.json" in page
    assert "Casey Coordinator" in page
    assert "Succeeded" in page


def test_listings_page_links_to_imports_for_coordinators_only(
    coordinator_client: Client, representative_client: Client
) -> None:
    url = reverse("directory:listing-list")
    link = reverse("directory:import-list")

    assert link in coordinator_client.get(url).content.decode()
    assert link not in representative_client.get(url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_checking_progress_is_reported_outside_the_writing_transaction() -> None:
    seen: list[tuple[str, bool]] = []
    phases: list[str] = []

    import_hsds(
        path=CSV_EXAMPLES,
        actor=None,
        phase=lambda name: (phases.append(name), seen.append((name, connection.in_atomic_block))),
        progress=lambda done, total: seen.append((phases[-1], connection.in_atomic_block)),
    )

    assert phases == ["checking", "writing"]
    assert {atomic for phase, atomic in seen if phase == "checking"} == {False}
    assert ("writing", True) in seen


def test_run_whose_file_is_gone_fails_cleanly(
    coordinator_client: Client, django_capture_on_commit_callbacks: Any, import_dir: Path
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        _post(coordinator_client, "package.zip", _package())
    for path in _stored_files(import_dir):
        path.unlink()

    run_queued_tasks()

    run = ImportRun.objects.get()
    assert (run.status, run.problem_count) == (ImportStatus.FAILED, 1)
    assert Service.objects.count() == 0


def test_a_run_is_imported_once(
    coordinator_client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    _, run = _upload_and_run(
        coordinator_client, "package.zip", _package(), django_capture_on_commit_callbacks
    )

    perform_import(run_id=run.pk)

    assert ImportRun.objects.get().finished == run.finished


def test_a_run_whose_worker_stopped_is_failed_and_its_file_removed(
    coordinator: User, coordinator_client: Client, import_dir: Path
) -> None:
    now = timezone.now()
    import_dir.mkdir(parents=True, exist_ok=True)

    def running(name: str, started: datetime.datetime) -> ImportRun:
        (import_dir / name).write_bytes(b"{}")
        return ImportRun.objects.create(
            uploaded_by=coordinator,
            file_name="services.json",
            file_format="json",
            stored_name=name,
            status=ImportStatus.RUNNING,
            phase=ImportPhase.WRITING,
            started=started,
        )

    stalled = running("a" * 32 + ".json", now - datetime.timedelta(hours=3))
    alive = running("b" * 32 + ".json", now - datetime.timedelta(minutes=5))

    assert fail_stalled_runs(now=now) == 1

    stalled.refresh_from_db()
    assert (stalled.status, stalled.phase) == (ImportStatus.FAILED, ImportPhase.DONE)
    assert "stopped before it finished" in stalled.problems[0]["message"]
    assert not (import_dir / stalled.stored_name).exists()
    assert ImportRun.objects.get(pk=alive.pk).status == ImportStatus.RUNNING
    assert (import_dir / alive.stored_name).exists()
    page = coordinator_client.get(stalled.get_absolute_url()).content.decode()
    assert 'http-equiv="refresh"' not in page
    assert AuditEvent.objects.filter(action="concord.directory.import_failed").count() == 1
