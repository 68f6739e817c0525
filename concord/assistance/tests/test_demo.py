import random

import pytest

from concord.accounts.models import User
from concord.assistance import demo
from concord.assistance.models import AssistanceRequest, RequestStatus, TimeEntry

pytestmark = pytest.mark.django_db


def test_the_demo_has_each_state_and_runs_twice_without_adding(
    coordinator: User, agency_a: object
) -> None:
    from concord.accounts.tests.factories import UserFactory

    User.objects.filter(pk=coordinator.pk).update(email=demo.DEMO_COORDINATOR_LOGIN)
    UserFactory(email=demo.DEMO_EXPERT_LOGIN, agency=agency_a)

    first = list(demo.seed(scale=1, rng=random.Random(1)))
    second = list(demo.seed(scale=1, rng=random.Random(1)))

    statuses = set(AssistanceRequest.objects.values_list("status", flat=True))
    assert statuses == set(RequestStatus.values)
    assert AssistanceRequest.objects.count() == len(demo.PLAN)
    assert TimeEntry.objects.count() == 5
    assert len(first) == 1
    assert second == []
