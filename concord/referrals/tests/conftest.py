"""Personas for referrals: agency A sends (a referral handler, a member without the role),
agency B receives (a handler, its primary representative), agency C is the outsider."""

from typing import Any

import pytest

from concord.accounts.models import AgencyRole, User
from concord.accounts.tests.factories import UserFactory
from concord.agencies.models import Agency
from concord.agencies.tests.factories import AgencyFactory
from concord.directory.models import Service, TaxonomyTerm
from concord.referrals.models import Consent, Referral
from concord.referrals.services import referrals as workflow
from concord.referrals.tests.factories import ConsentFactory, service_of

CLIENT = {
    "client_label": "A.R.",
    "safe_contact": "Phone only, weekdays 2 to 4 pm, no voicemail.",
    "safety_notes": "Do not call the home number.",
}


@pytest.fixture
def receiving_agency(db: None) -> Agency:
    return AgencyFactory(name="Receiving Agency")


@pytest.fixture
def third_agency(db: None) -> Agency:
    return AgencyFactory(name="Third Agency")


@pytest.fixture
def sender(agency_a: Agency) -> User:
    return UserFactory(email="sender-a@example.org", agency=agency_a, handles_referrals=True)


@pytest.fixture
def receiver(receiving_agency: Agency) -> User:
    return UserFactory(
        email="receiver@example.org", agency=receiving_agency, handles_referrals=True
    )


@pytest.fixture
def colleague(receiving_agency: Agency) -> User:
    return UserFactory(
        email="colleague@example.org", agency=receiving_agency, handles_referrals=True
    )


@pytest.fixture
def receiving_primary(receiving_agency: Agency) -> User:
    return UserFactory(
        email="primary-r@example.org",
        agency=receiving_agency,
        agency_role=AgencyRole.PRIMARY,
    )


@pytest.fixture
def third_handler(third_agency: Agency) -> User:
    return UserFactory(email="third@example.org", agency=third_agency, handles_referrals=True)


@pytest.fixture
def no_role(agency_a: Agency) -> User:
    return UserFactory(email="norole-a@example.org", agency=agency_a)


@pytest.fixture
def service(receiving_agency: Agency) -> Service:
    return service_of(receiving_agency)  # type: ignore[return-value]


@pytest.fixture
def need(db: None) -> TaxonomyTerm:
    return TaxonomyTerm.objects.create(name="Emergency shelter", description="A safe bed.")


@pytest.fixture
def consent(sender: User, receiving_agency: Agency) -> Consent:
    return ConsentFactory(  # type: ignore[no-any-return]
        sending_agency=sender.agency, receiving_agency=receiving_agency, created_by=sender
    )


def make_referral(
    sender: User, service: Service, consent: Consent | None = None, **values: Any
) -> Referral:
    fields = {"urgency": "routine", "referrer_contact": "Ask for the intake desk.", **values}
    return workflow.create_draft(actor=sender, service=service, values=fields, consent=consent)


@pytest.fixture
def sent_referral(sender: User, service: Service, consent: Consent) -> Referral:
    referral = make_referral(sender, service, consent, **CLIENT)
    return workflow.send_referral(actor=sender, referral=referral)
