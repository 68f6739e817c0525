"""Directory editing (issue 5): agencies propose changes to their listings and confirm
them still correct; coordinators review and publish. Out of scope is 404, in scope
without the right is 403."""

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.core import permissions
from concord.core.actions import perform
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.directory.forms_listings import ListingForm, RejectForm, detail_initial
from concord.directory.forms_locations import LOCATION_LABELS
from concord.directory.models import (
    LOCATION_FIELDS,
    ChangeKind,
    ChangeStatus,
    ListingChange,
    Location,
    Organization,
    Service,
    TaxonomyTerm,
)
from concord.directory.queries import (
    listing_changes_for,
    listing_organizations_for,
    listing_services_for,
    organization_of,
    stale_before,
)
from concord.directory.services import listing_details as details
from concord.directory.services import listings as services
from concord.directory.services.listing_locations import location_values


def _get_service(request: AuthenticatedRequest, pk: UUID) -> Service:
    service = get_object_or_404(listing_services_for(request.user), pk=pk)
    if not permissions.can_edit_listings(request.user, service.organization):
        raise PermissionDenied
    return service


def organization_page(
    request: AuthenticatedRequest, organization: Organization | None
) -> HttpResponse:
    """An organization's services and locations with what the person may do on them."""
    services_ = Service.objects.filter(organization=organization).order_by("name", "id")
    locations = (
        Location.objects.filter(organization=organization)
        .prefetch_related("addresses")
        .order_by("name", "id")
    )
    changes = listing_changes_for(request.user).filter(status=ChangeStatus.PENDING)
    # A coordinator's own page lists every pending change; an organization's, its own.
    if not permissions.is_coordinator(request.user) or organization is not None:
        changes = changes.filter(organization=organization)
    return render(
        request,
        "directory/listings/listing_list.html",
        {
            "organization": organization,
            "services": services_ if organization else Service.objects.none(),
            "locations": locations if organization else Location.objects.none(),
            "changes": changes,
            "stale_before": stale_before(timezone.localdate()),
            "can_edit": organization is not None
            and permissions.can_edit_listings(request.user, organization),
            "can_publish": permissions.can_publish_listings(request.user),
            "can_import": permissions.can_import_directory(request.user),
            "can_edit_any": permissions.can_edit_any_listings(request.user),
        },
    )


@login_required
@require_safe
def listing_list(request: AuthenticatedRequest) -> HttpResponse:
    return organization_page(request, organization_of(request.user))


def get_organization(request: AuthenticatedRequest, pk: UUID) -> Organization:
    organization = get_object_or_404(listing_organizations_for(request.user), pk=pk)
    if not permissions.can_edit_listings(request.user, organization):
        raise PermissionDenied
    return organization


@login_required
@require_safe
def organization_listings(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    return organization_page(request, get_organization(request, pk))


def _propose(
    request: AuthenticatedRequest, organization: Organization, service: Service | None
) -> HttpResponse:
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    current = services.current_values(service) if service is not None else {}
    form = ListingForm(request.POST or None, initial={**current, **detail_initial(current)})
    if request.method == "POST" and form.is_valid():
        values = form.values()
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.propose_change(
                    actor=request.user, organization=organization, service=service, values=values
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
        "directory/listings/listing_form.html",
        {"form": form, "service": service, "organization": organization},
    )


def result_url(request: AuthenticatedRequest, organization: Organization) -> str:
    """Where a proposal returns: the person's own listings, or the organization's page
    a coordinator chose."""
    if organization.agency_id is not None and organization.agency_id == request.user.agency_id:
        return reverse("directory:listing-list")
    return reverse("directory:organization-listings", kwargs={"pk": organization.pk})


@login_required
def listing_create(request: AuthenticatedRequest) -> HttpResponse:
    organization = organization_of(request.user)
    if organization is None or not permissions.can_edit_listings(request.user, organization):
        raise PermissionDenied
    return _propose(request, organization, None)


@login_required
def organization_service_create(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    return _propose(request, get_organization(request, pk), None)


@login_required
def listing_edit(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    service = _get_service(request, pk)
    return _propose(request, service.organization, service)


@login_required
@require_POST
def listing_verify(request: AuthenticatedRequest, pk: UUID) -> HttpResponse:
    service = _get_service(request, pk)
    perform(
        request,
        lambda: services.verify_listing(actor=request.user, service=service),
        success=_("Thank you: the listing is marked as verified today."),
    )
    return redirect("directory:listing-list")


def _get_change(request: AuthenticatedRequest, pk: int) -> ListingChange:
    change = get_object_or_404(listing_changes_for(request.user), pk=pk)
    if not permissions.can_publish_listings(request.user):
        raise PermissionDenied
    return change


def _display(values: dict[str, Any]) -> dict[str, str]:
    """A proposal's or a record's values as people read them: names, not ids."""
    shown = {name: details.as_text(name, value) for name, value in values.items()}
    ids = values.get(services.CATEGORIES) or []
    names = TaxonomyTerm.objects.filter(pk__in=ids).values_list("name", flat=True)
    shown[services.CATEGORIES] = ", ".join(sorted(names))
    languages = dict(details.language_choices())
    shown["languages"] = ", ".join(
        languages.get(code, code) for code in values.get("languages") or []
    )
    if "services" in values:
        offered = Service.objects.filter(pk__in=values["services"]).values_list("name", flat=True)
        shown["services"] = ", ".join(sorted(offered))
    if "is_confidential" in values:
        shown["is_confidential"] = _("Yes") if values["is_confidential"] else _("No")
    return shown


def _rows(change: ListingChange) -> list[dict[str, Any]]:
    if change.kind == ChangeKind.LOCATION:
        current = location_values(change.location) if change.location else {}
        names: tuple[str, ...] = LOCATION_FIELDS
        labels: dict[str, Any] = LOCATION_LABELS
    else:
        current = services.current_values(change.service) if change.service else {}
        names = services.SERVICE_VALUES
        labels = {
            **{name: field.label for name, field in ListingForm.base_fields.items()},
            "phones": LOCATION_LABELS["phones"],
            "hours": LOCATION_LABELS["hours"],
        }
    shown_current = _display(current) if current else {}
    shown_proposed = _display(change.values)
    return [
        {
            "label": labels[name],
            "current": shown_current.get(name, ""),
            "proposed": shown_proposed.get(name, ""),
            "changed": shown_current.get(name, "") != shown_proposed.get(name, ""),
        }
        for name in names
    ]


def _change_page(
    request: AuthenticatedRequest, change: ListingChange, status: int = 200, **bound: Any
) -> HttpResponse:
    context = {
        "change": change,
        "rows": _rows(change),
        "reject_form": bound.get("reject_form", RejectForm()),
        "is_pending": change.status == ChangeStatus.PENDING,
    }
    return render(request, "directory/listings/change_detail.html", context, status=status)


@login_required
@require_safe
def change_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _change_page(request, _get_change(request, pk))


@login_required
@require_POST
def change_publish(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    change = _get_change(request, pk)
    perform(
        request,
        lambda: services.publish_change(actor=request.user, change=change),
        success=_("Change published."),
    )
    return redirect("directory:listing-list")


@login_required
@require_POST
def change_reject(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    change = _get_change(request, pk)
    form = RejectForm(request.POST)
    if form.is_valid():
        try:
            services.reject_change(
                actor=request.user, change=change, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Change rejected."))
            return redirect("directory:listing-list")
    return _change_page(request, change, status=400, reject_form=form)
