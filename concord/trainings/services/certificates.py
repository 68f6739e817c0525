"""Certificates of completion: issued when attendance is recorded, revoked when an attendee
is marked absent afterwards, checked by anyone at /certificates/<code>/, and printed as a
PDF.

A holder without an account downloads the PDF through a signed link (the certificate's
code, signed), never through a link that carries their address.
"""

import datetime
import decimal
import re
import secrets
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.core import signing
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare

from concord.coalition.queries import current_coalition
from concord.trainings.models import Certificate, Registration, TrainingSession

# No 0/O, 1/I/L, 2/Z, 5/S, 8/B: a code read aloud or typed from paper comes out right.
CODE_ALPHABET = "ACDEFGHJKMNPQRTUVWXY34679"
# 28 characters of 25: 130 bits, as SECURITY.md rule 15 asks of certificate codes.
CODE_LENGTH = 28
_CODE_SHAPE = re.compile(rf"[{CODE_ALPHABET}]{{{CODE_LENGTH}}}")
_PDF_SALT = "concord.trainings.certificate-pdf"


def generate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(text: str) -> str:
    """What a person typed, as a code: capitals, without spaces or dashes."""
    return re.sub(r"[\s-]", "", text).upper()


def formatted_code(code: str) -> str:
    """The code in groups of four, easier to read from paper."""
    return "-".join(code[index : index + 4] for index in range(0, len(code), 4))


def _unused_codes(count: int) -> list[str]:
    """``count`` fresh codes that no certificate holds (one query per rare clash)."""
    codes: set[str] = set()
    while len(codes) < count:
        wanted = {generate_code() for _ in range(count - len(codes))}
        taken = set(Certificate.objects.filter(code__in=wanted).values_list("code", flat=True))
        codes |= wanted - taken
    return list(codes)


def session_hours(session: TrainingSession) -> decimal.Decimal:
    return (decimal.Decimal(session.training.length_minutes) / 60).quantize(decimal.Decimal("0.01"))


def session_day(session: TrainingSession) -> datetime.date:
    """The day the session took place, where it took place."""
    return timezone.localtime(session.starts_at, _zone(session.time_zone)).date()


def _zone(name: str) -> datetime.tzinfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return timezone.get_current_timezone()


def issue_certificates(
    *, session: TrainingSession, registrations: Iterable[Registration]
) -> list[int]:
    """Give each attendee a valid certificate: a new one, or their revoked one again.

    Called inside the attendance transaction, which audits it. Returns the ids of the
    certificates that became valid. A fixed number of queries, whatever the count.
    """
    registrations = list(registrations)
    if not registrations:
        return []
    by_registration = {
        certificate.registration_id: certificate
        for certificate in Certificate.objects.filter(registration__in=registrations)
    }
    revoked = [c.pk for c in by_registration.values() if c.revoked_at is not None]
    if revoked:
        Certificate.objects.filter(pk__in=revoked).update(revoked_at=None)
    new = [r for r in registrations if r.pk not in by_registration]
    codes = _unused_codes(len(new))
    hours, day = session_hours(session), session_day(session)
    created = Certificate.objects.bulk_create(
        [
            Certificate(
                registration=registration,
                code=code,
                holder_name=registration.name,
                training_title=session.training.title,
                hours=hours,
                session_date=day,
            )
            for registration, code in zip(new, codes, strict=True)
        ]
    )
    if created and created[0].pk is None:  # back ends that return no ids
        created = list(Certificate.objects.filter(code__in=codes))
    return [*revoked, *(certificate.pk for certificate in created)]


def revoke_certificates(*, registrations: Iterable[Registration]) -> int:
    """Revoke the valid certificates of people marked absent; returns how many."""
    return Certificate.objects.filter(
        registration__in=list(registrations), revoked_at__isnull=True
    ).update(revoked_at=timezone.now())


def certificate_for_code(code: str) -> Certificate | None:
    """The certificate a typed code names, or None. Malformed codes never reach the
    database."""
    code = normalise_code(code)
    if not _CODE_SHAPE.fullmatch(code):
        return None
    found = Certificate.objects.filter(code=code).first()
    if found is None or not constant_time_compare(found.code, code):
        return None
    return found


def pdf_token(certificate: Certificate) -> str:
    return signing.dumps(certificate.code, salt=_PDF_SALT)


def certificate_for_pdf_token(token: str) -> Certificate | None:
    """The valid certificate a signed download link names; None for a forged link or a
    revoked certificate."""
    try:
        code = signing.loads(token, salt=_PDF_SALT)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if not isinstance(code, str):
        return None
    certificate = certificate_for_code(code)
    if certificate is None or certificate.revoked_at is not None:
        return None
    return certificate


def verification_url(certificate: Certificate) -> str:
    return settings.SITE_URL + reverse(
        "trainings:certificate-verify", kwargs={"code": certificate.code}
    )


def certificate_html(certificate: Certificate) -> str:
    """The printable certificate, in the active language."""
    return render_to_string(
        "trainings/certificates/certificate_pdf.html",
        {
            "certificate": certificate,
            "coalition": current_coalition(),
            "code": formatted_code(certificate.code),
            "verification_url": verification_url(certificate),
        },
    )


def certificate_pdf(certificate: Certificate) -> bytes:
    """The certificate as a PDF. The HTML loads nothing from elsewhere: its styles are
    inline and WeasyPrint is given no base URL."""
    from weasyprint import HTML

    return bytes(HTML(string=certificate_html(certificate), url_fetcher=_fetch_nothing).write_pdf())


def _fetch_nothing(url: str, *args: object, **kwargs: object) -> dict[str, object]:
    raise ValueError("certificates load nothing from elsewhere")
