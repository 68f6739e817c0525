"""The referral role: the primary representative grants it to their agency's people,
coordinators to anyone's. People with the role must use two-factor authentication."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.accounts.models import User
from concord.core import permissions
from concord.core.http import AuthenticatedRequest
from concord.referrals.forms.roles import RoleForm
from concord.referrals.services.roles import set_referral_role
from concord.referrals.views.lookup import refuse

PAGE_SIZE = 50


def _people_in_reach(user: User) -> QuerySet[User]:
    """Coordinators reach everyone of a member agency; others their own agency's people."""
    people = User.objects.filter(is_active=True, agency__isnull=False)
    if permissions.is_coordinator(user):
        return people
    if not permissions.is_active_user(user) or user.agency_id is None:
        return people.none()
    return people.filter(agency_id=user.agency_id)


@login_required
@require_safe
def people(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_manage_referral_roles(request.user):
        refuse(request, 403)
    rows = (
        _people_in_reach(request.user)
        .select_related("agency")
        .only("id", "full_name", "email", "agency_role", "handles_referrals", "agency__name")
        .order_by("agency__name", "-handles_referrals", "full_name", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/roles/people.html",
        {"page": page, "coordinator": permissions.is_coordinator(request.user)},
    )


@login_required
@require_POST
def role_change(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    person = _people_in_reach(request.user).filter(pk=pk).first()
    if person is None:
        refuse(request, 404)
    if not permissions.can_grant_referral_role(request.user, person):
        refuse(request, 403)
    form = RoleForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose to grant or to revoke the referral role."))
        return redirect("referrals:people")
    grant = form.cleaned_data["handles_referrals"]
    set_referral_role(actor=request.user, person=person, handles_referrals=grant)
    if grant:
        messages.success(
            request,
            _(
                "%(name)s can now send and receive referrals. They will be asked to set up "
                "two-factor authentication at their next step."
            )
            % {"name": person.full_name or person.email},
        )
    else:
        messages.success(
            request,
            _("%(name)s no longer handles referrals.") % {"name": person.full_name or person.email},
        )
    return redirect("referrals:people")


urls: list[URLPattern] = [
    path("people/", people, name="people"),
    path("people/<int:pk>/role/", role_change, name="role"),
]
