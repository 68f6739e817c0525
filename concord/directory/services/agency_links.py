"""A member agency is linked to its organization in the directory (issue 5), so its
representatives can edit its listings. Coordinators link, create and unlink."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.audit.services import record_event
from concord.directory.models import Organization


def _check_unlinked(agency: Agency) -> None:
    if Organization.objects.filter(agency=agency).exists():
        raise ValidationError(_("This agency is already linked to an organization."))


@transaction.atomic
def link_organization(*, actor: User, agency: Agency, organization: Organization) -> Organization:
    """Link an existing organization that no agency runs yet."""
    Agency.objects.select_for_update().get(pk=agency.pk)
    _check_unlinked(agency)
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if organization.agency_id is not None:
        raise ValidationError(
            {"organization": _("This organization is already linked to another agency.")}
        )
    organization.agency = agency
    organization.save(update_fields=["agency"])
    record_event(
        actor=actor,
        action="concord.listing.organization_linked",
        target=organization,
        agency=agency,
        data={"created": False},
    )
    return organization


@transaction.atomic
def create_organization(
    *, actor: User, agency: Agency, name: str, website: str, description: str
) -> Organization:
    """Create the agency's organization in the directory, linked to it."""
    Agency.objects.select_for_update().get(pk=agency.pk)
    _check_unlinked(agency)
    organization = Organization(
        name=name.strip(), website=website.strip(), description=description.strip(), agency=agency
    )
    organization.full_clean()
    organization.save()
    record_event(
        actor=actor,
        action="concord.listing.organization_linked",
        target=organization,
        agency=agency,
        data={"created": True},
    )
    return organization


@transaction.atomic
def unlink_organization(*, actor: User, agency: Agency) -> Organization:
    """The organization stays in the directory; its agency's people no longer edit it."""
    Agency.objects.select_for_update().get(pk=agency.pk)
    organization = Organization.objects.select_for_update().filter(agency=agency).first()
    if organization is None:
        raise ValidationError(_("This agency is not linked to an organization."))
    organization.agency = None
    organization.save(update_fields=["agency"])
    record_event(
        actor=actor,
        action="concord.listing.organization_unlinked",
        target=organization,
        agency=agency,
    )
    return organization
