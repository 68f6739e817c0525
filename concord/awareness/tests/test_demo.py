import random

from concord.awareness import demo
from concord.awareness.models import Activity, Campaign, Material
from concord.meetings.entries import calendar_entries


def test_demo_seed_is_idempotent_and_puts_january_on_the_calendar(db: None) -> None:
    list(demo.seed(scale=1, rng=random.Random(1)))
    counts = (Campaign.objects.count(), Activity.objects.count(), Material.objects.count())

    list(demo.seed(scale=1, rng=random.Random(1)))

    assert (Campaign.objects.count(), Activity.objects.count(), Material.objects.count()) == counts
    pdf = Material.objects.filter(content_type="application/pdf").first()
    assert pdf is not None
    with pdf.file.open("rb") as stored:
        assert stored.read(5) == b"%PDF-"
    day = Activity.objects.get(title__startswith="National Human Trafficking Awareness Day")
    entries = calendar_entries(None, start=day.starts_at, end=day.ends_at)
    assert [entry.title for entry in entries if entry.uid.startswith("awareness-")] == [day.title]
