"""The directory's daily upkeep and its emails (issue 5). Tasks receive ids only; emails
name the organization and its listings (public directory data) and link to the page."""

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks import task

from concord.accounts.models import AgencyRole, User
from concord.directory.models import Organization, Service
from concord.directory.services import upkeep


def _send(template: str, context: dict[str, object], user: User) -> None:
    with translation.override(user.language):
        context = {"link": settings.SITE_URL + reverse("directory:listing-list"), **context}
        subject = render_to_string(f"directory/email/{template}_subject.txt", context)
        body = render_to_string(f"directory/email/{template}_message.txt", context)
    send_mail(" ".join(subject.split()), body, settings.DEFAULT_FROM_EMAIL, [user.email])


@task()
def directory_upkeep() -> dict[str, int]:
    """The scheduler's daily job: ask for re-verification, report stale listings, and
    close imports whose worker stopped."""
    from concord.directory.services.import_runs import fail_stalled_runs

    today = timezone.localdate()
    return {
        "verification_requests": upkeep.queue_verification_requests(today=today),
        "stale": upkeep.queue_stale_notices(today=today),
        "stalled_imports": fail_stalled_runs(now=timezone.now()),
    }


@task()
def send_verification_request(organization_id: str) -> None:
    """Ask the agency's primary representative to re-verify the organization's listings."""
    organization = Organization.objects.filter(pk=organization_id).first()
    if organization is None or organization.agency_id is None:
        return
    services = list(upkeep.services_due(timezone.localdate()).filter(organization=organization))
    representatives = User.objects.filter(
        agency_id=organization.agency_id, agency_role=AgencyRole.PRIMARY, is_active=True
    )
    for person in representatives:
        _send("verify", {"organization": organization, "services": services}, person)


@task()
def send_stale_notice(service_ids: list[str]) -> None:
    """Tell every active coordinator which listings went twelve months unverified."""
    services = list(Service.objects.filter(pk__in=service_ids).select_related("organization"))
    if not services:
        return
    for person in User.objects.filter(is_staff=True, is_active=True):
        _send("stale", {"services": services}, person)


@task()
def run_directory_import(run_id: int) -> None:
    """Import a coordinator's uploaded HSDS file (issue 5); the run holds everything else."""
    from concord.directory.services.import_runs import perform_import

    perform_import(run_id=run_id)
