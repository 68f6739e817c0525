"""SECURITY.md rule 10 for the forum and the resource library: whatever members type is
shown as text; Markdown goes through the sanitizer, so no script or javascript: link
survives it."""

import re

from django.test import Client
from django.urls import reverse
from hypothesis import given

from concord.accounts.models import User
from concord.forum.models import Post, Resource, Thread
from tests.test_escaping import FUZZ, PAYLOADS, assert_shown_as_text, payloads


@FUZZ
@given(text=payloads)
def test_thread_titles_post_bodies_and_resources_are_escaped(
    text: str, member_client: Client, coordinator: User, forum_thread: Thread, resource: Resource
) -> None:
    Thread.objects.filter(pk=forum_thread.pk).update(title=text)
    Post.objects.filter(thread=forum_thread).update(body=text)
    Resource.objects.filter(pk=resource.pk).update(title=text, summary=text, tags=text[:300])

    thread_page = member_client.get(forum_thread.get_absolute_url()).content.decode()
    category_page = member_client.get(forum_thread.category.get_absolute_url()).content.decode()
    resources = member_client.get(reverse("forum:resource-list")).content.decode()

    assert_shown_as_text(category_page, text)
    assert_shown_as_text(resources, text)
    for payload in PAYLOADS:
        if payload.startswith("<"):
            assert payload not in thread_page
    assert not re.search(r"href=\"\s*javascript:", thread_page, re.IGNORECASE)
    assert "<img src=x" not in thread_page
