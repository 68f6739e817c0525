"""The sending side: the agency's sent referrals and drafts, a new draft for a directory
service, editing a draft, sending and withdrawing."""

import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from concord.core import permissions
from concord.core.actions import perform
from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.directory.models import Service, TaxonomyTerm
from concord.referrals.forms.sending import (
    ReferralCreateForm,
    ReferralForm,
    SentFilterForm,
    initial_values,
)
from concord.referrals.models import ClientField, Referral, ReferralStatus
from concord.referrals.queries import outbox
from concord.referrals.services import access
from concord.referrals.services import referrals as services
from concord.referrals.views.lookup import get_referral, refuse

PAGE_SIZE = 25
CLIENT_POST_FIELDS = (
    "client_label",
    "safe_contact",
    "safety_notes",
    "full_name",
    "date_of_birth",
    "identity_number",
)


def get_sent_referral(request: AuthenticatedRequest, public_id: uuid.UUID) -> Referral:
    """A referral of the user's agency that the user may act on as its sender."""
    referral = get_referral(request, public_id)
    if not permissions.is_referral_sender(request.user, referral):
        refuse(request, 403)
    return referral


def edit_url(referral: Referral) -> str:
    return reverse("referrals:edit", args=[referral.public_id])


@login_required
@require_safe
def sent_list(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_handle_referrals(request.user):
        refuse(request, 403)
    search = SentFilterForm(request.GET or None)
    status = search.cleaned_data.get("status") if search.is_valid() else ""
    rows = outbox(request.user, status=status or None).prefetch_related(
        Prefetch("needs", queryset=TaxonomyTerm.objects.only("id", "name"))
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "referrals/sending/sent_list.html",
        {"page": page, "search": search, "draft": ReferralStatus.DRAFT},
    )


def _chosen_service(request: AuthenticatedRequest) -> Service | None:
    try:
        pk = uuid.UUID(request.GET.get("service", ""))
    except ValueError:
        return None
    return (
        Service.objects.select_related("organization__agency")
        .filter(pk=pk, status="active", organization__agency__isnull=False)
        .first()
    )


@login_required
@sensitive_post_parameters(*CLIENT_POST_FIELDS)
def referral_create(request: AuthenticatedRequest) -> HttpResponse:
    if not permissions.can_handle_referrals(request.user):
        refuse(request, 403)
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    service = _chosen_service(request)
    if service is None:
        return render(request, "referrals/sending/choose_service.html", {})
    form = ReferralCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: services.create_draft(
                    actor=request.user, service=service, values=form.values()
                ),
                result_url=edit_url,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("Draft saved. Record a consent if it holds client information, then send it."),
            )
            return redirect(url)
    return render(
        request,
        "referrals/sending/referral_form.html",
        {"form": form, "service": service, "referral": None},
    )


@login_required
@sensitive_post_parameters(*CLIENT_POST_FIELDS)
def referral_edit(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = get_sent_referral(request, public_id)
    if not referral.is_editable:
        messages.error(request, _("This referral has been sent and can no longer be edited."))
        return redirect("referrals:referral-detail", public_id=referral.public_id)
    consent = referral.consent
    if request.method == "POST":
        # The draft's needs stay choices even when named in another language.
        needs = [term.pk for term in referral.needs.all()]
        form = ReferralForm(request.POST, consent=consent, initial={"needs": needs})
        if form.is_valid():
            try:
                services.update_draft(actor=request.user, referral=referral, values=form.values())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                changed = [name for name in CLIENT_POST_FIELDS if form.values()[name]]
                if changed:
                    access.record_access(
                        actor=request.user, referral=referral, action="change", fields=changed
                    )
                messages.success(request, _("Draft saved."))
                return redirect(edit_url(referral))
    else:
        client = access.client_information(referral=referral, user=request.user) or {}
        form = ReferralForm(initial=initial_values(referral, client), consent=consent)
    return render(
        request,
        "referrals/sending/referral_form.html",
        {
            "form": form,
            "service": referral.service,
            "referral": referral,
            "consent": consent,
            "consent_valid": consent is not None and consent.is_valid(),
            "covered": [
                ClientField(name).label
                for name in (consent.shared_fields if consent else [])
                if name in ClientField.values
            ],
        },
    )


@login_required
@require_POST
def referral_send(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = get_sent_referral(request, public_id)
    if perform(
        request,
        lambda: services.send_referral(actor=request.user, referral=referral),
        success=_("Referral sent. The receiving agency has been told to sign in."),
    ):
        return redirect("referrals:sent")
    return redirect(edit_url(referral) if referral.is_editable else reverse("referrals:sent"))


@login_required
@require_POST
def referral_withdraw(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = get_sent_referral(request, public_id)
    perform(
        request,
        lambda: services.withdraw_referral(actor=request.user, referral=referral),
        success=_("Referral withdrawn."),
    )
    return redirect("referrals:sent")


urls: list[URLPattern] = [
    path("sent/", sent_list, name="sent"),
    path("new/", referral_create, name="create"),
    path("<uuid:public_id>/edit/", referral_edit, name="edit"),
    path("<uuid:public_id>/send/", referral_send, name="send"),
    path("<uuid:public_id>/withdraw/", referral_withdraw, name="withdraw"),
]
