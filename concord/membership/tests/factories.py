import datetime

import factory
from django.utils import timezone

from concord.agencies.models import Sector
from concord.membership.models import (
    Application,
    ApplicationStatus,
    Step,
    ValueStatement,
    new_access_key,
    new_reference,
)
from concord.membership.services.applicant import REQUIRED_STEPS

VALUES = (
    "A victim-centered, trauma-informed and culturally responsive approach.",
    "Victims' right to live free of exploitation and to be empowered.",
    "Collaboration that respects each member's expertise and mandate.",
    "Reporting, investigating and prosecuting while fully informing victims of their options.",
    "Active participation and achievable goals.",
)


class ApplicationFactory(factory.django.DjangoModelFactory):
    """A complete application, every step answered; ``status`` says how far it went."""

    class Meta:
        model = Application
        skip_postgeneration_save = True

    reference = factory.LazyFunction(new_reference)
    access_key = factory.LazyFunction(new_access_key)
    language = "en"
    status = ApplicationStatus.IN_REVIEW
    contact_email = factory.Sequence(lambda n: f"applicant{n}@shelter{n}.example.org")
    legal_name = factory.Sequence(lambda n: f"Harbor Shelter {n:04d}")
    sector = Sector.VICTIM_SERVICES
    street_address = "1 Main Street"
    city = "Concord"
    postal_code = "94520"
    whole_county = True
    website = "https://shelter.example.org"
    phone = "925-555-0100"
    description = "Emergency shelter and case management for survivors."
    primary_name = factory.Sequence(lambda n: f"Primary Person {n}")
    primary_title = "Director"
    primary_email = factory.Sequence(lambda n: f"primary{n}@shelter{n}.example.org")
    primary_phone = "925-555-0101"
    primary_language = "en"
    alternate_name = factory.Sequence(lambda n: f"Alternate Person {n}")
    alternate_title = "Case manager"
    alternate_email = factory.Sequence(lambda n: f"alternate{n}@shelter{n}.example.org")
    alternate_phone = "925-555-0102"
    alternate_language = "es"
    agrees_to_attend = True
    agrees_to_committee = True
    hours_per_month = 6
    agrees_to_confidentiality = True
    signature_name = factory.SelfAttribute("primary_name")
    signature_title = "Director"
    signature_date = factory.LazyFunction(timezone.localdate)
    completed_steps = factory.LazyFunction(lambda: list(REQUIRED_STEPS))
    email_domains = factory.LazyAttribute(lambda a: a.contact_email.rsplit("@", 1)[1])
    submitted_at = factory.LazyFunction(timezone.now)
    confirmed_at = factory.LazyFunction(timezone.now)
    decide_by = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=20))

    @factory.post_generation
    def statements(self, create: bool, extracted: object, **kwargs: object) -> None:
        if not create:
            return
        ValueStatement.objects.bulk_create(
            ValueStatement(
                application=self,
                position=position,
                value=value,
                affirmed=True,
                practice="We practise this every day.",
            )
            for position, value in enumerate(VALUES, start=1)
        )


class DraftFactory(ApplicationFactory):
    """A draft with nothing answered yet."""

    status = ApplicationStatus.DRAFT
    completed_steps = factory.LazyFunction(list)
    submitted_at = None
    confirmed_at = None
    decide_by = None
    legal_name = ""
    agrees_to_attend = False
    agrees_to_committee = False
    agrees_to_confidentiality = False

    @factory.post_generation
    def statements(self, create: bool, extracted: object, **kwargs: object) -> None:
        return None


__all__ = ["VALUES", "ApplicationFactory", "DraftFactory", "Step"]
