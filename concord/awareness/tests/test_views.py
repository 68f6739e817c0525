import datetime
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import AgencyStatus
from concord.awareness.models import Activity, ActivityStatus, Campaign, Material
from concord.awareness.tests.factories import (
    PDF,
    ActivityFactory,
    CampaignFactory,
    MaterialFactory,
)
from conftest import sign_in

LOGIN = reverse("account_login")


def _count_queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


# The public pages.


def test_index_shows_public_campaigns_and_activities_to_the_public(
    client: Client, db: None
) -> None:
    campaign = CampaignFactory(title="Awareness Month")
    CampaignFactory(title="Planning campaign", is_public=False)
    ActivityFactory(title="Awareness Day", campaign=campaign)
    ActivityFactory(title="Volunteers briefing", is_public=False)
    ActivityFactory(title="Past screening", starts_at=timezone.now() - datetime.timedelta(days=3))

    response = client.get(reverse("awareness:index"))

    content = response.content.decode()
    assert "Awareness Month" in content
    assert "Awareness Day" in content
    assert "Planning campaign" not in content
    assert "Volunteers briefing" not in content
    assert "Past screening" not in content


def test_index_shows_members_only_items_to_members(member_client: Client) -> None:
    ActivityFactory(title="Volunteers briefing", is_public=False)

    response = member_client.get(reverse("awareness:index"))

    assert "Volunteers briefing" in response.content.decode()


@pytest.mark.parametrize("factory", [CampaignFactory, ActivityFactory])
def test_members_only_pages_send_the_public_to_login(
    factory: type, client: Client, db: None
) -> None:
    item = factory(is_public=False)

    response = client.get(item.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_signed_in_non_member_gets_404_for_members_only_items(db: None) -> None:
    # A person of an agency whose membership lapsed.
    from concord.accounts.tests.factories import UserFactory
    from concord.agencies.tests.factories import AgencyFactory

    lapsed = AgencyFactory(status=AgencyStatus.LAPSED)
    client = sign_in(Client(), UserFactory(agency=lapsed))
    material = MaterialFactory(is_public=False)

    assert client.get(material.get_absolute_url()).status_code == 404
    assert client.get(CampaignFactory(is_public=False).get_absolute_url()).status_code == 404


def test_campaign_page_lists_its_visible_activities_and_materials(client: Client, db: None) -> None:
    campaign = CampaignFactory()
    ActivityFactory(title="Screening", campaign=campaign)
    ActivityFactory(title="Briefing", campaign=campaign, is_public=False)
    campaign.materials.set(
        [MaterialFactory(title="Poster EN"), MaterialFactory(title="Flyer", is_public=False)]
    )

    content = client.get(campaign.get_absolute_url()).content.decode()

    assert "Screening" in content
    assert "Poster EN" in content
    assert "Briefing" not in content
    assert "Flyer" not in content


def test_activity_reach_is_shown_to_coordinators_only(
    client: Client, coordinator_client: Client, db: None
) -> None:
    activity = ActivityFactory(people_reached=321, status=ActivityStatus.HELD)

    assert "321" not in client.get(activity.get_absolute_url()).content.decode()
    assert (
        "321 people attended"
        in coordinator_client.get(activity.get_absolute_url()).content.decode()
    )


def test_material_list_filters_by_language_and_audience(client: Client, db: None) -> None:
    MaterialFactory(title="English poster", language="en", audience="businesses")
    MaterialFactory(title="Spanish poster", language="es", audience="businesses")
    MaterialFactory(title="Spanish card", language="es", audience="workers")
    MaterialFactory(title="Members flyer", language="es", audience="businesses", is_public=False)
    MaterialFactory(
        title="Old poster", language="es", audience="businesses", retired_at=timezone.now()
    )

    response = client.get(
        reverse("awareness:material-list"), {"language": "es", "audience": "businesses"}
    )

    content = response.content.decode()
    assert "Spanish poster" in content
    assert "English poster" not in content
    assert "Spanish card" not in content
    assert "Members flyer" not in content
    assert "Old poster" not in content


def test_material_list_shows_members_only_materials_to_members(member_client: Client) -> None:
    MaterialFactory(title="Members flyer", is_public=False)

    assert "Members flyer" in member_client.get(reverse("awareness:material-list")).content.decode()


def test_material_download_is_an_attachment_with_its_checked_type(client: Client, db: None) -> None:
    material = MaterialFactory(title="Hotline notice / SB 1193")

    response = client.get(material.get_absolute_url())

    assert response.status_code == 200
    assert response.content == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'attachment; filename="hotline-notice-sb-1193.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"


def test_members_only_material_download_sends_the_public_to_login(client: Client, db: None) -> None:
    material = MaterialFactory(is_public=False)

    response = client.get(material.get_absolute_url())

    assert response.status_code == 302
    assert response["Location"].startswith(LOGIN)


def test_retired_material_is_404_to_members_but_coordinators_still_download_it(
    member_client: Client, coordinator_client: Client
) -> None:
    material = MaterialFactory(retired_at=timezone.now())

    assert member_client.get(material.get_absolute_url()).status_code == 404
    assert coordinator_client.get(material.get_absolute_url()).status_code == 200


def test_public_pages_make_a_fixed_number_of_queries(client: Client, db: None) -> None:
    campaign = CampaignFactory()
    campaign.materials.set([MaterialFactory()])
    ActivityFactory(campaign=campaign)
    urls = [
        reverse("awareness:index"),
        reverse("awareness:material-list"),
        campaign.get_absolute_url(),
        reverse("coalition:home"),
    ]
    few = [_count_queries(client, url) for url in urls]
    for _ in range(15):
        CampaignFactory()
        ActivityFactory(campaign=campaign)
        campaign.materials.add(MaterialFactory())

    many = [_count_queries(client, url) for url in urls]

    assert many == few


def test_home_page_shows_the_next_three_public_activities(client: Client, db: None) -> None:
    soon = timezone.now() + datetime.timedelta(days=1)
    for day in range(4):
        ActivityFactory(title=f"Outreach day {day}", starts_at=soon + datetime.timedelta(days=day))
    ActivityFactory(
        title="Members briefing", starts_at=soon - datetime.timedelta(hours=12), is_public=False
    )

    content = client.get(reverse("coalition:home")).content.decode()

    assert [f"Outreach day {day}" in content for day in range(4)] == [True, True, True, False]
    assert "Members briefing" not in content


# The coordinators' pages.


def test_coordinator_creates_a_campaign(coordinator_client: Client) -> None:
    material = MaterialFactory()
    form = {
        "submission_token": "c0a8b1c2-0000-4000-8000-000000000001",
        "title": "Bus campaign",
        "summary": "Labor trafficking ads on buses.",
        "starts_on": "2027-02-01",
        "ends_on": "2027-04-30",
        "audiences": ["workers"],
        "languages": ["en", "es"],
        "materials": [material.pk],
        "is_public": "on",
    }

    response = coordinator_client.post(reverse("awareness:campaign-create"), form)
    again = coordinator_client.post(reverse("awareness:campaign-create"), form)

    campaign = Campaign.objects.get()
    assert response["Location"] == campaign.get_absolute_url()
    assert again["Location"] == campaign.get_absolute_url()
    assert campaign.languages == ["en", "es"]
    assert list(campaign.materials.all()) == [material]


def test_coordinator_creates_an_activity_with_its_reach(coordinator_client: Client) -> None:
    material = MaterialFactory()
    form = {
        "submission_token": "c0a8b1c2-0000-4000-8000-000000000002",
        "title": "SB 1193 poster outreach",
        "kind": "poster_outreach",
        "language": "es",
        "day": "2027-01-15",
        "start_time": "10:00",
        "end_time": "15:00",
        "time_zone": "America/Los_Angeles",
        "location": "Richmond",
        "is_public": "on",
        "status": "held",
        "people_reached": "0",
        "businesses_contacted": "35",
        "distributions-TOTAL_FORMS": "3",
        "distributions-INITIAL_FORMS": "0",
        "distributions-0-language": "en",
        "distributions-0-material": str(material.pk),
        "distributions-0-quantity": "20",
        "distributions-1-language": "es",
        "distributions-1-quantity": "18",
    }

    response = coordinator_client.post(reverse("awareness:activity-create"), form)

    activity = Activity.objects.get()
    assert response["Location"] == activity.get_absolute_url()
    assert activity.starts_at == datetime.datetime(2027, 1, 15, 18, 0, tzinfo=datetime.UTC)
    assert activity.businesses_contacted == 35
    assert activity.status == ActivityStatus.HELD
    assert sorted(activity.distributions.values_list("language", "material", "quantity")) == [
        ("en", material.pk, 20),
        ("es", None, 18),
    ]


def test_activity_form_refuses_a_line_without_copies(coordinator_client: Client) -> None:
    activity = ActivityFactory()
    response = coordinator_client.post(
        reverse("awareness:activity-edit", kwargs={"pk": activity.pk}),
        {
            "title": activity.title,
            "kind": activity.kind,
            "language": "en",
            "day": "2027-01-15",
            "start_time": "10:00",
            "end_time": "11:00",
            "time_zone": "America/Los_Angeles",
            "status": "scheduled",
            "people_reached": "0",
            "businesses_contacted": "0",
            "distributions-TOTAL_FORMS": "1",
            "distributions-INITIAL_FORMS": "0",
            "distributions-0-language": "es",
        },
    )

    assert response.status_code == 200
    assert "Enter how many copies were handed out." in response.content.decode()
    assert activity.distributions.count() == 0


def _material_form(upload: SimpleUploadedFile) -> dict[str, object]:
    return {
        "submission_token": "c0a8b1c2-0000-4000-8000-000000000003",
        "title": "Hotline poster",
        "kind": "poster",
        "language": "es",
        "audience": "businesses",
        "is_public": "on",
        "upload": upload,
    }


def test_coordinator_uploads_a_material(coordinator_client: Client) -> None:
    upload = SimpleUploadedFile("poster.pdf", PDF, content_type="application/pdf")

    response = coordinator_client.post(reverse("awareness:material-create"), _material_form(upload))

    assert response.status_code == 302
    material = Material.objects.get()
    assert material.language == "es"
    assert material.content_type == "application/pdf"


def test_material_upload_with_a_lying_type_is_refused_with_a_message(
    coordinator_client: Client, material_files: Path
) -> None:
    upload = SimpleUploadedFile(
        "poster.pdf", b"<html>not a pdf</html>", content_type="application/pdf"
    )

    response = coordinator_client.post(reverse("awareness:material-create"), _material_form(upload))

    assert response.status_code == 200
    assert "Upload the material as a PDF, PNG or JPEG file." in response.content.decode()
    assert Material.objects.count() == 0
    assert [path for path in material_files.rglob("*") if path.is_file()] == []


def test_material_upload_over_the_limit_is_refused_with_a_message(
    coordinator_client: Client, settings: object
) -> None:
    settings.AWARENESS_MATERIAL_MAX_BYTES = 64  # type: ignore[attr-defined]
    upload = SimpleUploadedFile("poster.pdf", PDF + b" " * 100, content_type="application/pdf")

    response = coordinator_client.post(reverse("awareness:material-create"), _material_form(upload))

    assert response.status_code == 200
    assert "The file is larger than 64" in response.content.decode()
    assert Material.objects.count() == 0


def test_coordinator_retires_and_restores_a_material(coordinator_client: Client) -> None:
    material = MaterialFactory()
    url = reverse("awareness:material-retire", kwargs={"pk": material.pk})

    coordinator_client.post(url)
    material.refresh_from_db()
    assert material.is_retired
    coordinator_client.post(url)
    material.refresh_from_db()
    assert not material.is_retired


def test_figures_page_shows_the_period_figures(coordinator_client: Client) -> None:
    ActivityFactory(
        starts_at=datetime.datetime(2027, 1, 11, 18, tzinfo=datetime.UTC),
        people_reached=75,
        status=ActivityStatus.HELD,
    )

    response = coordinator_client.get(
        reverse("awareness:figures"), {"start": "2027-01-01", "end": "2027-01-31"}
    )

    assert response.status_code == 200
    assert "People reached: 75" in response.content.decode()


def test_members_cannot_reach_the_coordinator_pages(member: User, member_client: Client) -> None:
    for name in ("manage", "figures", "campaign-create", "activity-create", "material-create"):
        assert member_client.get(reverse(f"awareness:{name}")).status_code == 403
