"""Demo documents of the policies and protocols library: an adopted public protocol, a
members' consent policy in three versions (for the difference page), an MOU template
uploaded as a PDF made at seed time, and a best practice open for comment with a comment.

Idempotent: a document whose title exists is left alone."""

import datetime
import hashlib
import random
from collections.abc import Sequence
from html import escape

from django.core.files.base import ContentFile
from django.utils import timezone

from concord.accounts.models import User
from concord.library.models import Comment, Document, DocumentVersion, StatusChange, Tag
from concord.library.services.documents import REVIEW_INTERVAL, search_text_of
from concord.meetings.models import Committee, Meeting

OWNER = "Policies and Protocols"
CONTACT = "Law enforcement to advocate contact protocol"
CONSENT = "Information sharing with consent"
MOU = "Memorandum of understanding template"
SCREENING = "Screening for labor trafficking: best practices"

CONTACT_TEXT = """# Purpose

How an officer who identifies a possible victim of human trafficking reaches an advocate,
so that the person is offered support before any interview goes further.

# Steps

1. Make sure the person is safe and has medical care if needed. In an emergency, call 911.
2. Tell the person, in a language they understand, that an advocate can help and that
   talking to the advocate is their choice.
3. Call the on-call advocate of a member victim-service agency. If nobody answers within
   15 minutes, call the National Human Trafficking Hotline: **1-888-373-7888** (24/7).
4. Give the advocate only what they need to meet the person: where and when.
5. Let the person speak with the advocate privately before any further interview.

# Records

Note the time of the call and the agency reached. Never record the person's immigration
status in the referral.
"""

CONSENT_VERSIONS = [
    (
        "First version",
        """# Information sharing with consent

Partners share a survivor's personally identifying information only with the survivor's
informed, written consent.
""",
    ),
    (
        "Consent is time-limited",
        """# Information sharing with consent

Partners share a survivor's personally identifying information only with the survivor's
informed, written, reasonably time-limited consent.

A consent lasts 90 days unless the survivor chooses a shorter time.
""",
    ),
    (
        "One release per receiving agency; never a condition of service",
        """# Information sharing with consent

Partners share a survivor's personally identifying information only with the survivor's
informed, written, reasonably time-limited consent.

Each release names one receiving agency and the minimum information needed.

A consent lasts 90 days unless the survivor chooses a shorter time.

Signing a release is never a condition of service, and the survivor may revoke it at
any time.
""",
    ),
]

SCREENING_TEXT = """# Screening for labor trafficking

- Ask about work conditions, pay and documents in a private place.
- Use a professional interpreter, never a co-worker or employer.
- Share the hotline, 1-888-373-7888, and text line 233733.
"""


def _mou_pdf() -> bytes:
    from weasyprint import HTML

    paragraphs = [
        "This memorandum of understanding is between the Contra Costa County Zero "
        "Tolerance for Human Trafficking coalition and [Partner agency].",
        "The partner agrees to take part in the coalition's meetings, to follow its "
        "protocols, and to share information about survivors only with their consent.",
        "Signed: ____________________    Date: ____________",
    ]
    body = "".join(f"<p>{escape(text)}</p>" for text in paragraphs)
    html = f"<html><body style='font-family: sans-serif'><h1>{escape(MOU)}</h1>{body}</body></html>"
    return bytes(HTML(string=html).write_pdf())


def _document(
    *,
    author: User,
    title: str,
    kind: str,
    owner_id: int | None,
    visibility: str,
    languages: str,
    tags: list[str],
    versions: Sequence[tuple[str, str | bytes]],
    statuses: list[str],
    **fields: object,
) -> Document:
    """A document with its versions (text, or the bytes of a PDF) and its status history.

    Written straight to the tables, as the other apps' demos are: the audit log is
    append-only, and a demo must not leave rows in it that no one did."""
    document = Document.objects.create(
        title=title,
        kind=kind,
        owner_committee_id=owner_id,
        visibility=visibility,
        languages=languages,
        status=statuses[-1],
        created_by=author,
        **fields,
    )
    document.tags.set([Tag.objects.get_or_create(name=name)[0] for name in tags])
    version = None
    for number, (note, content) in enumerate(versions, start=1):
        version = DocumentVersion(document=document, number=number, change_note=note, author=author)
        if isinstance(content, bytes):
            version.file_name = "MOU template.pdf"
            version.content_type = "application/pdf"
            version.file_size = len(content)
            version.sha256 = hashlib.sha256(content).hexdigest()
            version.file.save("version", ContentFile(content), save=False)
        else:
            version.text = content
        version.save()
    assert version is not None  # noqa: S101 (every demo document has a version)
    previous = ""
    for status in statuses:
        StatusChange.objects.create(
            document=document, from_status=previous, to_status=status, actor=author
        )
        previous = status
    document.current_version = version
    document.search_text = search_text_of(document, tags, version)
    document.save(update_fields=["current_version", "search_text"])
    return document


ADOPTED = ["draft", "committee_review", "coalition_vote", "adopted"]


def seed(*, scale: int, rng: random.Random) -> list[str]:
    author = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
    if author is None:
        return []
    committee = Committee.objects.filter(name=OWNER).first()
    owner_id = committee.pk if committee else None
    existing = set(Document.objects.values_list("title", flat=True))
    today = timezone.localdate()
    meeting = (
        Meeting.objects.filter(committee__isnull=True, starts_at__lt=timezone.now())
        .order_by("-starts_at")
        .first()
    )
    adoption = {
        "effective_on": meeting.starts_at.date() if meeting else today,
        "votes_yes": 18,
        "votes_no": 0,
        "votes_abstain": 2,
        "vote_meeting": meeting,
        "next_review_on": (meeting.starts_at.date() if meeting else today) + REVIEW_INTERVAL,
    }
    created: list[str] = []
    if CONTACT not in existing:
        _document(
            author=author,
            title=CONTACT,
            kind="protocol",
            owner_id=owner_id,
            visibility="public",
            languages="en,es",
            tags=["law enforcement", "advocates", "first contact"],
            versions=[("First version", CONTACT_TEXT)],
            statuses=ADOPTED,
            title_es="Protocolo de contacto entre la policía y las personas defensoras",
            **adoption,
        )
        created.append(CONTACT)
    if CONSENT not in existing:
        _document(
            author=author,
            title=CONSENT,
            kind="policy",
            owner_id=owner_id,
            visibility="members",
            languages="en,es",
            tags=["consent", "confidentiality", "information sharing"],
            versions=CONSENT_VERSIONS,
            statuses=ADOPTED,
            title_es="Intercambio de información con consentimiento",
            **adoption,
        )
        created.append(CONSENT)
    if MOU not in existing:
        _document(
            author=author,
            title=MOU,
            kind="template",
            owner_id=owner_id,
            visibility="members",
            languages="en",
            tags=["mou", "membership"],
            versions=[("First version", _mou_pdf())],
            statuses=["draft", "committee_review"],
        )
        created.append(MOU)
    if SCREENING not in existing:
        document = _document(
            author=author,
            title=SCREENING,
            kind="best_practice",
            owner_id=owner_id,
            visibility="members",
            languages="en",
            tags=["labor trafficking", "screening"],
            versions=[("First version", SCREENING_TEXT)],
            statuses=["draft", "open_for_comment"],
            comment_closes_on=today + datetime.timedelta(days=21),
        )
        commenter = (
            User.objects.filter(is_active=True, is_staff=False, agency__isnull=False)
            .order_by("pk")
            .first()
        )
        current = document.current_version
        if commenter is not None and current is not None:
            Comment.objects.create(
                version=current,
                author=commenter,
                body="Could we add a line on what to do when the employer is present?",
            )
        created.append(SCREENING)
    return [f"{len(created)} library documents"] if created else []
