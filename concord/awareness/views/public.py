"""The public awareness pages: campaigns, activities and the materials library, with the
download of a material. Members-only items send the public to the login page."""

from django.contrib.auth.views import redirect_to_login
from django.db.models import Model
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from concord.awareness import queries
from concord.awareness.forms import MaterialFilterForm
from concord.awareness.models import Activity, Campaign, Material
from concord.core.permissions import can_manage_awareness, can_see_awareness_item


def _refusal(request: HttpRequest, item: Model) -> HttpResponse | None:
    """None when the viewer may see the item. Members-only items ask the public to sign
    in; anyone else gets a plain 404."""
    if can_see_awareness_item(request.user, item):
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    raise Http404


@require_safe
def awareness_index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "awareness/awareness_index.html",
        {
            "campaigns": list(queries.current_and_upcoming_campaigns(request.user)),
            "activities": queries.upcoming_activities(request.user, limit=20),
            "can_manage": can_manage_awareness(request.user),
        },
    )


@require_safe
def campaign_detail(request: HttpRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    if refusal := _refusal(request, campaign):
        return refusal
    return render(
        request,
        "awareness/campaign_detail.html",
        {
            "campaign": campaign,
            "activities": queries.campaign_activities(campaign, request.user),
            "materials": queries.campaign_materials(campaign, request.user),
            "can_manage": can_manage_awareness(request.user),
        },
    )


@require_safe
def activity_detail(request: HttpRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("campaign"), pk=pk)
    if refusal := _refusal(request, activity):
        return refusal
    campaign = activity.campaign
    if campaign is not None and not can_see_awareness_item(request.user, campaign):
        campaign = None
    can_manage = can_manage_awareness(request.user)
    return render(
        request,
        "awareness/activity_detail.html",
        {
            "activity": activity,
            "campaign": campaign,
            "distributions": queries.activity_distributions(activity) if can_manage else [],
            "can_manage": can_manage,
        },
    )


@require_safe
def material_list(request: HttpRequest) -> HttpResponse:
    form = MaterialFilterForm(request.GET or None)
    language = audience = ""
    if form.is_valid():
        language = form.cleaned_data["language"]
        audience = form.cleaned_data["audience"]
    materials = queries.material_filter(
        queries.materials_visible_to(request.user), language=language, audience=audience
    ).order_by("title", "pk")
    return render(
        request,
        "awareness/material_list.html",
        {
            "form": form,
            "materials": list(materials),
            "filtered": bool(language or audience),
            "can_manage": can_manage_awareness(request.user),
        },
    )


@require_safe
def material_download(request: HttpRequest, pk: int) -> HttpResponse:
    """The material's file as an attachment, named after its title, with the type told by
    its content when it was uploaded."""
    material = get_object_or_404(Material, pk=pk)
    if refusal := _refusal(request, material):
        return refusal
    if not material.file:
        raise Http404
    with material.file.open("rb") as stored:
        content = stored.read()
    response = HttpResponse(content, content_type=material.content_type)
    name = slugify(material.title)[:80] or "material"
    response["Content-Disposition"] = f'attachment; filename="{name}.{material.extension}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


urls: list[URLPattern] = [
    path("awareness/", awareness_index, name="index"),
    path("awareness/campaigns/<int:pk>/", campaign_detail, name="campaign-detail"),
    path("awareness/activities/<int:pk>/", activity_detail, name="activity-detail"),
    path("awareness/materials/", material_list, name="material-list"),
    path("awareness/materials/<int:pk>/download/", material_download, name="material-download"),
]
