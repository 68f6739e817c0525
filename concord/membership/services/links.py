"""Signed links that give an applicant (who has no account) their application back.

A link carries the application's reference and its access key, signed and timestamped:
it expires after 30 days, and rotating the key revokes every link sent so far. Neither
part is personal data, so the links may sit in a URL.
"""

import datetime
import enum

from django.core import signing
from django.utils.crypto import constant_time_compare

from concord.membership.models import Application

LINK_LIFETIME = datetime.timedelta(days=30)


class Purpose(enum.StrEnum):
    ACCESS = "concord.membership.access"
    CONFIRM = "concord.membership.confirm"


class LinkExpiredError(Exception):
    """The link was genuine but is older than ``LINK_LIFETIME``."""


def make_token(application: Application, purpose: Purpose) -> str:
    return signing.dumps([application.reference, application.access_key], salt=purpose.value)


def application_for_token(token: str, purpose: Purpose) -> Application | None:
    """The application a link opens; None for a forged or revoked one.

    Raises LinkExpiredError for a genuine link past its lifetime, so the page can offer a new
    one instead of a bare "not found"."""
    try:
        reference, key = signing.loads(token, salt=purpose.value, max_age=LINK_LIFETIME)
    except signing.SignatureExpired:
        raise LinkExpiredError from None
    except (signing.BadSignature, ValueError, TypeError):
        return None
    application = Application.objects.filter(reference=str(reference)).first()
    if application is None or not constant_time_compare(application.access_key, str(key)):
        return None
    return application


def holds_key(application: Application, key: object) -> bool:
    return isinstance(key, str) and constant_time_compare(application.access_key, key)
