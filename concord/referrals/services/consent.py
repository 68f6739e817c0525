"""Consents: recorded by the sending agency, revocable at any time."""

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.audit.services import record_event
from concord.core.permissions import can_handle_referrals
from concord.referrals.models import (
    CLIENT_FIELDS,
    Consent,
    ConsentGiver,
    ConsentMethod,
    default_consent_expiry,
)

# What a signed form may be, told by its first bytes, never by its name or claimed type.
_SIGNATURES = {
    "pdf": (b"%PDF-",),
    "png": (b"\x89PNG\r\n\x1a\n",),
    "jpeg": (b"\xff\xd8\xff",),
}


def signed_form_kind(upload: UploadedFile) -> str:
    """The form's type by content (pdf, png or jpeg); a ValidationError otherwise."""
    limit = settings.REFERRAL_CONSENT_MAX_BYTES
    if upload.size is None or upload.size > limit:
        raise ValidationError(
            {
                "signed_form": _("The file is larger than %(limit)s.")
                % {"limit": filesizeformat(limit)}
            },
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    upload.seek(0)
    for kind, signatures in _SIGNATURES.items():
        if any(head.startswith(signature) for signature in signatures):
            return kind
    raise ValidationError(
        {"signed_form": _("Upload the signed form as a PDF, PNG or JPEG file.")},
        code="file_type",
    )


# PNG chunks and JPEG segments that carry metadata (camera, place, time, comments).
_PNG_METADATA = {b"tEXt", b"zTXt", b"iTXt", b"eXIf", b"tIME"}
_JPEG_METADATA = {*range(0xE1, 0xF0), 0xFE}  # APP1 to APP15 (EXIF, XMP...) and COM


def _bad_image() -> ValidationError:
    return ValidationError(
        {"signed_form": _("The image could not be read: upload it again as PDF, PNG or JPEG.")},
        code="file_type",
    )


def _strip_png(data: bytes) -> bytes:
    kept = [data[:8]]
    position = 8
    while position < len(data):
        if position + 12 > len(data):
            raise _bad_image()
        length = int.from_bytes(data[position : position + 4], "big")
        kind = data[position + 4 : position + 8]
        end = position + 12 + length
        if end > len(data):
            raise _bad_image()
        if kind not in _PNG_METADATA:
            kept.append(data[position:end])
        position = end
    return b"".join(kept)


def _strip_jpeg(data: bytes) -> bytes:
    kept = [data[:2]]
    position = 2
    while position < len(data):
        if data[position] != 0xFF or position + 2 > len(data):
            raise _bad_image()
        marker = data[position + 1]
        if marker == 0xDA:  # start of scan: the image data runs to the end
            kept.append(data[position:])
            break
        if marker in (0x01, *range(0xD0, 0xD9)):
            kept.append(data[position : position + 2])
            position += 2
            continue
        length = int.from_bytes(data[position + 2 : position + 4], "big")
        end = position + 2 + length
        if length < 2 or end > len(data):
            raise _bad_image()
        if marker not in _JPEG_METADATA:
            kept.append(data[position:end])
        position = end
    return b"".join(kept)


def without_metadata(kind: str, data: bytes) -> bytes:
    """The image without its metadata chunks (SECURITY.md rule 13); PDFs as they are."""
    if kind == "png":
        return _strip_png(data)
    if kind == "jpeg":
        return _strip_jpeg(data)
    return data


@transaction.atomic
def record_consent(
    *,
    actor: User,
    receiving_agency: Agency,
    given_by: str,
    shared_fields: Iterable[str],
    purpose: str,
    method: str,
    language: str = "en",
    expires_at: datetime.datetime | None = None,
    signed_form: UploadedFile | None = None,
    signature_name: str = "",
) -> Consent:
    """Record a consent the actor's agency obtained, naming one receiving agency."""
    if not can_handle_referrals(actor):
        raise PermissionDenied
    now = timezone.now()
    errors: dict[str, str] = {}
    fields = sorted(set(shared_fields))
    if given_by not in ConsentGiver.values:
        errors["given_by"] = _("Say who gave the consent.")
    if not fields:
        errors["shared_fields"] = _("Choose what the consent allows to share.")
    elif any(name not in CLIENT_FIELDS for name in fields):
        errors["shared_fields"] = _("Choose what may be shared from the list.")
    if not purpose.strip():
        errors["purpose"] = _("Say for what purpose the information is shared.")
    if language not in dict(settings.LANGUAGES):
        errors["language"] = _("Choose the language of the form.")
    if receiving_agency.pk == actor.agency_id:
        errors["receiving_agency"] = _("A consent names another agency than yours.")
    expires_at = expires_at or default_consent_expiry()
    if expires_at <= now:
        errors["expires_at"] = _("The consent must expire in the future.")
    content = b""
    if method == ConsentMethod.SIGNED_FORM:
        if signed_form is None:
            errors["signed_form"] = _("Upload the signed consent form.")
        else:
            try:
                kind = signed_form_kind(signed_form)
                content = without_metadata(kind, signed_form.read())
            except ValidationError as error:
                errors.update({key: value[0] for key, value in error.message_dict.items()})
    elif method == ConsentMethod.E_SIGNATURE:
        if not signature_name.strip():
            errors["signature_name"] = _("Type the name of the person who signs.")
    else:
        errors["method"] = _("Say how the consent was obtained.")
    if errors:
        raise ValidationError(errors)
    consent = Consent(
        sending_agency=actor.agency,
        receiving_agency=receiving_agency,
        given_by=given_by,
        shared_fields=fields,
        purpose=purpose.strip(),
        method=method,
        language=language,
        created_by=actor,
        expires_at=expires_at,
    )
    if method == ConsentMethod.SIGNED_FORM:
        # The stored name is random; the uploader's file name is dropped.
        consent.signed_form.save("form", ContentFile(content), save=False)
    else:
        consent.signature_name = signature_name.strip()
        consent.signed_at = now
    consent.save()
    record_event(
        actor=actor,
        action="concord.consent.recorded",
        target=consent,
        agency=actor.agency,
        data={"fields": fields, "method": method, "receiving_agency": receiving_agency.pk},
    )
    return consent


@transaction.atomic
def revoke_consent(*, actor: User, consent: Consent) -> Consent:
    """The survivor withdrew it: the receiving agency loses sight of the client information
    at once. The sending agency, which collected it, keeps it until the purge."""
    if not can_handle_referrals(actor) or actor.agency_id != consent.sending_agency_id:
        raise PermissionDenied
    consent = Consent.objects.select_for_update().get(pk=consent.pk)
    if consent.revoked_at is not None:
        return consent
    consent.revoked_at = timezone.now()
    consent.revoked_by = actor
    consent.save(update_fields=["revoked_at", "revoked_by"])
    record_event(actor=actor, action="concord.consent.revoked", target=consent, agency=actor.agency)
    return consent
