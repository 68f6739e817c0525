"""Every change to campaigns, activities and materials: checked, saved and audited in one
transaction."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.audit.services import record_event
from concord.awareness.models import (
    Activity,
    ActivityStatus,
    Campaign,
    Language,
    Material,
    MaterialDistribution,
)
from concord.core.permissions import can_manage_awareness
from concord.referrals.services.consent import without_metadata

# What a material may be, told by its first bytes, never by its name or claimed type.
_SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
_KINDS = {"application/pdf": "pdf", "image/png": "png", "image/jpeg": "jpeg"}

# A change to any of these makes calendar programs replace their copy of the activity.
_CALENDAR_FIELDS = ("title", "starts_at", "ends_at", "time_zone", "location", "status")

# The statuses an activity may move to from each status.
TRANSITIONS: dict[str, set[str]] = {
    ActivityStatus.SCHEDULED: {
        ActivityStatus.SCHEDULED,
        ActivityStatus.HELD,
        ActivityStatus.CANCELLED,
    },
    ActivityStatus.CANCELLED: {ActivityStatus.CANCELLED, ActivityStatus.SCHEDULED},
    ActivityStatus.HELD: {ActivityStatus.HELD},
}


@dataclass(frozen=True)
class CheckedFile:
    content: bytes
    content_type: str


def check_material_file(upload: UploadedFile) -> CheckedFile:
    """The upload's content and type, told by its content (PDF, PNG or JPEG), images
    without their metadata; a ValidationError on the ``file`` field otherwise."""
    limit = settings.AWARENESS_MATERIAL_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}},
            code="too_large",
        )
    upload.seek(0)
    content = upload.read(limit + 1)
    if len(content) > limit:
        raise ValidationError(
            {"file": _("The file is larger than %(limit)s.") % {"limit": filesizeformat(limit)}},
            code="too_large",
        )
    content_type = next(
        (kind for signature, kind in _SIGNATURES.items() if content.startswith(signature)), None
    )
    if content_type is None:
        raise ValidationError(
            {"file": _("Upload the material as a PDF, PNG or JPEG file.")}, code="file_type"
        )
    try:
        content = without_metadata(_KINDS[content_type], content)
    except ValidationError:
        raise ValidationError(
            {"file": _("The image could not be read: upload it again as PDF, PNG or JPEG.")},
            code="file_type",
        ) from None
    return CheckedFile(content=content, content_type=content_type)


def _require_manager(actor: User) -> None:
    if not can_manage_awareness(actor):
        raise PermissionDenied


@transaction.atomic
def save_campaign(*, actor: User, campaign: Campaign, materials: Iterable[Material]) -> Campaign:
    """Create or update a campaign with the fields already set on it."""
    _require_manager(actor)
    if campaign.ends_on < campaign.starts_on:
        raise ValidationError({"ends_on": _("The campaign must end on or after its first day.")})
    created = campaign.pk is None
    campaign.save()
    campaign.materials.set(list(materials))
    record_event(
        actor=actor,
        action="concord.awareness.campaign." + ("created" if created else "updated"),
        target=campaign,
    )
    return campaign


@dataclass(frozen=True)
class Distribution:
    language: str
    quantity: int
    material: Material | None = None


@transaction.atomic
def save_activity(
    *,
    actor: User,
    activity: Activity,
    status: str,
    distributions: Iterable[Distribution],
) -> Activity:
    """Create or update an activity with the fields already set on it, move it to
    ``status`` and replace the record of materials it handed out."""
    _require_manager(actor)
    errors: dict[str, str] = {}
    created = activity.pk is None
    previous = None if created else Activity.objects.select_for_update().get(pk=activity.pk)
    current_status = previous.status if previous is not None else ActivityStatus.SCHEDULED
    if status not in TRANSITIONS.get(current_status, set()):
        errors["status"] = _("An activity that was held cannot change its status.")
    if activity.ends_at <= activity.starts_at:
        errors["end_time"] = _("The end time must be after the start time.")
    rows = list(distributions)
    if any(row.quantity <= 0 for row in rows):
        errors["distributions"] = _("Record a number of copies above zero.")
    if any(row.language not in Language.values for row in rows):
        errors["distributions"] = _("Choose the language of the materials from the list.")
    if errors:
        raise ValidationError(errors)
    activity.status = status
    if previous is not None and any(
        getattr(previous, name) != getattr(activity, name) for name in _CALENDAR_FIELDS
    ):
        activity.sequence = previous.sequence + 1
    activity.save()
    activity.distributions.all().delete()
    MaterialDistribution.objects.bulk_create(
        MaterialDistribution(
            activity=activity, language=row.language, material=row.material, quantity=row.quantity
        )
        for row in rows
    )
    data: dict[str, object] = {"status": status}
    if previous is not None and previous.status != status:
        data["previous_status"] = previous.status
    record_event(
        actor=actor,
        action="concord.awareness.activity." + ("created" if created else "updated"),
        target=activity,
        data=data,
    )
    return activity


@transaction.atomic
def save_material(
    *, actor: User, material: Material, upload: UploadedFile | None = None
) -> Material:
    """Create a material (a file is required) or update one (a new file replaces the
    old one, which is deleted once the change is committed). The file is stored under a
    random name; the uploader's file name is dropped."""
    _require_manager(actor)
    created = material.pk is None
    if upload is None and created:
        raise ValidationError({"file": _("Choose the file of the material.")})
    checked = check_material_file(upload) if upload is not None else None
    old_name = "" if created else Material.objects.get(pk=material.pk).file.name
    if checked is not None:
        material.content_type = checked.content_type
        material.file_size = len(checked.content)
        material.file.save("material", ContentFile(checked.content), save=False)
        if old_name:
            storage = material.file.storage
            # The old file goes only once the new one is committed.
            transaction.on_commit(lambda: storage.delete(old_name))
    material.save()
    record_event(
        actor=actor,
        action="concord.awareness.material." + ("created" if created else "updated"),
        target=material,
        data={"file_replaced": checked is not None and not created},
    )
    return material


@transaction.atomic
def retire_material(*, actor: User, material: Material) -> Material:
    """Take a material out of the library; its file stays for the people who manage it."""
    _require_manager(actor)
    if material.retired_at is not None:
        return material
    material.retired_at = timezone.now()
    material.save(update_fields=["retired_at", "updated_at"])
    record_event(actor=actor, action="concord.awareness.material.retired", target=material)
    return material


@transaction.atomic
def restore_material(*, actor: User, material: Material) -> Material:
    _require_manager(actor)
    if material.retired_at is None:
        return material
    material.retired_at = None
    material.save(update_fields=["retired_at", "updated_at"])
    record_event(actor=actor, action="concord.awareness.material.restored", target=material)
    return material
