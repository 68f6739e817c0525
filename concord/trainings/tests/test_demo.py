import random

import pytest

from concord.trainings import demo
from concord.trainings.models import Registration, RegistrationStatus, Training, TrainingSession

pytestmark = pytest.mark.django_db


def test_the_demo_seeds_trainings_once_with_a_waitlist_and_a_past_session() -> None:
    demo.seed(scale=1, rng=random.Random(1))
    demo.seed(scale=1, rng=random.Random(1))

    assert Training.objects.count() == 3
    assert TrainingSession.objects.count() == 6
    assert Registration.objects.filter(status=RegistrationStatus.WAITLISTED).count() == 3
    assert TrainingSession.objects.filter(registrations__isnull=False).distinct().count() == 2
