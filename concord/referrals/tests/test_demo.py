from io import StringIO

from django.core.management import call_command

from concord.accounts.models import User
from concord.referrals.models import Referral, ReferralStatus


def test_the_demo_has_referrals_in_various_states(db: None) -> None:
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())
    call_command("seed_demo", "--quiet-logins", stdout=StringIO())

    referrals = list(Referral.objects.all())
    assert len(referrals) >= 5
    assert {referral.status for referral in referrals} >= {
        ReferralStatus.SENT,
        ReferralStatus.IN_PROGRESS,
        ReferralStatus.CLOSED,
    }
    labels = [referral.client_label for referral in referrals if referral.client_label]
    assert labels
    assert all(label.startswith("Demo client") for label in labels)
    assert all(r.consent_id is not None for r in referrals if r.client_label)
    assert User.objects.get(email="referrals@example.org").handles_referrals
