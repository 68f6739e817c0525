"""Coordinators' view of the directory's organizations (issue 5): choose one to propose
changes for, and link a member agency to its organization."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.agencies.models import Agency
from concord.agencies.queries import agencies_visible_to
from concord.core import permissions
from concord.core.actions import perform
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.directory.forms_locations import CreateOrganizationForm, LinkOrganizationForm
from concord.directory.models import ChangeStatus, Organization
from concord.directory.queries import stale_before
from concord.directory.services import agency_links

PAGE_SIZE = 50


@login_required
@require_safe
def organization_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_edit_any_listings(request.user):
        raise PermissionDenied
    cutoff = stale_before(timezone.localdate())
    search = request.GET.get("q", "").strip()
    organizations = Organization.objects.select_related("agency").order_by("name", "id")
    if search:
        organizations = organizations.filter(name__icontains=search)
    # Distinct counts: the two joins multiply each other's rows.
    organizations = organizations.annotate(
        pending_count=Count(
            "listing_changes",
            filter=Q(listing_changes__status=ChangeStatus.PENDING),
            distinct=True,
        ),
        stale_count=Count(
            "services",
            filter=Q(services__assured_date__isnull=True) | Q(services__assured_date__lt=cutoff),
            distinct=True,
        ),
    )
    page = Paginator(organizations, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "directory/listings/organization_list.html",
        {
            "page": page,
            "search": search,
            "unlinked_agencies": Agency.objects.active()
            .filter(organization__isnull=True)
            .order_by("name"),
        },
    )


def _get_agency(request: AuthenticatedRequest, pk: int) -> Agency:
    agency = get_object_or_404(agencies_visible_to(request.user), pk=pk)
    if not permissions.can_link_organizations(request.user):
        raise PermissionDenied
    return agency


@login_required
def agency_organization(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Link the agency to an organization not linked yet, or create one from the agency."""
    agency = _get_agency(request, pk)
    linked = Organization.objects.filter(agency=agency).first()
    creating = "create" in request.POST
    data = request.POST if request.method == "POST" else None
    link_form = LinkOrganizationForm(data if not creating else None, prefix="link")
    create_form = CreateOrganizationForm(
        data if creating else None,
        prefix="create",
        initial={
            "name": agency.name,
            "website": agency.website,
            "description": agency.service_area,
        },
    )
    form = create_form if creating else link_form
    if data is not None and linked is None and form.is_valid():
        try:
            if creating:
                agency_links.create_organization(
                    actor=request.user, agency=agency, **form.cleaned_data
                )
            else:
                agency_links.link_organization(
                    actor=request.user,
                    agency=agency,
                    organization=form.cleaned_data["organization"],
                )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The agency is linked to its organization."))
            return redirect("directory:agency-organization", pk=agency.pk)
    return render(
        request,
        "directory/listings/agency_organization.html",
        {"agency": agency, "linked": linked, "link_form": link_form, "create_form": create_form},
    )


@login_required
@require_POST
def agency_organization_unlink(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    perform(
        request,
        lambda: agency_links.unlink_organization(actor=request.user, agency=agency),
        success=_("The agency is no longer linked to the organization."),
    )
    return redirect("directory:agency-organization", pk=agency.pk)
