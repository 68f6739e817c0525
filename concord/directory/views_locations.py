"""Location editing (issue 5): an organization's people, or a coordinator, propose a new
or changed location; it is reviewed like any listing change. Out of scope is 404, in
scope without the right is 403."""

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from concord.core import permissions
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.directory.forms_listings import detail_initial
from concord.directory.forms_locations import LocationForm
from concord.directory.models import Location, Organization
from concord.directory.queries import listing_locations_for
from concord.directory.services.listing_locations import location_values, propose_location_change
from concord.directory.views_listings import get_organization, result_url


def _propose(
    request: AuthenticatedRequest, organization: Organization, location: Location | None
) -> HttpResponse:
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    current = location_values(location) if location is not None else {}
    form = LocationForm(
        request.POST or None,
        organization=organization,
        initial={**current, **detail_initial(current)},
    )
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: propose_location_change(
                    actor=request.user,
                    organization=organization,
                    location=location,
                    values=values,
                ),
                result_url=lambda _change: result_url(request, organization),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Change sent for review."))
            return redirect(url)
    return render(
        request,
        "directory/listings/location_form.html",
        {"form": form, "location": location, "organization": organization},
    )


@login_required
def location_create(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    return _propose(request, get_organization(request, pk), None)


@login_required
def location_edit(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    location = get_object_or_404(listing_locations_for(request.user), pk=pk)
    organization = location.organization
    if organization is None or not permissions.can_edit_listings(request.user, organization):
        raise PermissionDenied
    return _propose(request, organization, location)
