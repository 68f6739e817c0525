import datetime
import random
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from concord.agencies.models import Agency
from concord.membership.models import Application, ApplicationStatus, MembershipTerm
from concord.membership.queries import possible_duplicates
from concord.membership.services.schedule import decide_by_for


@pytest.fixture
def seeded(db: None) -> None:
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())


def test_the_demo_has_applications_in_every_status(seeded: None) -> None:
    statuses = set(Application.objects.values_list("status", flat=True))

    assert statuses == set(ApplicationStatus.values)


def test_every_active_demo_agency_has_a_term_and_a_few_end_within_a_month(seeded: None) -> None:
    soon = timezone.localdate() + datetime.timedelta(days=30)

    assert not Agency.objects.active().filter(membership_terms__isnull=True).exists()
    assert MembershipTerm.objects.filter(ends_on__lte=soon).count() == 3


def test_demo_applications_in_review_are_dated_to_coalition_meetings(seeded: None) -> None:
    for application in Application.objects.undecided():
        assert application.meeting is not None
        assert application.decide_by == decide_by_for(application.meeting, 7)
        assert application.value_statements.count() == 5


def test_one_demo_application_is_a_possible_duplicate(seeded: None) -> None:
    flagged = [a.legal_name for a in Application.objects.all() if possible_duplicates(a).domains]

    assert flagged == ["Harbor Light Outreach Program"]


def test_the_demo_references_are_the_same_on_every_machine(db: None) -> None:
    from concord.membership.demo import _reference

    assert _reference(random.Random(1), set()) == _reference(random.Random(1), set())
