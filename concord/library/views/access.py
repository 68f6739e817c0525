"""How the library's views reach a document: outsiders get 404 (or the login page when
not signed in), the document's owners alone edit it (403 for the other readers)."""

import functools
from collections.abc import Callable
from typing import Any

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect

from concord.core.permissions import can_edit_document, can_see_document
from concord.library import queries
from concord.library.models import Document


class LoginRequiredError(Exception):
    def __init__(self, response: HttpResponseRedirect) -> None:
        self.response = response


def visible_document(request: HttpRequest, pk: int) -> Document:
    document = queries.document_for_page(pk)
    if document is None:
        raise Http404
    if can_see_document(request.user, document):
        return document
    if not request.user.is_authenticated:
        raise LoginRequiredError(redirect_to_login(request.get_full_path()))
    raise Http404


def owned_document(request: HttpRequest, pk: int) -> Document:
    document = visible_document(request, pk)
    if not can_edit_document(request.user, document):
        raise PermissionDenied
    return document


def asks_to_sign_in(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Turn a LoginRequiredError raised by the access helpers into the login redirect."""

    @functools.wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except LoginRequiredError as refusal:
            return refusal.response

    return wrapped
