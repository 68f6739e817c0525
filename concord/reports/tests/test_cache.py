"""The dashboard's revision: renewed once per transaction that changes a counted record."""

from typing import Any

import pytest
from django.db import transaction

from concord.agencies.models import Sector
from concord.agencies.tests.factories import AgencyFactory
from concord.reports import cache

pytestmark = pytest.mark.django_db


def _bumps(callbacks: list[Any]) -> int:
    return sum(callback is cache._bump for callback in callbacks)


def test_a_transaction_saving_many_counted_records_renews_the_revision_once(
    django_capture_on_commit_callbacks: Any,
) -> None:
    before = cache.revision()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        AgencyFactory.create_batch(3, sector=Sector.HEALTH_CARE)

    assert _bumps(callbacks) == 1
    assert cache.revision() != before


def test_a_rolled_back_savepoint_does_not_keep_the_next_change_from_renewing(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks() as callbacks:
        try:
            with transaction.atomic():
                AgencyFactory()
                raise RuntimeError("the form was refused")
        except RuntimeError:
            pass
        AgencyFactory()

    assert _bumps(callbacks) == 1
