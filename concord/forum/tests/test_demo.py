from django.core.management import call_command

from concord.forum.models import Category, Post, Resource, Thread


def test_demo_is_idempotent(db: None) -> None:
    call_command("seed_demo", "--quiet-logins", verbosity=0)
    counts = (Category.objects.count(), Thread.objects.count(), Post.objects.count())
    resources = Resource.objects.count()

    call_command("seed_demo", "--quiet-logins", verbosity=0)

    assert (Category.objects.count(), Thread.objects.count(), Post.objects.count()) == counts
    assert Resource.objects.count() == resources
    assert Category.objects.filter(name="General", committee__isnull=True).exists()
    assert Category.objects.filter(committee__isnull=False).count() >= 4
    assert Thread.objects.filter(is_best_practice=True, resource__isnull=False).count() == 1
    assert Resource.objects.filter(url="https://humantraffickinghotline.org/").exists()
