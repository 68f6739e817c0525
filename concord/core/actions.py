from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest


def perform(request: HttpRequest, action: Callable[[], object], *, success: str) -> bool:
    """Run one service call for a POST-only view and tell the person how it went.

    A service refuses a change with a ValidationError in the user's language; that text
    becomes the error message, and nothing else is shown. Returns whether it succeeded.
    """
    try:
        action()
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return False
    messages.success(request, success)
    return True
