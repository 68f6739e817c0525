import threading

import pytest
from django.db import connection

from concord.trainings.models import Registration, RegistrationStatus
from concord.trainings.services import registration as registrations
from concord.trainings.tests.factories import RegistrationFactory, SessionFactory


@pytest.mark.django_db(transaction=True)
def test_ten_people_confirming_at_once_for_three_seats_get_three_seats_and_seven_waits() -> None:
    session = SessionFactory(capacity=5)
    RegistrationFactory.create_batch(2, session=session)
    pending = [
        RegistrationFactory(
            session=session,
            status=RegistrationStatus.PENDING,
            queued_at=None,
            email=f"racer{index}@example.net",
        )
        for index in range(10)
    ]
    barrier = threading.Barrier(len(pending))
    errors: list[BaseException] = []

    def confirm(registration: Registration) -> None:
        try:
            barrier.wait()
            registrations.confirm_registration(registration=registration)
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=confirm, args=(r,)) for r in pending]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    statuses = [Registration.objects.get(pk=r.pk).status for r in pending]
    assert statuses.count(RegistrationStatus.REGISTERED) == 3
    assert statuses.count(RegistrationStatus.WAITLISTED) == 7
    assert registrations.seats_taken(session) == session.capacity
