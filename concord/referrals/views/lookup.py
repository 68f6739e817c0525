"""The one place referral pages find a referral and refuse: out of reach is 404, in reach
without the right is 403, and every refusal is logged (SECURITY.md rule 1) with ids and
the page's name only, never a value of the referral."""

import logging
import uuid
from typing import NoReturn

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from concord.referrals.models import Referral
from concord.referrals.queries import referrals_in_reach

logger = logging.getLogger("concord.security")


def refuse(request: HttpRequest, status: int) -> NoReturn:
    """Log the refused attempt, then refuse it: 403 or 404."""
    user = request.user
    match = request.resolver_match
    logger.warning(
        "refused %s %s status=%s user=%s agency=%s",
        request.method,
        match.view_name if match else "-",
        status,
        getattr(user, "pk", None),
        getattr(user, "agency_id", None),
    )
    if status == 404:
        raise Http404
    raise PermissionDenied


def get_referral(request: HttpRequest, public_id: uuid.UUID) -> Referral:
    """The referral named in the URL, if the user's agency is one of its two (or the user
    is a coordinator); the caller then asks a predicate."""
    referral = (
        referrals_in_reach(request.user)
        .select_related("service", "sending_agency", "receiving_agency", "consent", "sender")
        .filter(public_id=public_id)
        .first()
    )
    if referral is None:
        refuse(request, 404)
    return referral
