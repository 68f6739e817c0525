"""Signed links that give a requester (who may have no account) their request.

A link carries the request's ``public_id`` and ``access_key``, signed and timestamped;
neither is personal data, so links may sit in a URL. Rotating the key revokes every link
sent so far.
"""

import datetime
import enum

from django.core import signing
from django.utils.crypto import constant_time_compare

from concord.assistance.models import AssistanceRequest


class Purpose(enum.StrEnum):
    CONFIRM = "concord.assistance.confirm"
    STATUS = "concord.assistance.status"


LIFETIMES = {
    Purpose.CONFIRM: datetime.timedelta(days=7),
    # A request may take months; the link to follow it lasts a year.
    Purpose.STATUS: datetime.timedelta(days=365),
}


class LinkExpiredError(Exception):
    """The link was genuine but is older than its lifetime."""


def make_token(request: AssistanceRequest, purpose: Purpose) -> str:
    return signing.dumps([str(request.public_id), request.access_key], salt=purpose.value)


def request_for_token(token: str, purpose: Purpose) -> AssistanceRequest | None:
    """The request a link opens; None for a forged or revoked one. Raises
    LinkExpiredError for a genuine one past its lifetime."""
    try:
        public_id, key = signing.loads(token, salt=purpose.value, max_age=LIFETIMES[purpose])
    except signing.SignatureExpired:
        raise LinkExpiredError from None
    except (signing.BadSignature, ValueError, TypeError):
        return None
    request = AssistanceRequest.objects.filter(public_id=str(public_id)).first()
    if request is None or not constant_time_compare(request.access_key, str(key)):
        return None
    return request
