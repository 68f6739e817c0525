"""The coalition's model."""

import datetime

import time_machine
from django.core import checks

from concord.coalition.models import Coalition


@time_machine.travel(datetime.datetime(2026, 11, 28, 10, 30, tzinfo=datetime.UTC), tick=False)
def test_meeting_time_defaults_pass_the_checks_at_the_time_they_name() -> None:
    # Django warns (fields.W161) about a fixed time default within 10 s of now, which made
    # `check --deploy --fail-level WARNING` fail at 9:00 and 10:30 UTC.
    warnings = [
        message
        for name in ("meeting_starts", "meeting_ends")
        for message in Coalition._meta.get_field(name).check()
        if message.level >= checks.WARNING
    ]
    assert warnings == []
    assert Coalition().meeting_ends == datetime.time(10, 30)
    assert Coalition().meeting_starts == datetime.time(9, 0)
