"""SECURITY.md rule 10 for awareness: what coordinators type is shown as text."""

from django.test import Client
from django.urls import reverse
from hypothesis import given

from concord.awareness.models import Activity, Campaign, Material
from concord.awareness.tests.factories import ActivityFactory, CampaignFactory, MaterialFactory
from tests.test_escaping import FUZZ, assert_shown_as_text, payloads


@FUZZ
@given(text=payloads)
def test_awareness_text_is_escaped_everywhere(
    text: str, client: Client, coordinator_client: Client, db: None
) -> None:
    # Examples share the test's database: start each from nothing (the home page shows only
    # the next three activities).
    Activity.objects.all().delete()
    Campaign.objects.all().delete()
    Material.objects.all().delete()
    campaign = CampaignFactory()
    activity = ActivityFactory(campaign=campaign)
    material = MaterialFactory()
    campaign.materials.add(material)
    Campaign.objects.filter(pk=campaign.pk).update(title=text, summary=text)
    Activity.objects.filter(pk=activity.pk).update(title=text, description=text, location=text)
    Material.objects.filter(pk=material.pk).update(title=text)

    pages = [
        client.get(reverse("awareness:index")),
        client.get(campaign.get_absolute_url()),
        client.get(activity.get_absolute_url()),
        client.get(reverse("awareness:material-list")),
        client.get(reverse("coalition:home")),
        coordinator_client.get(reverse("awareness:manage")),
    ]

    for page in pages:
        assert page.status_code == 200
        assert_shown_as_text(page.content.decode(), text)
