import re

import pytest

from concord.accounts.models import User
from concord.assistance.models import AssistanceRequest, RequestStatus
from concord.assistance.tests.factories import AssistanceRequestFactory
from tests.mail import Mailbox


def link_in(mailbox: Mailbox, pattern: str) -> str:
    """The path of the newest link in the mailbox whose path contains ``pattern``."""
    for body in reversed(mailbox.bodies()):
        if found := re.search(r"https?://[^/\s]+(\S*" + pattern + r"\S*)", body):
            return found.group(1)
    raise AssertionError(f"No email with a link matching {pattern}")


@pytest.fixture
def new_request(db: None) -> AssistanceRequest:
    return AssistanceRequestFactory(status=RequestStatus.NEW)


@pytest.fixture
def assigned_request(member: User) -> AssistanceRequest:
    return AssistanceRequestFactory(status=RequestStatus.ASSIGNED, assigned_expert=member)
