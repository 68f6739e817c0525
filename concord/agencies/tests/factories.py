import factory

from concord.agencies.models import Agency, AgencyStatus, Sector


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda number: f"Agency {number:04d}")
    sector = Sector.VICTIM_SERVICES
    city = "Concord"
    state = "CA"
    service_area = "Contra Costa County"
    status = AgencyStatus.ACTIVE
