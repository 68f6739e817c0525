import datetime
from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.awareness.models import ActivityStatus, Language, Material
from concord.awareness.services import (
    Distribution,
    retire_material,
    save_activity,
    save_campaign,
    save_material,
)
from concord.awareness.tests.factories import (
    PDF,
    ActivityFactory,
    CampaignFactory,
    MaterialFactory,
    png_bytes,
)


def _stored(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


def _new_material() -> Material:
    return Material(title="Hotline poster", language=Language.SPANISH)


def test_save_material_stores_a_pdf_under_a_random_name_and_audits(
    coordinator: User, material_files: Path
) -> None:
    upload = SimpleUploadedFile("poster.pdf", PDF, content_type="application/pdf")

    material = save_material(actor=coordinator, material=_new_material(), upload=upload)

    assert material.content_type == "application/pdf"
    assert material.file_size == len(PDF)
    assert material.file.name.startswith("awareness/")
    assert "poster" not in material.file.name
    with material.file.open("rb") as stored:
        assert stored.read() == PDF
    assert AuditEvent.objects.filter(action="concord.awareness.material.created").count() == 1


def test_save_material_refuses_html_named_pdf_and_stores_nothing(
    coordinator: User, material_files: Path
) -> None:
    upload = SimpleUploadedFile(
        "poster.pdf", b"<html><script>alert(1)</script></html>", content_type="application/pdf"
    )

    with pytest.raises(ValidationError) as error:
        save_material(actor=coordinator, material=_new_material(), upload=upload)

    assert error.value.message_dict == {"file": ["Upload the material as a PDF, PNG or JPEG file."]}
    assert Material.objects.count() == 0
    assert _stored(material_files) == []


def test_save_material_refuses_a_file_over_the_limit(
    coordinator: User, material_files: Path, settings: Any
) -> None:
    settings.AWARENESS_MATERIAL_MAX_BYTES = 100
    upload = SimpleUploadedFile("big.pdf", PDF + b"0" * 200, content_type="application/pdf")

    with pytest.raises(ValidationError) as error:
        save_material(actor=coordinator, material=_new_material(), upload=upload)

    assert error.value.message_dict == {"file": ["The file is larger than 100\xa0bytes."]}
    assert Material.objects.count() == 0
    assert _stored(material_files) == []


def test_save_material_ignores_path_tricks_in_the_file_name(
    coordinator: User, material_files: Path, tmp_path: Path
) -> None:
    upload = SimpleUploadedFile("../../../escaped.pdf", PDF, content_type="application/pdf")

    material = save_material(actor=coordinator, material=_new_material(), upload=upload)

    stored = _stored(material_files)
    assert len(stored) == 1
    assert stored[0].parent == material_files / "awareness"
    assert "escaped" not in material.file.name
    assert list(tmp_path.rglob("escaped*")) == []


def test_save_material_strips_image_metadata(coordinator: User) -> None:
    upload = SimpleUploadedFile("card.png", png_bytes(metadata=True), content_type="image/png")

    material = save_material(actor=coordinator, material=_new_material(), upload=upload)

    with material.file.open("rb") as stored:
        content = stored.read()
    assert material.content_type == "image/png"
    assert b"Secret Street" not in content
    assert content.startswith(b"\x89PNG")


def test_save_material_replaces_the_file_and_deletes_the_old_one_after_commit(
    coordinator: User, material_files: Path, django_capture_on_commit_callbacks: object
) -> None:
    material = save_material(
        actor=coordinator,
        material=_new_material(),
        upload=SimpleUploadedFile("a.pdf", PDF, content_type="application/pdf"),
    )
    old_name = material.file.name

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        save_material(
            actor=coordinator,
            material=Material.objects.get(pk=material.pk),
            upload=SimpleUploadedFile("b.png", png_bytes(), content_type="image/png"),
        )

    material.refresh_from_db()
    assert material.content_type == "image/png"
    assert material.file.name != old_name
    assert [path.name for path in _stored(material_files)] == [Path(material.file.name).name]


def test_save_material_needs_a_file_to_create(coordinator: User) -> None:
    with pytest.raises(ValidationError) as error:
        save_material(actor=coordinator, material=_new_material(), upload=None)

    assert "file" in error.value.message_dict


def test_awareness_services_refuse_non_coordinators(member: User) -> None:
    material = MaterialFactory()

    with pytest.raises(PermissionDenied):
        retire_material(actor=member, material=material)
    with pytest.raises(PermissionDenied):
        save_campaign(actor=member, campaign=CampaignFactory.build(), materials=[])


def test_retire_material_takes_it_out_of_the_library_and_audits(coordinator: User) -> None:
    material = MaterialFactory()

    retire_material(actor=coordinator, material=material)

    material.refresh_from_db()
    assert material.is_retired
    assert AuditEvent.objects.filter(action="concord.awareness.material.retired").count() == 1


def test_save_activity_records_reach_and_replaces_distributions(coordinator: User) -> None:
    material = MaterialFactory()
    activity = ActivityFactory(starts_at=timezone.now() - datetime.timedelta(days=1))
    activity.people_reached = 40
    activity.businesses_contacted = 12

    save_activity(
        actor=coordinator,
        activity=activity,
        status=ActivityStatus.HELD,
        distributions=[
            Distribution(language=Language.ENGLISH, quantity=30, material=material),
            Distribution(language=Language.SPANISH, quantity=25),
        ],
    )
    save_activity(
        actor=coordinator,
        activity=activity,
        status=ActivityStatus.HELD,
        distributions=[Distribution(language=Language.SPANISH, quantity=5)],
    )

    activity.refresh_from_db()
    assert activity.status == ActivityStatus.HELD
    assert activity.people_reached == 40
    assert list(activity.distributions.values_list("language", "quantity")) == [("es", 5)]
    assert AuditEvent.objects.filter(action="concord.awareness.activity.updated").count() == 2


def test_save_activity_bumps_the_sequence_when_the_time_changes(coordinator: User) -> None:
    activity = ActivityFactory()
    activity.starts_at += datetime.timedelta(hours=1)
    activity.ends_at += datetime.timedelta(hours=1)

    save_activity(actor=coordinator, activity=activity, status="scheduled", distributions=[])
    save_activity(actor=coordinator, activity=activity, status="scheduled", distributions=[])

    activity.refresh_from_db()
    assert activity.sequence == 1


def test_save_activity_refuses_to_change_a_held_activity_status(coordinator: User) -> None:
    activity = ActivityFactory(status=ActivityStatus.HELD)

    with pytest.raises(ValidationError) as error:
        save_activity(
            actor=coordinator, activity=activity, status=ActivityStatus.CANCELLED, distributions=[]
        )

    assert "status" in error.value.message_dict
    activity.refresh_from_db()
    assert activity.status == ActivityStatus.HELD


def test_save_activity_refuses_zero_copies(coordinator: User) -> None:
    activity = ActivityFactory()

    with pytest.raises(ValidationError):
        save_activity(
            actor=coordinator,
            activity=activity,
            status="scheduled",
            distributions=[Distribution(language="en", quantity=0)],
        )

    assert activity.distributions.count() == 0


def test_save_campaign_refuses_an_end_before_the_start(coordinator: User) -> None:
    campaign = CampaignFactory.build(
        starts_on=datetime.date(2027, 1, 31), ends_on=datetime.date(2027, 1, 1)
    )

    with pytest.raises(ValidationError):
        save_campaign(actor=coordinator, campaign=campaign, materials=[])
