"""The consent of a referral: recording it (a signed form uploaded, or a signature typed
in person), the printable form in the survivor's language, the signed form's download,
and revocation."""

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST, require_safe

from concord.core.forms import add_service_errors
from concord.core.http import AuthenticatedRequest
from concord.core.submissions import create_once, earlier_submission_url
from concord.referrals.forms.consent import ConsentForm
from concord.referrals.models import CLIENT_FIELDS, Consent, ConsentMethod, Referral
from concord.referrals.services import access
from concord.referrals.services import referrals as referral_services
from concord.referrals.services.consent import record_consent, revoke_consent
from concord.referrals.views.lookup import refuse
from concord.referrals.views.sending import edit_url, get_sent_referral

# The form is the survivor's: its words are written in each language here and in its
# template, not left to a translation catalogue that may lag behind.
FORM_FIELD_NAMES: dict[str, dict[str, str]] = {
    "en": {
        "client_label": "A name or initials you choose for this referral",
        "safe_contact": "How and when it is safe to contact you",
        "safety_notes": "Notes about your safety",
        "full_name": "Your full name",
        "date_of_birth": "Your date of birth",
        "identity_number": "An identity number",
    },
    "es": {
        "client_label": "Un nombre o unas iniciales que usted elige para esta referencia",
        "safe_contact": "Cómo y cuándo es seguro comunicarse con usted",
        "safety_notes": "Notas sobre su seguridad",
        "full_name": "Su nombre completo",
        "date_of_birth": "Su fecha de nacimiento",
        "identity_number": "Un número de identificación",
    },
}
_FILE_TYPES = {
    b"%PDF-": ("application/pdf", "pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", "png"),
    b"\xff\xd8\xff": ("image/jpeg", "jpg"),
}


def _editable_referral(request: AuthenticatedRequest, public_id: uuid.UUID) -> Referral | None:
    referral = get_sent_referral(request, public_id)
    return referral if referral.is_editable else None


@transaction.atomic
def _record_and_attach(
    request: AuthenticatedRequest, referral: Referral, form: ConsentForm
) -> Consent:
    data = form.cleaned_data
    consent = record_consent(
        actor=request.user,
        receiving_agency=referral.receiving_agency,
        given_by=data["given_by"],
        shared_fields=data["shared_fields"],
        purpose=data["purpose"],
        method=data["method"],
        language=data["language"],
        expires_at=form.expires_at(),
        signed_form=data.get("signed_form")
        if data["method"] == ConsentMethod.SIGNED_FORM
        else None,
        signature_name=data.get("signature_name") or "",
    )
    referral_services.attach_consent(actor=request.user, referral=referral, consent=consent)
    return consent


def _service_errors(form: ConsentForm, error: ValidationError) -> None:
    if hasattr(error, "error_dict") and "expires_at" in error.error_dict:
        error.error_dict["expires_on"] = error.error_dict.pop("expires_at")
    add_service_errors(form, error)


@login_required
@sensitive_post_parameters("signature_name", "purpose")
def consent_record(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = _editable_referral(request, public_id)
    if referral is None:
        messages.error(request, _("This referral has been sent: its consent can only be revoked."))
        return redirect("referrals:sent")
    if earlier := earlier_submission_url(request):
        return redirect(earlier)
    present = [name for name in CLIENT_FIELDS if name in referral.client_values()]
    form = ConsentForm(
        request.POST or None,
        request.FILES or None,
        initial={"shared_fields": present, "language": translation.get_language() or "en"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            url = create_once(
                token=form.cleaned_data["submission_token"],
                user=request.user,
                create=lambda: _record_and_attach(request, referral, form),
                result_url=lambda consent: edit_url(referral),
            )
        except ValidationError as error:
            _service_errors(form, error)
        else:
            messages.success(request, _("Consent recorded for this referral."))
            return redirect(url)
    return render(
        request,
        "referrals/consent/consent_record.html",
        {"form": form, "referral": referral, "consent": referral.consent},
    )


def _form_language(request: AuthenticatedRequest) -> str:
    language = request.GET.get("language", "")
    if language in dict(settings.LANGUAGES):
        return language
    return translation.get_language() or "en"


@login_required
@require_safe
def consent_form(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    """The printable consent form, prefilled with the agencies, purpose and fields; never
    with client information. Printed on paper and signed by hand."""
    referral = get_sent_referral(request, public_id)
    language = _form_language(request)
    consent = referral.consent if referral.consent and referral.consent.is_valid() else None
    if consent is not None:
        names = list(consent.shared_fields)
        expires = timezone.localdate(consent.expires_at)
    else:
        present = referral.client_values()
        names = [name for name in CLIENT_FIELDS if name in present] or list(CLIENT_FIELDS[:3])
        expires = timezone.localdate() + datetime.timedelta(days=settings.REFERRAL_CONSENT_DAYS)
    context: dict[str, Any] = {
        "referral": referral,
        "form_language": language,
        "fields": [FORM_FIELD_NAMES[language][name] for name in names],
        "purpose": consent.purpose if consent is not None else "",
        "expires": expires,
        # In the staff member's own language, not the form's.
        "back_url": edit_url(referral),
    }
    with translation.override(language):
        return render(request, f"referrals/consent/consent_form_{language}.html", context)


def _file_type(head: bytes) -> tuple[str, str]:
    for signature, kind in _FILE_TYPES.items():
        if head.startswith(signature):
            return kind
    return "application/octet-stream", "bin"


@login_required
@require_safe
def consent_file(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    """The uploaded signed form, decrypted, as an attachment; the download is logged."""
    referral = get_sent_referral(request, public_id)
    consent = referral.consent
    if consent is None or not consent.signed_form:
        refuse(request, 404)
    with consent.signed_form.open("rb") as stored:
        content = stored.read()
    access.record_access(
        actor=request.user, referral=referral, action="export", fields=["signed_form"]
    )
    content_type, extension = _file_type(content[:16])
    response = HttpResponse(content, content_type=content_type)
    # A fixed ASCII name: the header always has a value.
    response["Content-Disposition"] = f'attachment; filename="consent-form.{extension}"'
    return response


@login_required
@require_POST
def consent_revoke(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    referral = get_sent_referral(request, public_id)
    if referral.consent is None:
        refuse(request, 404)
    revoke_consent(actor=request.user, consent=referral.consent)
    messages.success(
        request,
        _(
            "Consent revoked. The receiving agency no longer sees the client information. "
            "Record a new consent only if the person gives it again."
        ),
    )
    if referral.is_editable:
        return redirect(edit_url(referral))
    return redirect("referrals:referral-detail", public_id=referral.public_id)


urls: list[URLPattern] = [
    path("<uuid:public_id>/consent/", consent_record, name="consent"),
    path("<uuid:public_id>/consent/form/", consent_form, name="consent-form"),
    path("<uuid:public_id>/consent/file/", consent_file, name="consent-file"),
    path("<uuid:public_id>/consent/revoke/", consent_revoke, name="consent-revoke"),
]
