"""Imports by upload (issue 5): a coordinator's file is checked, stored privately and
imported by a background task, which keeps its ImportRun up to date for the progress
page. The stored file, and anything unpacked from it, is deleted when the run ends,
whatever its result."""

import datetime
import logging
import time
import uuid
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.core.submissions import create_once
from concord.directory.models import (
    PROBLEMS_KEPT,
    ImportFormat,
    ImportPhase,
    ImportRun,
    ImportStatus,
)
from concord.directory.services import uploads
from concord.directory.services.importing import ImportResult, import_hsds
from concord.directory.services.reading import Problem

logger = logging.getLogger(__name__)

# The progress page reads the counters; writing them more often only costs the import.
PROGRESS_INTERVAL = 0.5
# A run still "running" after this long lost its worker (10,000 services take ~20 s).
STALLED_AFTER = datetime.timedelta(hours=2)


def queue_import(*, actor: User, upload: uploads.CheckedUpload, token: uuid.UUID) -> str:
    """Store the upload and queue its import once per form token; return the run's URL.

    The file is written before the transaction; if no run of this submit commits (a
    double submit that lost the race, or an error), it is deleted again."""
    stored_name = uploads.store_upload(upload)
    try:
        return create_once(
            token=token,
            user=actor,
            create=lambda: _create_run(actor=actor, upload=upload, stored_name=stored_name),
            result_url=lambda run: run.get_absolute_url(),
        )
    finally:
        if not ImportRun.objects.filter(stored_name=stored_name).exists():
            uploads.remove_stored(stored_name)


def _create_run(*, actor: User, upload: uploads.CheckedUpload, stored_name: str) -> ImportRun:
    from concord.directory.tasks import run_directory_import

    run = ImportRun.objects.create(
        uploaded_by=actor,
        file_name=upload.file_name,
        file_format=upload.file_format,
        stored_name=stored_name,
    )
    record_event(
        actor=actor,
        action="concord.directory.import_uploaded",
        target=run,
        data={"format": upload.file_format, "bytes": upload.file.size},
    )
    run_id = run.pk
    transaction.on_commit(lambda: run_directory_import.enqueue(run_id))
    return run


class _Tracker:
    """Writes the phase and progress of a run, outside the import's own transaction: while
    it writes, the import holds one transaction, whose progress nobody else could see."""

    def __init__(self, run_id: int) -> None:
        self.run_id = run_id
        self.phase = ImportPhase.READING.value
        self.last = 0.0

    def _save(self, **fields: Any) -> None:
        ImportRun.objects.filter(pk=self.run_id).update(**fields)
        self.last = time.monotonic()

    def enter(self, phase: str) -> None:
        self.phase = phase
        self._save(phase=phase, done=0, total=0)

    def progress(self, done: int, total: int) -> None:
        if self.phase == ImportPhase.WRITING:
            return
        if done >= total or time.monotonic() - self.last >= PROGRESS_INTERVAL:
            self._save(done=done, total=total)


def perform_import(*, run_id: int) -> None:
    """Run a queued import: the background task's work. A run already taken is left."""
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportStatus.QUEUED).update(
        status=ImportStatus.RUNNING, phase=ImportPhase.READING, started=timezone.now()
    )
    if not claimed:
        return
    run = ImportRun.objects.select_related("uploaded_by").get(pk=run_id)
    tracker = _Tracker(run_id)
    try:
        result = _import(run, tracker)
    except Exception:
        logger.exception("Directory import %s stopped on an error", run_id)
        _finish(run, None)
        raise
    finally:
        uploads.remove_stored(run.stored_name)
    _finish(run, result)


def _import(run: ImportRun, tracker: _Tracker) -> ImportResult:
    path = uploads.stored_path(run.stored_name)
    if run.file_format == ImportFormat.ZIP:
        try:
            path = uploads.unpack_package(path, uploads.unpacked_path(run.stored_name))
        except ValidationError as error:
            return ImportResult(problems=[Problem(run.file_name, "", "", " ".join(error.messages))])
    result = import_hsds(
        path=path, actor=run.uploaded_by, progress=tracker.progress, phase=tracker.enter
    )
    if run.file_format == ImportFormat.JSON:
        # Problems name the stored file; people know it by the name they uploaded.
        result.problems = [
            _rename(problem, path.name, run.file_name) for problem in result.problems
        ]
    return result


def _rename(problem: Problem, stored: str, original: str) -> Problem:
    if problem.file != stored:
        return problem
    return Problem(original, problem.row, problem.field, problem.message)


def _finish(run: ImportRun, result: ImportResult | None) -> None:
    if result is None:
        problems = [Problem(run.file_name, "", "", "The import stopped on an unexpected error.")]
        counts: dict[str, dict[str, int]] = {}
    else:
        problems, counts = result.problems, result.counts
    run.status = ImportStatus.SUCCEEDED if result is not None and result.ok else ImportStatus.FAILED
    run.phase = ImportPhase.DONE
    run.finished = timezone.now()
    run.counts = counts
    run.problems = [
        {"file": p.file, "row": p.row, "field": p.field, "message": p.message}
        for p in problems[:PROBLEMS_KEPT]
    ]
    run.problem_count = len(problems)
    run.done = run.total = sum(sum(count.values()) for count in counts.values())
    with transaction.atomic():
        run.save(
            update_fields=[
                "status",
                "phase",
                "finished",
                "counts",
                "problems",
                "problem_count",
                "done",
                "total",
            ]
        )
        record_event(
            actor=run.uploaded_by,
            action=f"concord.directory.import_{run.status}",
            target=run,
            data={
                "created": run.created_count,
                "updated": run.updated_count,
                "unchanged": run.unchanged_count,
                "problems": run.problem_count,
            },
        )


def fail_stalled_runs(*, now: datetime.datetime) -> int:
    """Runs whose worker was stopped mid-import: marked failed, their files deleted.

    Nothing of them was written, since the import writes in one transaction; without this
    their page would say "running", and refresh itself, for ever."""
    stalled = ImportRun.objects.filter(
        status=ImportStatus.RUNNING, started__lt=now - STALLED_AFTER
    ).select_related("uploaded_by")
    for run in stalled:
        uploads.remove_stored(run.stored_name)
        problem = Problem(
            run.file_name,
            "",
            "",
            "The import stopped before it finished and wrote nothing: upload the file again.",
        )
        _finish(run, ImportResult(problems=[problem]))
    return len(stalled)
