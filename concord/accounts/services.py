from collections.abc import Mapping
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from concord.accounts.models import AgencyRole, User
from concord.accounts.tasks import send_invitation
from concord.audit.services import record_event

EDITABLE_FIELDS = ("full_name", "job_title", "agency", "agency_role", "is_staff", "language")


def _check_role(values: Mapping[str, Any]) -> None:
    agency, role = values.get("agency"), values.get("agency_role", "")
    if agency is None and role:
        raise ValidationError({"agency_role": _("Choose an agency for this role.")})
    if agency is not None and not role:
        raise ValidationError({"agency_role": _("Choose the person's role in the agency.")})
    if agency is None and not values.get("is_staff"):
        raise ValidationError({"agency": _("A person who is not a coordinator needs an agency.")})


def _check_primary_free(values: Mapping[str, Any], person: User | None) -> None:
    if values.get("agency_role") != AgencyRole.PRIMARY:
        return
    others = User.objects.filter(
        agency=values.get("agency"), agency_role=AgencyRole.PRIMARY, is_active=True
    )
    if person is not None:
        others = others.exclude(pk=person.pk)
    if others.exists():
        raise ValidationError(
            {"agency_role": _("This agency already has a primary representative.")}
        )


@transaction.atomic
def invite_person(*, actor: User, email: str, values: Mapping[str, Any]) -> User:
    """Create an account and email its owner a link to choose a password."""
    email = email.strip().lower()
    if User.objects.filter(email__iexact=email).exists():
        raise ValidationError({"email": _("A person with this email address already exists.")})
    _check_role(values)
    _check_primary_free(values, None)
    person = User(
        email=email, **{field: values[field] for field in EDITABLE_FIELDS if field in values}
    )
    person.set_unusable_password()
    person.full_clean(exclude=["password"])
    person.save()
    # The coordinator vouches for the address, and the only way in is the emailed link.
    EmailAddress.objects.create(user=person, email=email, primary=True, verified=True)
    record_event(actor=actor, action="concord.person.invited", target=person, agency=person.agency)
    transaction.on_commit(lambda: send_invitation.enqueue(person.pk))
    return person


@transaction.atomic
def update_person(*, actor: User, person: User, values: Mapping[str, Any]) -> User:
    merged = {field: values.get(field, getattr(person, field)) for field in EDITABLE_FIELDS}
    _check_role(merged)
    _check_primary_free(merged, person)
    changed = [field for field in EDITABLE_FIELDS if getattr(person, field) != merged[field]]
    if not changed:
        return person
    for field in changed:
        setattr(person, field, merged[field])
    person.full_clean(exclude=["password"])
    person.save(update_fields=changed)
    record_event(
        actor=actor,
        action="concord.person.updated",
        target=person,
        agency=person.agency,
        data={"fields": changed},
    )
    return person


@transaction.atomic
def deactivate_person(*, actor: User, person: User) -> User:
    """Lock the account at once: the next request of any of its sessions is anonymous."""
    if person.pk == actor.pk:
        raise ValidationError(_("You cannot deactivate your own account."))
    if not person.is_active:
        return person
    person.is_active = False
    person.save(update_fields=["is_active"])
    _end_sessions_of(person)
    record_event(
        actor=actor, action="concord.person.deactivated", target=person, agency=person.agency
    )
    return person


@transaction.atomic
def reactivate_person(*, actor: User, person: User) -> User:
    if person.is_active:
        return person
    _check_primary_free({"agency": person.agency, "agency_role": person.agency_role}, person)
    person.is_active = True
    person.save(update_fields=["is_active"])
    record_event(
        actor=actor, action="concord.person.reactivated", target=person, agency=person.agency
    )
    return person


def _end_sessions_of(person: User) -> None:
    # Sessions are not indexed by user, so this scans them; deactivation is rare. The auth
    # middleware refuses inactive users anyway: this only frees the rows sooner.
    user_id = str(person.pk)
    for session in Session.objects.iterator():
        if session.get_decoded().get("_auth_user_id") == user_id:
            session.delete()
