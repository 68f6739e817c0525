from io import StringIO

from django.core.management import call_command

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.assistance.models import AssistanceRequest
from concord.coalition.models import Coalition
from concord.membership.models import Application, MembershipTerm
from concord.referrals.models import Consent, Referral


def _seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def test_seed_demo_loads_the_demo_coalition_and_prints_the_logins(db: None) -> None:
    output = _seed()

    assert Coalition.objects.get().short_name == "Zero Tolerance Coalition"
    assert "coordinator@example.org" in output
    assert "TOTP secret" in output
    assert User.objects.get(email="coordinator@example.org").is_coordinator


def test_seed_demo_twice_adds_nothing(db: None) -> None:
    _seed()
    counts = (
        Agency.objects.count(),
        User.objects.count(),
        Application.objects.count(),
        MembershipTerm.objects.count(),
    )

    _seed()

    assert (
        Agency.objects.count(),
        User.objects.count(),
        Application.objects.count(),
        MembershipTerm.objects.count(),
    ) == counts


def _people() -> list[tuple[str, str, str]]:
    return list(User.objects.order_by("email").values_list("email", "full_name", "agency__name"))


def test_scale_multiplies_rows_and_is_deterministic(db: None) -> None:
    _seed("--scale", "3", "--quiet-logins")
    first = _people()
    # Applications keep their reviewers and agencies (protected keys): they go first.
    Application.objects.all().delete()
    # Referrals and consents keep their senders and agencies (protected keys) too.
    Referral.objects.all().delete()
    Consent.objects.all().delete()
    # Technical assistance requests keep their experts (and with them their history and
    # hours).
    AssistanceRequest.objects.all().delete()
    # Forum threads, posts and resources keep their authors (issue 8).
    from concord.forum.models import Resource, Thread

    Resource.objects.all().delete()
    Thread.objects.all().delete()
    User.objects.all().delete()
    Agency.objects.all().delete()

    _seed("--scale", "3", "--quiet-logins")

    assert Agency.objects.count() == 90
    assert _people() == first
