import datetime

import factory

from concord.directory import models as directory


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Organization

    name = factory.Sequence(lambda number: f"Organization {number:04d}")
    description = "Helps survivors of trafficking in Contra Costa County."
    website = "https://example.org"


class ProgramFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Program

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda number: f"Program {number:04d}")
    description = "A program."


class ServiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Service

    organization = factory.SubFactory(OrganizationFactory)
    name = factory.Sequence(lambda number: f"Service {number:04d}")
    description = "Case management and safety planning."
    status = directory.ServiceStatus.ACTIVE
    assured_date = datetime.date(2026, 1, 27)
    visibility = directory.Visibility.PUBLIC


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Location

    name = factory.Sequence(lambda number: f"Location {number:04d}")
    location_type = directory.LocationType.PHYSICAL
    latitude = 37.978
    longitude = -122.031


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Address

    location = factory.SubFactory(LocationFactory)
    address_1 = factory.Sequence(lambda number: f"{number} Willow Pass Road")
    city = "Concord"
    state_province = "CA"
    postal_code = "94520"
    country = "US"
    address_type = directory.LocationType.PHYSICAL


class ServiceAtLocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.ServiceAtLocation

    service = factory.SubFactory(ServiceFactory)
    location = factory.SubFactory(LocationFactory)


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Contact

    name = "Dana Advocate"
    title = "Intake coordinator"
    email = "dana@example.org"


class PhoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Phone

    number = "+1 925 555 0100"
    type = "voice"


class ScheduleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Schedule

    freq = directory.Frequency.WEEKLY
    byday = "MO,TU,WE,TH,FR"
    opens_at = "09:00"
    closes_at = "17:00"


class LanguageFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Language

    name = "Spanish"
    code = "es"


class TaxonomyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Taxonomy

    name = "Open Eligibility"
    description = "Open Referral's taxonomy of human services."


class TaxonomyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.TaxonomyTerm

    code = factory.Sequence(lambda number: f"term-{number}")
    name = factory.Sequence(lambda number: f"Term {number}")
    description = "A term."
    taxonomy_detail = factory.SubFactory(TaxonomyFactory)


class AttributeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = directory.Attribute

    taxonomy_term = factory.SubFactory(TaxonomyTermFactory)
    link_entity = "service"
    link_type = "service_category"


def full_service(**kwargs: object) -> directory.Service:
    """A service with one of everything a public listing shows."""
    service = ServiceFactory(**kwargs)
    link = ServiceAtLocationFactory(service=service, location__organization=service.organization)
    AddressFactory(location=link.location)
    PhoneFactory(service=service)
    LanguageFactory(service=service)
    ScheduleFactory(service=service)
    contact = ContactFactory(service=service)
    PhoneFactory(contact=contact, number="+1 925 555 0199")
    AttributeFactory(link_id=service.id)
    return service
