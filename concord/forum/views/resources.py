"""The resource library: searchable by everyone for public resources, by members for the
rest; coordinators add, edit and remove resources."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from concord.core import permissions
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.forum import queries
from concord.forum.forms import ResourceCreateForm, ResourceForm, ResourceSearchForm
from concord.forum.models import Resource
from concord.forum.services import resources as services

RESOURCES_PER_PAGE = 25


@require_safe
def resource_list(request: HttpRequest) -> HttpResponse:
    search = ResourceSearchForm(request.GET or None)
    filters = search.cleaned_data if search.is_valid() else {}
    resources = queries.search_resources(
        request.user,
        words=filters.get("q", ""),
        kind=filters.get("kind", ""),
        audience=filters.get("audience", ""),
        language=filters.get("language", ""),
    )
    page = Paginator(resources, RESOURCES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "forum/resources/resource_list.html",
        {
            "search": search,
            "page": page,
            "can_manage": permissions.can_manage_resources(request.user),
            "is_member": permissions.is_member(request.user),
        },
    )


def _require_manager(request: AuthenticatedRequest) -> None:
    if not permissions.can_manage_resources(request.user):
        raise PermissionDenied


@login_required
def resource_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = ResourceCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.create_resource(
                    actor=request.user, values=form.cleaned_data
                ),
                result_url=lambda resource: reverse("forum:resource-list"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Resource added."))
            return redirect(url)
    return render(request, "forum/resources/resource_form.html", {"form": form})


@login_required
def resource_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    resource = get_object_or_404(Resource.objects.select_related("document", "thread"), pk=pk)
    form = ResourceForm(request.POST or None, instance=resource)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_resource(
                actor=request.user, resource=resource, values=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Resource saved."))
            return redirect("forum:resource-list")
    return render(
        request, "forum/resources/resource_form.html", {"form": form, "resource": resource}
    )


@login_required
def resource_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require_manager(request)
    resource = get_object_or_404(Resource.objects.select_related("thread"), pk=pk)
    if request.method == "POST":
        services.remove_resource(actor=request.user, resource=resource)
        messages.success(request, _("Resource removed from the library."))
        return redirect("forum:resource-list")
    return render(request, "forum/resources/resource_delete.html", {"resource": resource})


urls: list[URLPattern] = [
    path("resources/", resource_list, name="resource-list"),
    path("resources/new/", resource_create, name="resource-create"),
    path("resources/<int:pk>/edit/", resource_edit, name="resource-edit"),
    path("resources/<int:pk>/delete/", resource_delete, name="resource-delete"),
]
