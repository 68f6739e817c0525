"""Every part of the coalition's work can be reached from the pages, not only by URL."""

from django.test import Client
from django.urls import reverse
from django.utils import translation

PUBLIC = [
    "trainings:training-list",
    "assistance:request-create",
    "awareness:index",
    "library:document-list",
    "forum:resource-list",
]


def test_the_footer_links_the_public_parts_in_both_languages(client: Client, db: None) -> None:
    english = client.get(reverse("coalition:home")).content.decode()
    with translation.override("es"):
        spanish = client.get(reverse("coalition:home")).content.decode()
        trainings = reverse("trainings:training-list")

    for name in PUBLIC:
        assert f'href="{reverse(name)}"' in english
    assert trainings == "/es/trainings/"
    assert f'href="{trainings}"' in spanish
    assert "Capacitaciones" in spanish


def test_the_dashboard_links_the_members_parts(member_client: Client) -> None:
    html = member_client.get(reverse("accounts:dashboard")).content.decode()

    for name in [*PUBLIC, "forum:category-list", "trainings:my-trainings", "reports:members"]:
        assert f'href="{reverse(name)}"' in html
    assert f'href="{reverse("reports:dashboard")}"' not in html  # coordinators only


def test_coordinators_find_the_reports_and_the_assistance_queue(coordinator_client: Client) -> None:
    html = coordinator_client.get(reverse("accounts:dashboard")).content.decode()

    assert f'href="{reverse("reports:dashboard")}"' in html
    assert f'href="{reverse("assistance:request-list")}"' in html
