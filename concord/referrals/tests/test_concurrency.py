import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from concord.accounts.models import User
from concord.referrals.models import Referral, ReferralStatus
from concord.referrals.services import referrals as workflow


@pytest.mark.django_db(transaction=True)
def test_two_people_accepting_at_once_give_one_accept_and_one_clear_error(
    receiver: User, colleague: User, sent_referral: Referral
) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("Row locks need PostgreSQL; SQLite serialises writers (sequential test).")
    barrier = threading.Barrier(2)
    accepted: list[int] = []
    errors: list[str] = []
    others: list[BaseException] = []

    def accept(person: User) -> None:
        try:
            barrier.wait()
            workflow.accept_referral(actor=person, referral=sent_referral)
            accepted.append(person.pk)
        except ValidationError as error:
            errors.extend(error.messages)
        except BaseException as error:  # reported by the assertion below
            others.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(person,)) for person in (receiver, colleague)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert others == []
    assert len(accepted) == 1
    assert errors == ["Someone at your agency already accepted this referral."]
    referral = Referral.objects.get()
    assert referral.status == ReferralStatus.ACCEPTED
    assert referral.changes.filter(to_status=ReferralStatus.ACCEPTED).count() == 1
