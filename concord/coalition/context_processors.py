from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from concord.coalition.queries import current_coalition


def coalition(request: HttpRequest) -> dict[str, Any]:
    return {"coalition": SimpleLazyObject(current_coalition)}
