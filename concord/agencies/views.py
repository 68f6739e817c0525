from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.agencies import services
from concord.agencies.forms import AgencyCreateForm, AgencyForm, AgencySearchForm, AgencyStatusForm
from concord.agencies.models import Agency
from concord.agencies.queries import agencies_visible_to, agency_directory
from concord.core import permissions
from concord.core.actions import perform
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.membership.services.upkeep import current_term

PAGE_SIZE = 25


def _get_agency(request: AuthenticatedRequest, pk: int) -> Agency:
    return get_object_or_404(agencies_visible_to(request.user), pk=pk)


@login_required
def agency_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_manage_agencies(request.user):
        raise PermissionDenied
    search = AgencySearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    agencies = agency_directory(search=filters.get("q", ""), status=filters.get("status", ""))
    page = Paginator(agencies, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "agencies/agency_list.html", {"page": page, "search": search})


@login_required
def agency_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_manage_agencies(request.user):
        raise PermissionDenied
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = AgencyCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        url = create_once(
            token=form.cleaned_data["submission_token"],
            user=request.user,
            create=lambda: services.create_agency(actor=request.user, values=form.cleaned_data),
            result_url=lambda agency: agency.get_absolute_url(),
        )
        messages.success(request, _("Agency added."))
        return redirect(url)
    return render(request, "agencies/agency_form.html", {"form": form, "agency": None})


@login_required
@require_safe
def agency_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    if not permissions.can_view_agency(request.user, agency):
        raise PermissionDenied
    people = agency.people.filter(is_active=True).order_by("agency_role", "full_name")
    return render(
        request,
        "agencies/agency_detail.html",
        {
            "agency": agency,
            "people": people,
            "can_edit": permissions.can_edit_agency(request.user, agency),
            "can_change_status": permissions.can_change_agency_status(request.user, agency),
            "status_form": AgencyStatusForm(initial={"status": agency.status}),
            "can_invite": permissions.can_manage_people(request.user),
            "term": current_term(agency),
            # The renewal page works on the signed-in person's own agency.
            "can_renew": request.user.agency_id == agency.pk
            and permissions.can_renew_membership(request.user, agency),
        },
    )


@login_required
def agency_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    if not permissions.can_edit_agency(request.user, agency):
        raise PermissionDenied
    form = AgencyForm(request.POST or None, instance=Agency.objects.get(pk=agency.pk))
    if request.method == "POST" and form.is_valid():
        services.update_agency(actor=request.user, agency=agency, values=form.cleaned_data)
        messages.success(request, _("Agency saved."))
        return redirect(agency)
    return render(request, "agencies/agency_form.html", {"form": form, "agency": agency})


@login_required
@require_POST
def agency_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    agency = _get_agency(request, pk)
    if not permissions.can_change_agency_status(request.user, agency):
        raise PermissionDenied
    form = AgencyStatusForm(request.POST)
    if form.is_valid():
        perform(
            request,
            lambda: services.change_agency_status(
                actor=request.user, agency=agency, status=form.cleaned_data["status"]
            ),
            success=_("Status changed."),
        )
    else:
        messages.error(request, _("Choose a valid status."))
    return redirect(agency)
