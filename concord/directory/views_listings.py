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
from concord.directory.forms_listings import ListingForm, RejectForm
from concord.directory.models import (
    EDITABLE_FIELDS,
    ChangeStatus,
    ListingChange,
    Organization,
    Service,
    TaxonomyTerm,
)
from concord.directory.queries import (
    listing_changes_for,
    listing_services_for,
    organization_of,
    stale_before,
)
from concord.directory.services import listings as services


def _get_service(request: AuthenticatedRequest, pk: UUID) -> Service:
    service = get_object_or_404(listing_services_for(request.user), pk=pk)
    if not permissions.can_edit_listings(request.user, service.organization):
        raise PermissionDenied
    return service


@login_required
@require_safe
def listing_list(request: AuthenticatedRequest) -> HttpResponse:
    organization = organization_of(request.user)
    services_ = (
        Service.objects.filter(organization=organization).order_by("name", "id")
        if organization is not None
        else Service.objects.none()
    )
    changes = listing_changes_for(request.user).filter(status=ChangeStatus.PENDING)
    if not permissions.is_coordinator(request.user):
        changes = changes.filter(organization=organization)
    return render(
        request,
        "directory/listings/listing_list.html",
        {
            "organization": organization,
            "services": services_,
            "changes": changes,
            "stale_before": stale_before(timezone.localdate()),
            "can_edit": organization is not None
            and permissions.can_edit_listings(request.user, organization),
            "can_publish": permissions.can_publish_listings(request.user),
        },
    )


def _propose(
    request: AuthenticatedRequest, organization: Organization, service: Service | None
) -> HttpResponse:
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    initial = services.current_values(service) if service is not None else {}
    form = ListingForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in (*EDITABLE_FIELDS, "categories")}
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.propose_change(
                    actor=request.user, organization=organization, service=service, values=values
                ),
                result_url=lambda _change: reverse("directory:listing-list"),
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


@login_required
def listing_create(request: AuthenticatedRequest) -> HttpResponse:
    organization = organization_of(request.user)
    if organization is None or not permissions.can_edit_listings(request.user, organization):
        raise PermissionDenied
    return _propose(request, organization, None)


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


def _category_names(values: dict[str, Any]) -> dict[str, str]:
    """The category term ids of ``values`` as their names, for people to compare."""
    ids = values.get(services.CATEGORIES) or []
    names = TaxonomyTerm.objects.filter(pk__in=ids).values_list("name", flat=True)
    return {services.CATEGORIES: ", ".join(sorted(names))}


def _change_page(
    request: AuthenticatedRequest, change: ListingChange, status: int = 200, **bound: Any
) -> HttpResponse:
    current = services.current_values(change.service) if change.service else {}
    labels = {name: field.label for name, field in ListingForm.base_fields.items()}
    current = {**current, **_category_names(current)}
    proposed = {**change.values, **_category_names(change.values)}
    rows = [
        {
            "label": labels[name],
            "current": current.get(name),
            "proposed": proposed.get(name),
            "changed": current.get(name) != proposed.get(name),
        }
        for name in (*EDITABLE_FIELDS, services.CATEGORIES)
    ]
    context = {
        "change": change,
        "rows": rows,
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
