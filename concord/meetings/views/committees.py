"""Committees and sub-committees: list, detail, create, edit, lifecycle and membership."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q, QuerySet
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from concord.core import permissions
from concord.core.actions import perform
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.meetings.forms.committees import (
    AddMemberForm,
    ChairForm,
    CommitteeCreateForm,
    CommitteeForm,
    CommitteeSearchForm,
    DecisionForm,
    ExtendForm,
)
from concord.meetings.forms.records import ActionItemForm
from concord.meetings.models import (
    ActionItem,
    Committee,
    CommitteeKind,
    CommitteeMembership,
    CommitteeRole,
    CommitteeStatus,
    MeetingStatus,
    MembershipStatus,
)
from concord.meetings.queries import committees_visible_to
from concord.meetings.services import committees as services
from concord.meetings.services import records as record_services

UPCOMING_MEETINGS = 10


def _get_committee(request: AuthenticatedRequest, pk: int) -> Committee:
    committee = get_object_or_404(committees_visible_to(request.user), pk=pk)
    if not permissions.can_view_committee(request.user, committee):
        raise PermissionDenied
    return committee


def _listed(committees: QuerySet[Committee]) -> QuerySet[Committee]:
    active = Q(memberships__status=MembershipStatus.ACTIVE)
    return committees.select_related("parent").annotate(
        member_count=Count("memberships", filter=active)
    )


@login_required
@require_safe
def committee_list(request: AuthenticatedRequest) -> HttpResponse:
    search = CommitteeSearchForm(request.GET or None)
    query = search.cleaned_data.get("q", "").strip() if search.is_valid() else ""
    committees = committees_visible_to(request.user)
    results = None
    if query:
        results = _listed(
            committees.filter(
                Q(name__icontains=query)
                | Q(name_es__icontains=query)
                | Q(purpose__icontains=query)
                | Q(purpose_es__icontains=query)
            )
        ).order_by("status", "name")
    return render(
        request,
        "meetings/committee_list.html",
        {
            "search": search,
            "query": query,
            "results": results,
            "committees": _listed(
                committees.filter(status=CommitteeStatus.ACTIVE, kind=CommitteeKind.COMMITTEE)
            ),
            "subcommittees": _listed(
                committees.filter(status=CommitteeStatus.ACTIVE, kind=CommitteeKind.SUBCOMMITTEE)
            ),
            "archived": _listed(committees.filter(status=CommitteeStatus.ARCHIVED)),
            "can_create": permissions.can_create_committee(request.user),
        },
    )


@login_required
@require_safe
def committee_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    memberships = list(
        committee.memberships.filter(
            status__in=[MembershipStatus.ACTIVE, MembershipStatus.REQUESTED]
        )
        .select_related("person__agency")
        .order_by("person__full_name")
    )
    mine = committee.memberships.filter(person=request.user).first()
    can_manage = permissions.can_manage_committee(request.user, committee)
    open_items = (
        committee.action_items.filter(status=ActionItem.Status.OPEN)
        .select_related("owner")
        .order_by("due_on", "pk")
    )
    upcoming = committee.meetings.filter(
        starts_at__gte=timezone.now(), status=MeetingStatus.SCHEDULED
    ).order_by("starts_at")[:UPCOMING_MEETINGS]
    return render(
        request,
        "meetings/committee_detail.html",
        {
            "committee": committee,
            "chairs": [
                m
                for m in memberships
                if m.status == MembershipStatus.ACTIVE and m.role == CommitteeRole.CHAIR
            ],
            "members": [
                m
                for m in memberships
                if m.status == MembershipStatus.ACTIVE and m.role == CommitteeRole.MEMBER
            ],
            "requests": [m for m in memberships if m.status == MembershipStatus.REQUESTED]
            if can_manage
            else [],
            "subcommittees": committee.subcommittees.order_by("status", "name"),
            "upcoming": upcoming,
            "open_items": open_items,
            "mine": mine,
            "can_manage": can_manage,
            "can_join": permissions.can_join_committee(request.user, committee),
            "can_add_members": permissions.can_add_committee_members(request.user, committee),
            "can_change_lifecycle": permissions.can_change_committee_lifecycle(
                request.user, committee
            ),
            "add_member_form": AddMemberForm(committee=committee),
            "extend_form": ExtendForm(),
        },
    )


@login_required
def committee_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_create_committee(request.user):
        raise PermissionDenied
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = CommitteeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.create_committee(
                    actor=request.user, values=form.cleaned_data
                ),
                result_url=lambda committee: committee.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Committee added."))
            return redirect(url)
    return render(request, "meetings/committee_form.html", {"form": form, "committee": None})


@login_required
def committee_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    if not permissions.can_manage_committee(request.user, committee):
        raise PermissionDenied
    form = CommitteeForm(request.POST or None, instance=Committee.objects.get(pk=committee.pk))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_committee(
                actor=request.user, committee=committee, values=form.cleaned_data
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Committee saved."))
            return redirect(committee)
    return render(request, "meetings/committee_form.html", {"form": form, "committee": committee})


@login_required
@require_POST
def committee_extend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    if not permissions.can_change_committee_lifecycle(request.user, committee):
        raise PermissionDenied
    form = ExtendForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Enter a valid new sunset date."))
        return redirect(committee)
    perform(
        request,
        lambda: services.extend_subcommittee(
            actor=request.user, committee=committee, sunset_on=form.cleaned_data["sunset_on"]
        ),
        success=_("Sunset date extended."),
    )
    return redirect(committee)


@login_required
@require_POST
def committee_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    if not permissions.can_change_committee_lifecycle(request.user, committee):
        raise PermissionDenied
    services.close_committee(actor=request.user, committee=committee)
    messages.success(request, _("Committee closed and archived."))
    return redirect(committee)


@login_required
@require_POST
def committee_join(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    if not permissions.can_join_committee(request.user, committee):
        raise PermissionDenied
    membership = services.request_membership(actor=request.user, committee=committee)
    if membership.status == MembershipStatus.ACTIVE:
        messages.info(request, _("You are already a member of this committee."))
    else:
        messages.success(request, _("Your request to join was sent to the chairs."))
    return redirect(committee)


@login_required
@require_POST
def committee_leave(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    if committee.is_archived:
        raise PermissionDenied
    if services.leave_committee(actor=request.user, committee=committee) is not None:
        messages.success(request, _("You have left this committee."))
    return redirect(committee)


def _get_membership(committee: Committee, membership_pk: int) -> CommitteeMembership:
    return get_object_or_404(
        CommitteeMembership.objects.select_related("committee", "person"),
        pk=membership_pk,
        committee=committee,
    )


@login_required
@require_POST
def committee_request_decide(
    request: AuthenticatedRequest, pk: int, membership_pk: int
) -> HttpResponse:
    committee = _get_committee(request, pk)
    membership = _get_membership(committee, membership_pk)
    if not permissions.can_manage_committee(request.user, committee):
        raise PermissionDenied
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose approve or decline."))
        return redirect(committee)
    perform(
        request,
        lambda: services.decide_membership(
            actor=request.user, membership=membership, decision=form.cleaned_data["decision"]
        ),
        success=_("Request decided."),
    )
    return redirect(committee)


@login_required
@require_POST
def committee_member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    if not permissions.can_add_committee_members(request.user, committee):
        raise PermissionDenied
    form = AddMemberForm(request.POST, committee=committee)
    if not form.is_valid():
        messages.error(request, _("Choose a person of a member agency and a role."))
        return redirect(committee)
    perform(
        request,
        lambda: services.add_member(
            actor=request.user,
            committee=committee,
            person=form.cleaned_data["person"],
            role=form.cleaned_data["role"],
        ),
        success=_("Person added to the committee."),
    )
    return redirect(committee)


@login_required
@require_POST
def committee_member_chair(
    request: AuthenticatedRequest, pk: int, membership_pk: int
) -> HttpResponse:
    committee = _get_committee(request, pk)
    membership = _get_membership(committee, membership_pk)
    if not permissions.can_add_committee_members(request.user, committee):
        raise PermissionDenied
    form = ChairForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whether to appoint or remove the chair."))
        return redirect(committee)
    perform(
        request,
        lambda: services.set_chair(
            actor=request.user, membership=membership, chair=form.cleaned_data["chair"]
        ),
        success=_("Chairs updated."),
    )
    return redirect(committee)


@login_required
@require_POST
def committee_member_remove(
    request: AuthenticatedRequest, pk: int, membership_pk: int
) -> HttpResponse:
    committee = _get_committee(request, pk)
    membership = _get_membership(committee, membership_pk)
    if not permissions.can_add_committee_members(request.user, committee):
        raise PermissionDenied
    services.remove_member(actor=request.user, membership=membership)
    messages.success(request, _("Person removed from the committee."))
    return redirect(committee)


@login_required
def committee_action_create(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    committee = _get_committee(request, pk)
    if not permissions.can_manage_committee(request.user, committee):
        raise PermissionDenied
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    form = ActionItemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: record_services.create_action_item(
                    actor=request.user, committee=committee, values=form.cleaned_data
                ),
                result_url=lambda item: committee.get_absolute_url(),
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Action item added."))
            return redirect(url)
    return render(
        request,
        "meetings/action_form.html",
        {"form": form, "committee": committee, "meeting": None, "back": committee},
    )


urls: list[URLPattern] = [
    path("committees/", committee_list, name="committee-list"),
    path("committees/<int:pk>/", committee_detail, name="committee-detail"),
    path("manage/committees/new/", committee_create, name="committee-create"),
    path("committees/<int:pk>/edit/", committee_edit, name="committee-edit"),
    path("committees/<int:pk>/extend/", committee_extend, name="committee-extend"),
    path("committees/<int:pk>/close/", committee_close, name="committee-close"),
    path("committees/<int:pk>/join/", committee_join, name="committee-join"),
    path("committees/<int:pk>/leave/", committee_leave, name="committee-leave"),
    path(
        "committees/<int:pk>/requests/<int:membership_pk>/",
        committee_request_decide,
        name="committee-request-decide",
    ),
    path("committees/<int:pk>/members/add/", committee_member_add, name="committee-member-add"),
    path(
        "committees/<int:pk>/members/<int:membership_pk>/chair/",
        committee_member_chair,
        name="committee-member-chair",
    ),
    path(
        "committees/<int:pk>/members/<int:membership_pk>/remove/",
        committee_member_remove,
        name="committee-member-remove",
    ),
    path(
        "committees/<int:pk>/action-items/new/",
        committee_action_create,
        name="committee-action-create",
    ),
]
