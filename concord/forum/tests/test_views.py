import uuid

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from concord.accounts.models import User
from concord.audit.models import AuditEvent
from concord.forum.models import Category, Post, PostReport, PostRevision, Thread
from concord.forum.services.moderation import hide_post, set_thread_locked
from concord.forum.services.posts import create_thread
from concord.meetings.models import Committee


@pytest.fixture
def general(db: None) -> Category:
    return Category.objects.create(name="General")


def _reply(client: Client, thread: Thread, body: str, token: uuid.UUID | None = None) -> object:
    return client.post(
        reverse("forum:post-reply", args=[thread.pk]),
        {"body": body, "submission_token": str(token or uuid.uuid4())},
    )


def test_committee_category_is_hidden_from_other_members(
    outsider_client: Client, forum_thread: Thread, forum_category: Category
) -> None:
    listing = outsider_client.get(reverse("forum:category-list"))

    assert forum_category.name not in listing.content.decode()
    assert outsider_client.get(forum_category.get_absolute_url()).status_code == 404
    assert outsider_client.get(forum_thread.get_absolute_url()).status_code == 404


def test_committee_members_see_their_category(
    member_client: Client, forum_thread: Thread, forum_category: Category
) -> None:
    listing = member_client.get(reverse("forum:category-list")).content.decode()
    page = member_client.get(forum_category.get_absolute_url()).content.decode()

    assert forum_category.name in listing
    assert forum_thread.title in page


def test_people_without_a_member_agency_are_refused(db: None, general: Category) -> None:
    from concord.accounts.tests.factories import UserFactory
    from conftest import sign_in

    client = sign_in(Client(), UserFactory(email="nobody@example.org", agency=None, agency_role=""))

    assert client.get(reverse("forum:category-list")).status_code == 403
    assert client.get(general.get_absolute_url()).status_code == 403


def test_new_thread_form_warns_about_survivor_information(
    member_client: Client, general: Category
) -> None:
    page = member_client.get(reverse("forum:thread-create", args=[general.pk])).content.decode()

    assert "No survivor-identifying information" in page
    assert "novalidate" in page


def test_starting_a_thread_twice_with_one_token_makes_one_thread(
    member_client: Client, general: Category
) -> None:
    data = {"title": "Outreach", "body": "Hello", "submission_token": str(uuid.uuid4())}
    url = reverse("forum:thread-create", args=[general.pk])

    first = member_client.post(url, data)
    second = member_client.post(url, data)

    assert Thread.objects.count() == 1
    assert Post.objects.count() == 1
    assert first["Location"] == second["Location"] == Thread.objects.get().get_absolute_url()
    assert AuditEvent.objects.filter(action="concord.forum.thread.created").count() == 1


def test_double_submitted_reply_makes_one_post(member_client: Client, forum_thread: Thread) -> None:
    token = uuid.uuid4()

    _reply(member_client, forum_thread, "Agreed.", token)
    _reply(member_client, forum_thread, "Agreed.", token)

    forum_thread.refresh_from_db()
    assert forum_thread.posts.count() == 2
    assert forum_thread.reply_count == 1


@pytest.mark.parametrize(
    "body",
    [
        "[click](javascript:alert(1))",
        "[click](JaVaScRiPt:alert(1))",
        "![x](data:text/html;base64,PHNjcmlwdD4=)",
        "<a href='javascript:alert(1)'>x</a> [y](vbscript:msgbox)",
    ],
)
def test_unsafe_links_are_refused_keeping_what_was_typed(
    member_client: Client, forum_thread: Thread, body: str
) -> None:
    response = _reply(member_client, forum_thread, body)

    page = response.content.decode()  # type: ignore[attr-defined]
    assert response.status_code == 200  # type: ignore[attr-defined]
    assert "Links must start with http, https or mailto" in page
    assert forum_thread.posts.count() == 1
    # The textarea keeps the text, escaped (Jinja2 writes ' as &#39;).
    assert escape(body).replace("&#x27;", "&#39;") in page


def test_script_in_a_post_is_shown_as_text(member_client: Client, forum_thread: Thread) -> None:
    _reply(
        member_client, forum_thread, "<script>alert(1)</script> and <img src=x onerror=alert(2)>"
    )

    page = member_client.get(forum_thread.get_absolute_url()).content.decode()

    assert "<script>alert(1)" not in page
    assert "<img src=x" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_markdown_is_rendered(member_client: Client, forum_thread: Thread) -> None:
    page = member_client.get(forum_thread.get_absolute_url()).content.decode()

    assert "<strong>short visits</strong>" in page


def test_locked_thread_refuses_replies(
    member_client: Client, coordinator: User, forum_thread: Thread
) -> None:
    set_thread_locked(actor=coordinator, thread=forum_thread, locked=True)

    response = _reply(member_client, forum_thread, "One more thing")
    page = member_client.get(forum_thread.get_absolute_url()).content.decode()

    assert response.status_code == 302  # type: ignore[attr-defined]
    assert forum_thread.posts.count() == 1
    assert "no more replies" in page
    assert reverse("forum:post-reply", args=[forum_thread.pk]) not in page


def test_hidden_post_body_is_not_shown_to_members(
    member_client: Client,
    representative_client: Client,
    coordinator: User,
    forum_post: Post,
) -> None:
    hide_post(actor=coordinator, post=forum_post, reason="Identifying details")

    for client in (member_client, representative_client):
        page = client.get(forum_post.thread.get_absolute_url()).content.decode()
        assert "short visits" not in page
        assert "hidden by a coordinator" in page
    # Nor through its history, nor quoted into a reply.
    assert (
        representative_client.get(reverse("forum:post-history", args=[forum_post.pk])).status_code
        == 403
    )
    reply = representative_client.get(
        reverse("forum:post-reply", args=[forum_post.thread_id]) + f"?quote={forum_post.pk}"
    ).content.decode()
    assert "short visits" not in reply


def test_coordinator_hides_and_shows_a_post_again(
    coordinator_client: Client, forum_post: Post
) -> None:
    coordinator_client.post(reverse("forum:post-hide", args=[forum_post.pk]), {"reason": "Names"})
    forum_post.refresh_from_db()
    assert forum_post.is_hidden
    assert forum_post.hidden_reason == "Names"

    coordinator_client.post(reverse("forum:post-unhide", args=[forum_post.pk]))
    forum_post.refresh_from_db()
    assert not forum_post.is_hidden
    assert list(
        AuditEvent.objects.filter(object_type="forum.post", object_id=str(forum_post.pk))
        .order_by("pk")
        .values_list("action", flat=True)
    ) == ["concord.forum.post.hidden", "concord.forum.post.unhidden"]


def test_quote_link_fills_the_reply_form(representative_client: Client, forum_post: Post) -> None:
    page = representative_client.get(
        reverse("forum:post-reply", args=[forum_post.thread_id]) + f"?quote={forum_post.pk}"
    ).content.decode()

    assert "&gt; **Marco A:**" in page
    assert "&gt; What worked for us: **short visits**." in page


def test_editing_keeps_the_history(member_client: Client, forum_post: Post) -> None:
    response = member_client.post(
        reverse("forum:post-edit", args=[forum_post.pk]), {"body": "Second thoughts."}
    )
    history = member_client.get(reverse("forum:post-history", args=[forum_post.pk]))

    forum_post.refresh_from_db()
    assert response.status_code == 302
    assert forum_post.body == "Second thoughts."
    assert forum_post.edited_at is not None
    assert list(PostRevision.objects.values_list("body", flat=True)) == [
        "What worked for us: **short visits**."
    ]
    assert "short visits" in history.content.decode()
    assert "Second thoughts." in history.content.decode()


def test_only_the_author_edits(representative_client: Client, forum_post: Post) -> None:
    response = representative_client.post(
        reverse("forum:post-edit", args=[forum_post.pk]), {"body": "Taken over"}
    )

    forum_post.refresh_from_db()
    assert response.status_code == 403
    assert forum_post.body.startswith("What worked")


def test_report_flow(
    representative_client: Client, coordinator_client: Client, forum_post: Post
) -> None:
    token = str(uuid.uuid4())
    url = reverse("forum:post-report", args=[forum_post.pk])
    representative_client.post(url, {"reason": "Names a client", "submission_token": token})
    representative_client.post(url, {"reason": "Names a client", "submission_token": token})
    report = PostReport.objects.get()

    queue = coordinator_client.get(reverse("forum:report-list")).content.decode()
    assert "Names a client" in queue
    assert representative_client.get(reverse("forum:report-list")).status_code == 403

    coordinator_client.post(reverse("forum:report-handle", args=[report.pk]))

    report.refresh_from_db()
    assert report.handled_at is not None
    assert (
        "No reports are waiting."
        in coordinator_client.get(reverse("forum:report-list")).content.decode()
    )
    assert AuditEvent.objects.filter(action="concord.forum.report.handled").count() == 1


def test_subscribing_and_unsubscribing(member_client: Client, forum_thread: Thread) -> None:
    url = reverse("forum:thread-subscription", args=[forum_thread.pk])

    member_client.post(url, {"mode": "digest"})
    assert forum_thread.subscriptions.get().mode == "digest"
    member_client.post(url, {"mode": "immediate"})
    assert forum_thread.subscriptions.get().mode == "immediate"
    member_client.post(url, {"mode": "stop"})
    assert not forum_thread.subscriptions.exists()


def test_spanish_pages_render(member_client: Client, forum_thread: Thread) -> None:
    response = member_client.get(f"/es{forum_thread.get_absolute_url()}")

    assert response.status_code == 200
    assert 'lang="es"' in response.content.decode()


def _many_posts(thread: Thread, author: User, count: int) -> None:
    now = timezone.now()
    Post.objects.bulk_create(
        Post(thread=thread, author=author, body=f"Reply {n} with *emphasis*", created_at=now)
        for n in range(count)
    )
    Thread.objects.filter(pk=thread.pk).update(reply_count=count)


def _queries(client: Client, url: str) -> int:
    client.get(url)  # the first request of a session warms caches of its own
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_thread_page_queries_do_not_grow_with_replies(
    member_client: Client, member: User, representative: User, general: Category
) -> None:
    small = create_thread(actor=member, category=general, title="Small", body="Hi")
    big = create_thread(actor=member, category=general, title="Big", body="Hi")
    _many_posts(small, representative, 3)
    _many_posts(big, representative, 500)

    few = _queries(member_client, small.get_absolute_url())
    many = _queries(member_client, big.get_absolute_url())
    last = _queries(member_client, big.get_absolute_url() + "?page=last")

    assert few == many == last
    page = member_client.get(big.get_absolute_url() + "?page=last").content.decode()
    assert "Page 11 of 11" in page


def test_category_page_queries_do_not_grow_with_threads(
    member_client: Client, member: User, general: Category, committee: Committee
) -> None:
    other = Category.objects.create(name="Other")
    create_thread(actor=member, category=other, title="One", body="Hi")
    for n in range(40):
        create_thread(actor=member, category=general, title=f"Thread {n}", body="Hi")

    assert _queries(member_client, other.get_absolute_url()) == _queries(
        member_client, general.get_absolute_url()
    )
