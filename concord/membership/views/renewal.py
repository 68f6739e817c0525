"""Renewal: the primary representative sees the agency's term and participation, then
opens the renewal form, pre-filled, in the same wizard new applicants use."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from concord.agencies.models import Agency
from concord.core.http import AuthenticatedRequest
from concord.core.permissions import can_renew_membership
from concord.meetings.queries_participation import (
    coalition_meetings_held,
    commitment_of,
    participation,
)
from concord.membership.models import Step
from concord.membership.services import applicant, upkeep
from concord.membership.views.applicant_access import bind_application


def _renewing_agency(request: AuthenticatedRequest) -> Agency:
    agency = request.user.agency
    if agency is None:
        raise Http404
    if not can_renew_membership(request.user, agency):
        raise PermissionDenied
    return agency


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def renewal_start(request: AuthenticatedRequest) -> HttpResponse:
    agency = _renewing_agency(request)
    if request.method == "POST":
        application = applicant.start_renewal(actor=request.user, agency=agency)
        bind_application(request, application)
        return redirect(reverse("membership:apply-step", args=[Step.AGENCY]))
    now = timezone.now()
    held = coalition_meetings_held(now)
    # A lapsed agency is not on the participation page; its figures are then unknown.
    figures = participation(now=now, held=held).filter(pk=agency.pk).first()
    context = {
        "agency": agency,
        "term": upkeep.current_term(agency, timezone.localdate(now)),
        "figures": figures,
        "commitment": commitment_of(figures or agency),
        "held": held,
    }
    return render(request, "membership/renewal/renewal_start.html", context)


urls: list[URLPattern] = [
    path("membership/renew/", renewal_start, name="renewal-start"),
]
