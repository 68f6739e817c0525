"""SECURITY.md rule 10 for trainings: catalogue text and registrants' details are shown as
text on the catalogue, the session page and the roster."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given

from concord.trainings.models import Registration, Training, TrainingSession
from concord.trainings.tests.factories import RegistrationFactory, SessionFactory
from tests.test_escaping import FUZZ, assert_shown_as_text, payloads


@pytest.mark.django_db
@FUZZ
@given(text=payloads)
def test_training_and_registrant_text_is_escaped_everywhere(
    text: str, client: Client, coordinator_client: Client
) -> None:
    session = SessionFactory(training__title=text, training__summary=text, location=text)
    RegistrationFactory(session=session, name=text, affiliation=text)

    pages = [
        client.get(reverse("trainings:training-list")),
        client.get(session.training.get_absolute_url()),
        client.get(session.get_absolute_url()),
        coordinator_client.get(reverse("trainings:session-roster", args=[session.pk])),
        coordinator_client.get(reverse("trainings:manage-list")),
    ]

    for response in pages:
        assert_shown_as_text(response.content.decode(), text)
    Registration.objects.all().delete()
    TrainingSession.objects.all().delete()
    Training.objects.all().delete()
