"""The coordinators' awareness pages: campaigns, activities with their reach, materials
(upload, replace, retire) and the figures over a period."""

import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.awareness import queries, services
from concord.awareness.forms import (
    ActivityCreateForm,
    ActivityForm,
    CampaignCreateForm,
    CampaignForm,
    FiguresForm,
    MaterialCreateForm,
    MaterialForm,
    distribution_formset,
)
from concord.awareness.models import Activity, Campaign, Material
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.permissions import can_manage_awareness
from concord.core.submissions import create_once, earlier_submission_url


def _require_manager(request: AuthenticatedRequest) -> None:
    if not can_manage_awareness(request.user):
        raise PermissionDenied


@login_required
@require_safe
def awareness_manage(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    return render(
        request,
        "awareness/awareness_manage.html",
        {
            "campaigns": list(Campaign.objects.order_by("-starts_on", "title")),
            "activities": list(
                Activity.objects.select_related("campaign").order_by("-starts_at", "pk")[:200]
            ),
            "materials": list(Material.objects.order_by("retired_at", "title", "pk")),
        },
    )


def _campaign_form_page(
    request: AuthenticatedRequest, form: CampaignForm, campaign: Campaign | None
) -> HttpResponse:
    return render(request, "awareness/campaign_form.html", {"form": form, "campaign": campaign})


@login_required
def campaign_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = CampaignCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.save_campaign(
                    actor=request.user,
                    campaign=form.save(commit=False),
                    materials=form.cleaned_data["materials"],
                ),
                result_url=lambda campaign: campaign.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Campaign added."))
            return redirect(url)
    return _campaign_form_page(request, form, None)


@login_required
def campaign_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    campaign = get_object_or_404(Campaign, pk=pk)
    _require_manager(request)
    form = CampaignForm(request.POST or None, instance=campaign)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_campaign(
                actor=request.user,
                campaign=form.save(commit=False),
                materials=form.cleaned_data["materials"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Campaign saved."))
            return redirect(campaign)
    return _campaign_form_page(request, form, campaign)


def _save_activity(request: AuthenticatedRequest, form: ActivityForm, formset: Any) -> Activity:
    return services.save_activity(
        actor=request.user,
        activity=form.save(commit=False),
        status=form.cleaned_data["status"],
        distributions=[row for row in (line.distribution() for line in formset) if row],
    )


def _activity_form_page(
    request: AuthenticatedRequest, form: ActivityForm, formset: Any, activity: Activity | None
) -> HttpResponse:
    return render(
        request,
        "awareness/activity_form.html",
        {"form": form, "formset": formset, "activity": activity},
    )


def _initial_campaign(request: AuthenticatedRequest) -> dict[str, Any]:
    campaign = request.GET.get("campaign", "")
    return {"campaign": int(campaign)} if campaign.isdigit() else {}


@login_required
def activity_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = ActivityCreateForm(request.POST or None, initial=_initial_campaign(request))
    formset = distribution_formset(request.POST or None, None)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: _save_activity(request, form, formset),
                result_url=lambda activity: activity.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activity added."))
            return redirect(url)
    return _activity_form_page(request, form, formset, None)


@login_required
def activity_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity, pk=pk)
    _require_manager(request)
    form = ActivityForm(request.POST or None, instance=activity)
    formset = distribution_formset(request.POST or None, activity)
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            _save_activity(request, form, formset)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Activity saved."))
            return redirect(activity)
    return _activity_form_page(request, form, formset, activity)


def _material_form_page(
    request: AuthenticatedRequest, form: MaterialForm, material: Material | None
) -> HttpResponse:
    return render(request, "awareness/material_form.html", {"form": form, "material": material})


@login_required
def material_create(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = MaterialCreateForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.save_material(
                    actor=request.user,
                    material=form.save(commit=False),
                    upload=form.cleaned_data["upload"],
                ),
                result_url=lambda material: _manage_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Material added to the library."))
            return redirect(url)
    return _material_form_page(request, form, None)


def _manage_url() -> str:
    return reverse("awareness:manage")


@login_required
def material_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material, pk=pk)
    _require_manager(request)
    form = MaterialForm(request.POST or None, request.FILES or None, instance=material)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_material(
                actor=request.user,
                material=form.save(commit=False),
                upload=form.cleaned_data.get("upload"),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Material saved."))
            return redirect("awareness:manage")
    return _material_form_page(request, form, material)


@login_required
@require_POST
def material_retire(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    material = get_object_or_404(Material, pk=pk)
    _require_manager(request)
    if material.is_retired:
        services.restore_material(actor=request.user, material=material)
        messages.success(request, _("Material back in the library."))
    else:
        services.retire_material(actor=request.user, material=material)
        messages.success(request, _("Material retired: it is no longer in the library."))
    return redirect("awareness:manage")


@login_required
@require_safe
def awareness_figures(request: AuthenticatedRequest) -> HttpResponse:
    _require_manager(request)
    today = timezone.localdate()
    default = {"start": datetime.date(today.year, 1, 1), "end": today}
    form = FiguresForm(request.GET or default)
    figures = None
    if form.is_valid():
        figures = queries.awareness_figures(form.cleaned_data["start"], form.cleaned_data["end"])
    return render(request, "awareness/awareness_figures.html", {"form": form, "figures": figures})


urls: list[URLPattern] = [
    path("awareness/manage/", awareness_manage, name="manage"),
    path("awareness/figures/", awareness_figures, name="figures"),
    path("awareness/campaigns/new/", campaign_create, name="campaign-create"),
    path("awareness/campaigns/<int:pk>/edit/", campaign_edit, name="campaign-edit"),
    path("awareness/activities/new/", activity_create, name="activity-create"),
    path("awareness/activities/<int:pk>/edit/", activity_edit, name="activity-edit"),
    path("awareness/materials/new/", material_create, name="material-create"),
    path("awareness/materials/<int:pk>/edit/", material_edit, name="material-edit"),
    path("awareness/materials/<int:pk>/retire/", material_retire, name="material-retire"),
]
