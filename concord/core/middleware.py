from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import add_never_cache_headers


class NoStoreMiddleware:
    """Keep every page Concord renders out of the browser's and proxies' caches.

    A cached page on a shared or watched computer can expose a visit, so dynamic responses
    get ``Cache-Control: no-store``; static files, served earlier by WhiteNoise, keep their
    long cache lifetimes.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        add_never_cache_headers(response)
        return response
