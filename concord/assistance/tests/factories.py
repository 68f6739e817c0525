import factory
from django.utils import timezone

from concord.assistance.models import AssistanceRequest, RequestStatus, Topic, Urgency


class AssistanceRequestFactory(factory.django.DjangoModelFactory):
    """A confirmed new request from someone without an account."""

    class Meta:
        model = AssistanceRequest

    topic = Topic.SCREENING
    urgency = Urgency.WITHIN_MONTH
    description = "We need a screening guide for our front desk."
    name = "Pat Requester"
    email = factory.Sequence(lambda n: f"requester{n}@example.org")
    affiliation = "Demo Clinic"
    status = RequestStatus.NEW
    confirmed_at = factory.LazyFunction(timezone.now)
