import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.test import Client
from django.urls import reverse

from concord.accounts.models import User
from concord.forum.models import Category, Resource, Thread
from concord.forum.services.moderation import set_best_practice
from concord.forum.services.posts import create_thread
from concord.forum.services.resources import create_resource

LIST = "forum:resource-list"


def _link(coordinator: User, title: str, visibility: str = "public", **extra: str) -> Resource:
    return create_resource(
        actor=coordinator,
        values={
            "kind": "link",
            "title": title,
            "url": "https://example.org/",
            "visibility": visibility,
            **extra,
        },
    )


def test_public_resources_are_listed_without_signing_in(client: Client, coordinator: User) -> None:
    _link(coordinator, "Hotline site")
    _link(coordinator, "Members toolkit", visibility="members")

    page = client.get(reverse(LIST)).content.decode()

    assert "Hotline site" in page
    assert "Members toolkit" not in page


def test_members_see_members_only_resources(member_client: Client, coordinator: User) -> None:
    _link(coordinator, "Members toolkit", visibility="members")

    assert "Members toolkit" in member_client.get(reverse(LIST)).content.decode()


def test_search_matches_titles_summaries_and_tags_with_accents_folded(
    client: Client, coordinator: User
) -> None:
    _link(coordinator, "Guía para hoteles", tags="labor trafficking, hotels")
    _link(coordinator, "Restaurant outreach", summary="Posters for kitchens")

    assert "Guía para hoteles" in client.get(reverse(LIST), {"q": "guia"}).content.decode()
    assert "Guía para hoteles" in client.get(reverse(LIST), {"q": "labor"}).content.decode()
    found = client.get(reverse(LIST), {"q": "kitch"}).content.decode()
    assert "Restaurant outreach" in found
    assert "Guía para hoteles" not in found


def test_a_shared_thread_is_members_only_and_never_public(
    client: Client,
    member_client: Client,
    outsider_client: Client,
    coordinator: User,
    member: User,
    forum_thread: Thread,
) -> None:
    general = Category.objects.create(name="General")
    open_thread = create_thread(actor=member, category=general, title="Open tips", body="Hi")
    set_best_practice(actor=coordinator, thread=forum_thread, shared=True)
    set_best_practice(actor=coordinator, thread=open_thread, shared=True)
    # Even made public by hand, the database refuses it.
    with pytest.raises(IntegrityError), transaction.atomic():
        Resource.objects.filter(thread=open_thread).update(visibility="public")

    public = client.get(reverse(LIST)).content.decode()
    members = member_client.get(reverse(LIST)).content.decode()
    outsider = outsider_client.get(reverse(LIST)).content.decode()

    assert "Open tips" not in public
    assert forum_thread.title not in public
    assert "Open tips" in members
    assert forum_thread.title in members
    # The committee's thread stays with the committee.
    assert "Open tips" in outsider
    assert forum_thread.title not in outsider


def test_unsharing_a_thread_removes_its_resource(coordinator: User, forum_thread: Thread) -> None:
    set_best_practice(actor=coordinator, thread=forum_thread, shared=True)
    assert Resource.objects.filter(thread=forum_thread).exists()

    set_best_practice(actor=coordinator, thread=forum_thread, shared=False)

    assert not Resource.objects.filter(thread=forum_thread).exists()


@pytest.mark.parametrize("url", ["javascript:alert(1)", "ftp://example.org/file", "data:,x"])
def test_external_links_must_be_http(coordinator_client: Client, url: str) -> None:
    response = coordinator_client.post(
        reverse("forum:resource-create"),
        {
            "kind": "link",
            "title": "Bad",
            "url": url,
            "audience": "everyone",
            "language": "en",
            "visibility": "public",
            "submission_token": str(uuid.uuid4()),
        },
    )

    assert response.status_code == 200
    assert not Resource.objects.exists()


def test_service_refuses_a_link_without_http(coordinator: User) -> None:
    with pytest.raises(ValidationError):
        create_resource(
            actor=coordinator,
            values={"kind": "link", "title": "Bad", "url": "javascript:alert(1)"},
        )


def test_coordinators_add_edit_and_remove(coordinator_client: Client) -> None:
    data = {
        "kind": "link",
        "title": "Hotline",
        "url": "https://humantraffickinghotline.org/",
        "audience": "everyone",
        "language": "en-es",
        "tags": "hotline, hotline, help",
        "visibility": "public",
        "submission_token": str(uuid.uuid4()),
    }
    coordinator_client.post(reverse("forum:resource-create"), data)
    coordinator_client.post(reverse("forum:resource-create"), data)
    resource = Resource.objects.get()
    assert resource.tags == "hotline, help"

    coordinator_client.post(
        reverse("forum:resource-edit", args=[resource.pk]), {**data, "title": "The hotline"}
    )
    resource.refresh_from_db()
    assert resource.title == "The hotline"

    coordinator_client.post(reverse("forum:resource-delete", args=[resource.pk]))
    assert not Resource.objects.exists()
