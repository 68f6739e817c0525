import datetime
from typing import Any

from django.utils import timezone

from concord.accounts.models import User
from concord.agencies.models import Agency
from concord.directory.models import Attribute, Service, TaxonomyTerm
from concord.referrals.models import DeclineReason, Outcome, Referral, ReferralStatus, Urgency
from concord.referrals.queries import (
    exportable_figures,
    inbox,
    outbox,
    referral_figures,
    referrals_for,
    suppress_small,
)
from concord.referrals.services import referrals as workflow
from concord.referrals.tests.conftest import make_referral


def _sent(sender: User, service: Service, urgency: str) -> Referral:
    referral = make_referral(sender, service, urgency=urgency)
    return workflow.send_referral(actor=sender, referral=referral)


def test_referrals_are_scoped_to_the_two_agencies_and_the_role(
    sender: User,
    receiver: User,
    third_handler: User,
    no_role: User,
    coordinator: User,
    service: Service,
) -> None:
    draft = make_referral(sender, service)
    sent = _sent(sender, service, Urgency.ROUTINE)

    assert set(referrals_for(sender)) == {draft, sent}
    assert list(referrals_for(receiver)) == [sent]
    assert list(referrals_for(third_handler)) == []
    assert list(referrals_for(no_role)) == []
    assert list(referrals_for(coordinator)) == []
    assert set(outbox(sender)) == {draft, sent}


def test_the_inbox_puts_the_most_urgent_first_in_a_fixed_number_of_queries(
    sender: User,
    receiver: User,
    service: Service,
    need: TaxonomyTerm,
    django_assert_num_queries: Any,
) -> None:
    routine = _sent(sender, service, Urgency.ROUTINE)
    emergency = _sent(sender, service, Urgency.EMERGENCY)
    urgent = _sent(sender, service, Urgency.URGENT)
    for referral in (routine, emergency, urgent):
        referral.needs.add(need)
    receiver = User.objects.select_related("agency").get(pk=receiver.pk)

    with django_assert_num_queries(2):
        rows = list(inbox(receiver))
        names = [[term.name for term in row.needs.all()] for row in rows]
        services = [row.service.name for row in rows]

    assert rows == [emergency, urgent, routine]
    assert names == [["Emergency shelter"]] * 3
    assert len(services) == 3
    assert list(inbox(receiver, status=ReferralStatus.DECLINED)) == []


def test_small_counts_are_suppressed_for_export() -> None:
    assert suppress_small({"a": 0, "b": 1, "c": 4, "d": 5, "e": 12}) == {
        "a": 0,
        "b": None,
        "c": None,
        "d": 5,
        "e": 12,
    }


def test_figures_for_coordinators(
    sender: User, receiver: User, service: Service, need: TaxonomyTerm, receiving_agency: Agency
) -> None:
    Attribute.objects.create(link_id=service.pk, taxonomy_term=need, link_entity="service")
    accepted = _sent(sender, service, Urgency.ROUTINE)
    workflow.accept_referral(actor=receiver, referral=accepted)
    workflow.complete_referral(
        actor=receiver, referral=accepted, outcome=Outcome.REFERRED_ELSEWHERE
    )
    workflow.close_referral(actor=sender, referral=accepted)
    declined = _sent(sender, service, Urgency.URGENT)
    workflow.decline_referral(actor=receiver, referral=declined, reason=DeclineReason.LANGUAGE)
    _sent(sender, service, Urgency.EMERGENCY)
    make_referral(sender, service)  # a draft counts nowhere

    figures = referral_figures(now=timezone.now() + datetime.timedelta(days=1))

    assert figures["total"] == 3
    assert figures["by_category"] == {"Emergency shelter": 3}
    assert figures["by_receiving_agency"] == {"Receiving Agency": 3}
    assert figures["closed_with_outcome"] == 1
    assert figures["closed_loop_rate"] == 1 / 3
    assert figures["declines_by_reason"] == {"language": 1}
    assert figures["overdue"] == 1
    assert figures["median_hours_to_accept"] is not None
    exported = exportable_figures(figures)
    assert exported["by_category"] == {"Emergency shelter": None}
    assert exported["total"] is None
