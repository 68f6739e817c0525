from allauth.mfa.models import Authenticator
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from concord.accounts import services
from concord.accounts.forms import PersonForm, PersonInviteForm, PersonSearchForm
from concord.accounts.models import User
from concord.accounts.queries import people_directory, people_visible_to
from concord.core import permissions
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.membership.queries import due_soon

PAGE_SIZE = 25
# Applications due soon on the dashboard; the queue lists them all.
DUE_SHOWN = 10


def _get_person(request: AuthenticatedRequest, pk: int) -> User:
    return get_object_or_404(people_visible_to(request.user), pk=pk)


@login_required
@require_safe
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    colleagues = (
        people_visible_to(user).exclude(pk=user.pk) if user.agency_id else User.objects.none()
    )
    can_review = permissions.can_review_applications(user)
    due = due_soon().select_related("agency") if can_review else None
    return render(
        request,
        "accounts/dashboard.html",
        {
            "colleagues": colleagues,
            "is_coordinator": permissions.is_coordinator(user),
            "can_review_applications": can_review,
            # The first few only: the queue has them all, sorted the same way.
            "due_applications": due[:DUE_SHOWN] if due is not None else [],
            "due_count": due.count() if due is not None else 0,
            "has_second_factor": Authenticator.objects.filter(user=user).exists(),
        },
    )


@login_required
def person_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_manage_people(request.user):
        raise PermissionDenied
    search = PersonSearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "") if search.is_valid() else ""
    page = Paginator(people_directory(search=query), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "accounts/person_list.html", {"page": page, "search": search})


@sensitive_post_parameters("email", "full_name")
@login_required
def person_invite(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_manage_people(request.user):
        raise PermissionDenied
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = PersonInviteForm(request.POST or None, initial=_initial_from_query(request))
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        try:
            url = create_once(
                token=values["submission_token"],
                user=request.user,
                create=lambda: services.invite_person(
                    actor=request.user, email=values["email"], values=values
                ),
                result_url=lambda person: person.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Account created. An invitation is on its way."))
            return redirect(url)
    return render(request, "accounts/person_form.html", {"form": form, "person": None})


def _initial_from_query(request: HttpRequest) -> dict[str, str]:
    agency = request.GET.get("agency", "")
    return {"agency": agency} if agency.isdigit() else {}


@login_required
@require_safe
def person_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = _get_person(request, pk)
    if not permissions.can_view_person(request.user, person):
        raise PermissionDenied
    return render(
        request,
        "accounts/person_detail.html",
        {
            "person": person,
            "can_edit": permissions.can_edit_person(request.user, person),
            "can_deactivate": permissions.can_deactivate_person(request.user, person),
        },
    )


@sensitive_post_parameters("full_name", "job_title")
@login_required
def person_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = _get_person(request, pk)
    if not permissions.can_edit_person(request.user, person):
        raise PermissionDenied
    form = PersonForm(request.POST or None, instance=User.objects.get(pk=person.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_person(actor=request.user, person=person, values=form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("accounts:person-detail", pk=person.pk)
    return render(request, "accounts/person_form.html", {"form": form, "person": person})


@login_required
@require_POST
def person_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = _get_person(request, pk)
    if not permissions.can_deactivate_person(request.user, person):
        raise PermissionDenied
    try:
        if request.POST.get("active") == "1":
            services.reactivate_person(actor=request.user, person=person)
            messages.success(request, _("Account reactivated."))
        else:
            services.deactivate_person(actor=request.user, person=person)
            messages.success(request, _("Account deactivated. Its sessions have ended."))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("accounts:person-detail", pk=person.pk)
