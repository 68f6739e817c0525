"""The review side of membership applications: the queue, an application and its
decision, the export, the figures, the reviewers and the decision emails."""

import csv
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.audit.services import record_event
from concord.core import permissions
from concord.core.actions import perform
from concord.core.exports import neutralise
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.membership.emails import PLACEHOLDERS
from concord.membership.forms.review import (
    AcceptForm,
    CommentForm,
    DecisionTemplateForm,
    DeclineForm,
    InformationRequestForm,
    QueueFilterForm,
    ReviewerForm,
)
from concord.membership.models import TRANSITIONS, Application, DecisionTemplate, Reviewer
from concord.membership.queries import (
    applications_for_export,
    applications_visible_to,
    figures,
    linkable_agencies,
    possible_duplicates,
    review_queue,
)
from concord.membership.services import review as services

PAGE_SIZE = 25


def _get_application(request: AuthenticatedRequest, pk: int) -> Application:
    return get_object_or_404(applications_visible_to(request.user), pk=pk)


def _detail(
    request: AuthenticatedRequest, application: Application, status: int = 200, **bound: Any
) -> HttpResponse:
    """The application page; ``bound`` replaces a blank form with the one just sent, so
    its errors show and nothing typed is lost."""
    forms_: dict[str, forms.Form] = {
        "comment_form": CommentForm(prefix="comment"),
        "accept_form": AcceptForm(prefix="accept", agencies=linkable_agencies(application)),
        "decline_form": DeclineForm(prefix="decline"),
        "info_form": InformationRequestForm(prefix="info"),
        **bound,
    }
    context = {
        "application": application,
        "statements": application.value_statements.all(),
        "committees": application.committees.all(),
        "duplicates": possible_duplicates(application),
        "history": application.status_changes.select_related("actor"),
        "comments": application.comments.select_related("author"),
        "can_comment": permissions.can_comment_on_application(request.user, application),
        "can_decide": permissions.can_decide_application(request.user, application),
        "next_statuses": TRANSITIONS[application.status],
        **forms_,
    }
    return render(request, "membership/review/application_detail.html", context, status=status)


def _refuse_decision(request: AuthenticatedRequest, application: Application) -> HttpResponse:
    """Reviewers may not decide (403). A coordinator who finds the application decided
    already, by a second click or a colleague, is told so."""
    if not permissions.is_coordinator(request.user):
        raise PermissionDenied
    messages.info(
        request,
        _("This application was already decided: it is %(status)s.")
        % {"status": application.get_status_display().lower()},
    )
    return redirect(application)


@login_required
@require_safe
def application_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_review_applications(request.user):
        raise PermissionDenied
    search = QueueFilterForm(request.GET or None)
    status = search.cleaned_data["status"] if search.is_valid() else ""
    page = Paginator(review_queue(status=status), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "membership/review/application_list.html",
        {
            "page": page,
            "search": search,
            "status": status,
            "can_export": permissions.can_export_applications(request.user),
            "can_manage": permissions.can_manage_reviewers(request.user),
        },
    )


@login_required
@require_safe
def application_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _detail(request, _get_application(request, pk))


@login_required
@require_POST
def application_comment(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    application = _get_application(request, pk)
    if not permissions.can_comment_on_application(request.user, application):
        raise PermissionDenied
    form = CommentForm(request.POST, prefix="comment")
    if form.is_valid():
        try:
            services.add_comment(actor=request.user, application=application, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Comment added."))
            return redirect(application)
    return _detail(request, application, status=400, comment_form=form)


def _decide(
    request: AuthenticatedRequest,
    pk: int,
    *,
    make_form: Callable[[Application], forms.Form],
    decide: Callable[[Application, dict[str, Any]], object],
    success: str,
) -> HttpResponse:
    """The three decisions: a coordinator's form, one service call, the page again with
    the typed text and the refusal when the service says no."""
    application = _get_application(request, pk)
    if not permissions.can_decide_application(request.user, application):
        return _refuse_decision(request, application)
    form = make_form(application)
    if form.is_valid():
        try:
            decide(application, form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, success)
            return redirect(application)
    return _detail(request, application, status=400, **{f"{form.prefix}_form": form})


@login_required
@require_POST
def application_accept(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        make_form=lambda application: AcceptForm(
            request.POST, prefix="accept", agencies=linkable_agencies(application)
        ),
        decide=lambda application, values: services.accept_application(
            actor=request.user, application=application, link_to=values.get("agency")
        ),
        success=_("Application accepted. The applicant will be told."),
    )


@login_required
@require_POST
def application_decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        make_form=lambda application: DeclineForm(request.POST, prefix="decline"),
        decide=lambda application, values: services.decline_application(
            actor=request.user, application=application, reason=values["reason"]
        ),
        success=_("Application declined. The applicant will be told."),
    )


@login_required
@require_POST
def application_request_info(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(
        request,
        pk,
        make_form=lambda application: InformationRequestForm(request.POST, prefix="info"),
        decide=lambda application, values: services.request_information(
            actor=request.user, application=application, **values
        ),
        success=_("Information requested. The applicant will be told."),
    )


@login_required
@require_safe
def application_export(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_export_applications(request.user):
        raise PermissionDenied
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="applications.csv"'
    writer = csv.writer(response)
    writer.writerow(
        [
            _("Reference"),
            _("Kind"),
            _("Status"),
            _("Agency"),
            _("Sector"),
            _("Confirmed"),
            _("Decide by"),
            _("Decided"),
            _("Hours a month"),
            _("Primary representative"),
            _("Email address"),
        ]
    )
    count = 0
    for application in applications_for_export():
        writer.writerow([neutralise(value) for value in _export_row(application)])
        count += 1
    record_event(actor=request.user, action="concord.application.exported", data={"rows": count})
    return response


def _export_row(application: Application) -> list[object]:
    def day(value: Any) -> str:
        return value.date().isoformat() if value else ""

    return [
        application.reference,
        application.get_kind_display(),
        application.get_status_display(),
        application.legal_name,
        application.get_sector_display(),
        day(application.confirmed_at),
        application.decide_by.isoformat() if application.decide_by else "",
        day(application.decided_at),
        application.hours_per_month,
        application.primary_name,
        application.primary_email,
    ]


@login_required
@require_safe
def application_figures(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_see_application_figures(request.user):
        raise PermissionDenied
    numbers = figures()
    rate = numbers.acceptance_rate
    return render(
        request,
        "membership/review/application_figures.html",
        {"figures": numbers, "rate": None if rate is None else round(rate * 100)},
    )


@login_required
def reviewer_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_manage_reviewers(request.user):
        raise PermissionDenied
    form = ReviewerForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.add_reviewer(actor=request.user, person=form.cleaned_data["person"])
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Reviewer added."))
            return redirect("membership:reviewer-list")
    reviewers = Reviewer.objects.select_related("person__agency").order_by("person__full_name")
    return render(
        request,
        "membership/review/reviewer_list.html",
        {"reviewers": reviewers, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def reviewer_remove(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not permissions.can_manage_reviewers(request.user):
        raise PermissionDenied
    reviewer = get_object_or_404(Reviewer, pk=pk)
    perform(
        request,
        lambda: services.remove_reviewer(actor=request.user, reviewer=reviewer),
        success=_("Reviewer removed."),
    )
    return redirect("membership:reviewer-list")


@login_required
@require_safe
def decision_template_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_edit_decision_templates(request.user):
        raise PermissionDenied
    return render(
        request,
        "membership/review/decision_template_list.html",
        {"templates": DecisionTemplate.objects.all()},
    )


@login_required
def decision_template_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    if not permissions.can_edit_decision_templates(request.user):
        raise PermissionDenied
    template = get_object_or_404(DecisionTemplate, pk=pk)
    form = DecisionTemplateForm(request.POST or None, instance=DecisionTemplate.objects.get(pk=pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_decision_template(
                actor=request.user, template=template, values=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Email saved."))
            return redirect("membership:decision-template-list")
    return render(
        request,
        "membership/review/decision_template_form.html",
        {
            "template": template,
            "form": form,
            "placeholders": [f"{{{name}}}" for name in PLACEHOLDERS],
        },
    )


urls: list[URLPattern] = [
    path("manage/applications/", application_list, name="application-list"),
    path("manage/applications/export.csv", application_export, name="application-export"),
    path("manage/applications/figures/", application_figures, name="application-figures"),
    path("manage/applications/reviewers/", reviewer_list, name="reviewer-list"),
    path("manage/applications/reviewers/<int:pk>/remove/", reviewer_remove, name="reviewer-remove"),
    path("manage/applications/templates/", decision_template_list, name="decision-template-list"),
    path(
        "manage/applications/templates/<int:pk>/",
        decision_template_edit,
        name="decision-template-edit",
    ),
    path("manage/applications/<int:pk>/", application_detail, name="application-detail"),
    path("manage/applications/<int:pk>/comment/", application_comment, name="application-comment"),
    path("manage/applications/<int:pk>/accept/", application_accept, name="application-accept"),
    path("manage/applications/<int:pk>/decline/", application_decline, name="application-decline"),
    path(
        "manage/applications/<int:pk>/request-info/",
        application_request_info,
        name="application-request-info",
    ),
]
