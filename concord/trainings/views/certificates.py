"""Certificates: the public check at /certificates/<code>/, and the PDF, downloaded by its
holder through the signed link in their email or from "My trainings" when signed in.

An unknown code is the site's ordinary 404, the same as any other missing page; lookups
are counted per IP address so nobody can walk through codes.
"""

import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import URLPattern, path
from django.views.decorators.http import require_safe

from concord.coalition.queries import current_coalition
from concord.core import permissions
from concord.core.http import AuthenticatedRequest
from concord.core.ratelimits import HOUR, over_limit
from concord.trainings.models import Certificate, Registration
from concord.trainings.services import certificates as services


@require_safe
def certificate_verify(request: HttpRequest, code: str) -> HttpResponse:
    ip = request.META.get("REMOTE_ADDR", "")
    if over_limit(f"certificates:lookup:ip:{ip}", settings.CERTIFICATE_LOOKUPS_PER_IP, HOUR):
        return render(request, "trainings/certificates/too_many_lookups.html", status=429)
    certificate = services.certificate_for_code(code)
    if certificate is None:
        raise Http404
    return render(
        request,
        "trainings/certificates/certificate_verify.html",
        {
            "certificate": certificate,
            "code": services.formatted_code(certificate.code),
            "coalition": current_coalition(),
        },
    )


def _pdf_response(certificate: Certificate) -> HttpResponse:
    response = HttpResponse(services.certificate_pdf(certificate), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{certificate.code}.pdf"'
    return response


@require_safe
def certificate_pdf(request: HttpRequest, token: str) -> HttpResponse:
    """The holder's signed link from their email: no account needed."""
    certificate = services.certificate_for_pdf_token(token)
    if certificate is None:
        raise Http404
    return _pdf_response(certificate)


@login_required
@require_safe
def certificate_download(request: AuthenticatedRequest, public_id: uuid.UUID) -> HttpResponse:
    """A signed-in holder's own certificate, from "My trainings"."""
    registration = Registration.objects.filter(public_id=public_id).first()
    if registration is None or not permissions.can_download_certificate(request.user, registration):
        raise Http404
    certificate = Certificate.objects.filter(
        registration=registration, revoked_at__isnull=True
    ).first()
    if certificate is None:
        raise Http404
    return _pdf_response(certificate)


urls: list[URLPattern] = [
    path("certificates/<str:code>/", certificate_verify, name="certificate-verify"),
    path("trainings/certificates/<str:token>/", certificate_pdf, name="certificate-pdf"),
    path(
        "trainings/registrations/<uuid:public_id>/certificate/",
        certificate_download,
        name="certificate-download",
    ),
]
