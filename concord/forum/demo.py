"""Demo forum and resource library: a General category and one per committee, a few
threads with replies (one shared as a best practice) and a few curated resources."""

import datetime
import random

from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import AgencyStatus
from concord.forum.models import (
    Category,
    Post,
    Resource,
    ResourceAudience,
    ResourceKind,
    ResourceLanguage,
    ResourceVisibility,
    Thread,
)
from concord.meetings.models import Committee, CommitteeKind, CommitteeStatus

THREADS = [
    (
        None,
        "Outreach to hotels during January awareness month",
        "We visited 12 hotels last January with the hotline card and the SB 1193 notice. "
        "What worked: **short visits** at shift change, and materials in Spanish.",
        [
            "Same for us with restaurants. Bring the notice in the sizes the law requires.",
            "We partnered with the Chamber of Commerce; managers trusted the visit more.",
        ],
        True,
    ),
    (
        None,
        "Warm hand-off from an officer to an advocate",
        "How do your officers reach an advocate at night? Our protocol draft says: call the "
        "24/7 line, wait on scene, and never ask the person to repeat their story twice.",
        ["The 24/7 line works for us. Training officers on the script made the difference."],
        False,
    ),
    (
        "Training and Technical Assistance",
        "Trainer notes for the recognizing-trafficking module",
        "Sharing the facilitator notes we use with health care staff. Feedback welcome.",
        ["Thank you: the case studies (all fictional) were the most useful part."],
        False,
    ),
]

RESOURCES = [
    (
        "National Human Trafficking Hotline",
        "Línea Nacional contra la Trata de Personas",
        "Call 1-888-373-7888 or text 233733, 24/7, in English, Spanish and 200+ languages. "
        "Run by a non-profit; not law enforcement or immigration.",
        "https://humantraffickinghotline.org/",
        ResourceAudience.EVERYONE,
        ResourceLanguage.BOTH,
        "hotline, help, 24/7",
    ),
    (
        "California SB 1193: the required human trafficking notice",
        "California SB 1193: el aviso obligatorio sobre la trata",
        "Which businesses must post the notice with hotline numbers, and the model notice "
        "in several languages.",
        "https://oag.ca.gov/human-trafficking/sb1193",
        ResourceAudience.BUSINESSES,
        ResourceLanguage.OTHER,
        "SB 1193, businesses, notice, labor trafficking",
    ),
]


def _people() -> list[User]:
    return list(
        User.objects.filter(
            is_active=True, agency__isnull=False, agency__status=AgencyStatus.ACTIVE
        ).order_by("pk")[:6]
    )


def _categories() -> dict[str | None, Category]:
    general, _created = Category.objects.get_or_create(
        name="General",
        defaults={
            "name_es": "General",
            "description": "For every member of the coalition.",
            "description_es": "Para todos los miembros de la coalición.",
        },
    )
    categories: dict[str | None, Category] = {None: general}
    committees = Committee.objects.filter(
        kind=CommitteeKind.COMMITTEE, status=CommitteeStatus.ACTIVE
    ).order_by("name")[:8]
    for position, committee in enumerate(committees, start=1):
        categories[committee.name], _created = Category.objects.get_or_create(
            name=committee.name,
            defaults={"name_es": committee.name_es, "committee": committee, "position": position},
        )
    return categories


def _threads(categories: dict[str | None, Category], people: list[User]) -> list[Thread]:
    shared = []
    start = timezone.now() - datetime.timedelta(days=20)
    for number, (category_name, title, body, replies, best) in enumerate(THREADS):
        category = categories.get(category_name)
        if category is None or Thread.objects.filter(title=title).exists():
            continue
        author = people[number % len(people)]
        at = start + datetime.timedelta(days=3 * number)
        thread = Thread.objects.create(
            category=category,
            title=title,
            author=author,
            last_post_at=at,
            is_best_practice=best,
        )
        posts = [Post(thread=thread, author=author, body=body, notified_at=at)]
        for index, reply in enumerate(replies, start=1):
            posts.append(
                Post(
                    thread=thread,
                    author=people[(number + index) % len(people)],
                    body=reply,
                    notified_at=at,
                )
            )
        Post.objects.bulk_create(posts)
        Thread.objects.filter(pk=thread.pk).update(reply_count=len(replies))
        if best:
            shared.append(thread)
    return shared


def seed(*, scale: int, rng: random.Random) -> list[str]:
    people = _people()
    coordinator = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if not people or coordinator is None:
        return []
    lines = []
    categories = _categories()
    for thread in _threads(categories, people):
        Resource.objects.get_or_create(
            thread=thread,
            defaults={
                "kind": ResourceKind.THREAD,
                "title": thread.title,
                "visibility": ResourceVisibility.MEMBERS,
                "audience": ResourceAudience.SERVICE_PROVIDERS,
                "tags": "outreach, hotels, best practice",
                "created_by": coordinator,
            },
        )
        lines.append(f"forum thread shared as a best practice: {thread.title}")
    for title, title_es, summary, url, audience, language, tags in RESOURCES:
        _resource, created = Resource.objects.get_or_create(
            kind=ResourceKind.LINK,
            url=url,
            defaults={
                "title": title,
                "title_es": title_es,
                "summary": summary,
                "audience": audience,
                "language": language,
                "tags": tags,
                "visibility": ResourceVisibility.PUBLIC,
                "created_by": coordinator,
            },
        )
        if created:
            lines.append(f"resource: {title}")
    lines += _documents(coordinator)
    return lines


def _documents(coordinator: User) -> list[str]:
    """The library's public documents (if its demo made any) join the resources."""
    from concord.library.models import Document, Visibility

    lines = []
    documents = Document.objects.filter(visibility=Visibility.PUBLIC).order_by("pk")[:3]
    for document in documents:
        _resource, created = Resource.objects.get_or_create(
            kind=ResourceKind.DOCUMENT,
            document=document,
            defaults={
                "title": document.title,
                "title_es": document.title_es,
                "visibility": ResourceVisibility.PUBLIC,
                "created_by": coordinator,
            },
        )
        if created:
            lines.append(f"resource: {document.title}")
    return lines
