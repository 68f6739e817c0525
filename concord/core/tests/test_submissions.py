import threading
import uuid

import pytest
from django.db import connection

from concord.accounts.models import User
from concord.agencies import services
from concord.agencies.models import Agency, Sector
from concord.core.submissions import create_once


@pytest.mark.django_db(transaction=True)
def test_racing_submits_of_one_form_create_one_record(coordinator: User) -> None:
    token = uuid.uuid4()
    barrier = threading.Barrier(4)
    urls: list[str] = []
    errors: list[BaseException] = []

    def submit() -> None:
        try:
            barrier.wait()
            urls.append(
                create_once(
                    token=token,
                    user=coordinator,
                    create=lambda: services.create_agency(
                        actor=coordinator,
                        values={"name": f"Racing {uuid.uuid4().hex[:6]}", "sector": Sector.OTHER},
                    ),
                    result_url=lambda agency: agency.get_absolute_url(),
                )
            )
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=submit) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Agency.objects.filter(name__startswith="Racing").count() == 1
    assert len(set(urls)) == 1
