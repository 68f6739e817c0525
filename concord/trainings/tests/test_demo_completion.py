import random

import pytest
from django.test import Client

from concord.trainings import demo, demo_completion
from concord.trainings.models import Certificate, Evaluation, TrainingSession

pytestmark = pytest.mark.django_db


def test_the_demo_records_the_past_session_once_with_certificates_and_evaluations() -> None:
    demo.seed(scale=1, rng=random.Random(1))

    first = demo_completion.seed(scale=1, rng=random.Random(1))
    again = demo_completion.seed(scale=1, rng=random.Random(1))

    certificates = Certificate.objects.count()
    assert certificates > 0
    assert Evaluation.objects.count() > 0
    assert first
    assert again == []
    assert Certificate.objects.count() == certificates
    past = TrainingSession.objects.filter(registrations__certificate__isnull=False).distinct().get()
    assert past.evaluations_sent_at is not None
    code = Certificate.objects.order_by("pk").first().code  # type: ignore[union-attr]
    assert Client().get(f"/certificates/{code}/").status_code == 200
