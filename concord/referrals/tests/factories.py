import datetime
from typing import Any

import factory
from django.utils import timezone

from concord.directory.tests.factories import OrganizationFactory, ServiceFactory
from concord.referrals.models import CLIENT_FIELDS, Consent, ConsentGiver, ConsentMethod


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    given_by = ConsentGiver.SURVIVOR
    shared_fields = factory.LazyFunction(lambda: list(CLIENT_FIELDS))
    purpose = "Referral for shelter and case management."
    method = ConsentMethod.E_SIGNATURE
    signature_name = "A. R."
    signed_at = factory.LazyFunction(timezone.now)
    language = "en"
    expires_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=90))


def service_of(agency: object, **kwargs: object) -> object:
    """An active directory service run by ``agency``."""
    organization = OrganizationFactory(agency=agency)
    return ServiceFactory(organization=organization, **kwargs)


def sent_referral(sender: Any, receiving: Any) -> Any:
    """A routine referral from ``sender`` to a service of ``receiving`` under a consent,
    sent: what a receiving agency's handlers find in their inbox."""
    from concord.referrals.services import referrals as workflow

    consent = ConsentFactory(
        sending_agency=sender.agency, receiving_agency=receiving, created_by=sender
    )
    draft = workflow.create_draft(
        actor=sender,
        service=service_of(receiving),
        values={"urgency": "routine", "referrer_contact": "Ask for the intake desk."},
        consent=consent,
    )
    return workflow.send_referral(actor=sender, referral=draft)
