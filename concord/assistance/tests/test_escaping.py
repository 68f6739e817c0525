"""What requesters and experts type is shown as text on every page that shows it."""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given

from concord.accounts.models import User
from concord.assistance.models import AssistanceRequest, RequestStatus
from concord.assistance.services.links import Purpose, make_token
from concord.assistance.tests.factories import AssistanceRequestFactory
from tests.test_escaping import FUZZ, assert_shown_as_text, payloads


@FUZZ
@given(text=payloads)
@pytest.mark.django_db
def test_request_fields_are_escaped_everywhere(
    text: str, coordinator_client: Client, member: User
) -> None:
    request = AssistanceRequestFactory(status=RequestStatus.ASSIGNED, assigned_expert=member)
    AssistanceRequest.objects.filter(pk=request.pk).update(
        description=text, name=text, affiliation=text, outcome=text
    )
    AssistanceRequest.objects.filter(pk=request.pk).update(status=RequestStatus.COMPLETED)
    status_url = reverse("assistance:request-status", args=[make_token(request, Purpose.STATUS)])

    pages = [
        coordinator_client.get(request.get_absolute_url()),
        coordinator_client.get(reverse("assistance:request-list"), {"status": "completed"}),
        Client().get(status_url),
    ]

    for page in pages:
        assert page.status_code == 200
    assert_shown_as_text(pages[0].content.decode(), text)
    assert_shown_as_text(pages[1].content.decode(), text)
    assert_shown_as_text(pages[2].content.decode(), text)
