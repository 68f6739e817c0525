import random

from concord.accounts.models import User
from concord.library import demo
from concord.library.models import Comment, Document
from concord.meetings.models import Committee


def test_demo_seed_is_idempotent_and_builds_each_kind_of_document(
    coordinator: User, member: User
) -> None:
    Committee.objects.create(name=demo.OWNER)

    demo.seed(scale=1, rng=random.Random(1))
    demo.seed(scale=1, rng=random.Random(1))

    assert Document.objects.count() == 4
    contact = Document.objects.get(title=demo.CONTACT)
    assert (contact.status, contact.visibility) == ("adopted", "public")
    assert contact.next_review_on is not None
    assert Document.objects.get(title=demo.CONSENT).versions.count() == 3
    mou = Document.objects.get(title=demo.MOU).current_version
    assert mou is not None
    with mou.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    screening = Document.objects.get(title=demo.SCREENING)
    assert screening.status == "open_for_comment"
    assert Comment.objects.filter(version__document=screening).count() == 1
