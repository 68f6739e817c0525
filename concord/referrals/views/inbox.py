"""The receiving agency's inbox and the access log its primary representative reads."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.utils import timezone
from django.views.decorators.http import require_safe

from concord.core import permissions
from concord.core.http import AuthenticatedRequest
from concord.referrals.forms.actions import InboxFilterForm
from concord.referrals.models import AccessAction, ClientField, Referral, ReferralStatus
from concord.referrals.queries import access_log_for_agency, inbox
from concord.referrals.views.lookup import refuse

PAGE_SIZE = 25


@login_required
@require_safe
def referral_inbox(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_handle_referrals(request.user):
        refuse(request, 403)
    search = InboxFilterForm(request.GET or None)
    status = search.cleaned_data["status"] if search.is_valid() else ""
    page = Paginator(inbox(request.user, status=status or None), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "referrals/inbox/inbox.html",
        {
            "page": page,
            "search": search,
            "status": status,
            "statuses": search.fields["status"].choices,  # type: ignore[attr-defined]
            "now": timezone.now(),
            "awaiting": ReferralStatus.SENT,
        },
    )


@login_required
@require_safe
def access_log(request: AuthenticatedRequest) -> HttpResponse:
    agency = request.user.agency
    if agency is None or not permissions.can_read_referral_access_log(request.user, agency):
        refuse(request, 403)
    page = Paginator(access_log_for_agency(agency), PAGE_SIZE).get_page(request.GET.get("page"))
    # The log names referrals by pk; the page shows the public reference instead.
    public_ids = dict(
        Referral.objects.filter(pk__in=[int(row.object_id) for row in page]).values_list(
            "pk", "public_id"
        )
    )
    labels = dict(ClientField.choices)
    actions = dict(AccessAction.choices)
    rows = [
        {
            "occurred_at": row.occurred_at,
            "actor": row.actor,
            "agency": row.agency,
            "action": actions.get(row.access, row.access),
            "reference": str(public_ids.get(int(row.object_id), ""))[:8],
            "fields": [labels.get(name, name) for name in (row.data or {}).get("fields", [])],
        }
        for row in page
    ]
    return render(
        request, "referrals/inbox/access_log.html", {"page": page, "rows": rows, "agency": agency}
    )


urls: list[URLPattern] = [
    path("", referral_inbox, name="inbox"),
    path("access-log/", access_log, name="access-log"),
]
