"""A simulated applicant's browser: cookies, plain HTTP/1.1 from its own loopback
address, every redirect checked, and a tally of every response across the threads."""

import http.client
import re
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlencode, urljoin, urlsplit

from bench.server import HOST


@dataclass
class Response:
    status: int
    body: str
    location: str | None
    ms: float


@dataclass
class Tally:
    """Every response's status across the threads, and samples of what went wrong."""

    statuses: Counter[int] = field(default_factory=Counter)
    server_errors: int = 0
    samples: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, method: str, path: str, status: int) -> None:
        with self.lock:
            self.statuses[status] += 1
            if status >= 500:
                self.server_errors += 1
                self.note(f"HTTP {status} for {method} {path}")

    def note(self, sample: str) -> None:
        if len(self.samples) < 20:
            self.samples.append(sample)


class FlowError(Exception):
    pass


class Browser:
    """Cookies and plain HTTP/1.1 from one loopback address; no redirect is followed
    by itself, so every hop is checked."""

    def __init__(self, base_url: str, source_ip: str, tally: Tally, timeout: float = 120):
        parts = urlsplit(base_url)
        self.base_url = base_url
        self.host, self.port = parts.hostname or HOST, parts.port or 80
        self.source_ip = source_ip
        self.tally = tally
        self.timeout = timeout
        self.cookies: dict[str, str] = {}

    def request(
        self, method: str, path: str, data: list[tuple[str, str]] | None = None
    ) -> Response:
        headers = {"Host": f"{self.host}:{self.port}", "User-Agent": "concord-bench"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        body = None
        if data is not None:
            body = urlencode(data).encode()
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Origin"] = f"http://{self.host}:{self.port}"
            headers["Referer"] = urljoin(self.base_url, path)
        # gunicorn's sync workers close every connection after one response.
        connection = http.client.HTTPConnection(
            self.host, self.port, timeout=self.timeout, source_address=(self.source_ip, 0)
        )
        try:
            started = time.perf_counter()
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            ms = (time.perf_counter() - started) * 1000
        finally:
            connection.close()
        self.tally.record(method, path, response.status)
        for header in response.headers.get_all("Set-Cookie") or []:
            self._store(header)
        return Response(
            response.status,
            content.decode("utf-8", "replace"),
            response.headers.get("Location"),
            ms,
        )

    def _store(self, header: str) -> None:
        cookie: SimpleCookie = SimpleCookie()
        cookie.load(header)
        for name, morsel in cookie.items():
            if morsel["max-age"] == "0" or not morsel.value:
                self.cookies.pop(name, None)
            else:
                self.cookies[name] = morsel.value

    def get_page(self, path: str) -> tuple[str, Response]:
        """GET ``path`` and the redirects after it, to a page that answers 200."""
        for _hop in range(6):
            response = self.request("GET", path)
            if response.status == 200:
                return path, response
            if response.status not in (301, 302, 303) or not response.location:
                raise FlowError(f"HTTP {response.status} for GET {path}")
            path = urlsplit(urljoin(self.base_url + path, response.location)).path
        raise FlowError(f"too many redirects from GET {path}")

    def post_form(self, path: str, data: list[tuple[str, str]]) -> tuple[str, Response]:
        """POST and expect a redirect: the path it points to."""
        response = self.request("POST", path, data)
        if response.status in (302, 303) and response.location:
            return urlsplit(urljoin(self.base_url + path, response.location)).path, response
        raise FlowError(f"HTTP {response.status} for POST {path}{form_errors(response.body)}")


def form_errors(html: str) -> str:
    """The error messages of a page that re-rendered its form, for the report."""
    found = re.findall(r'class="[^"]*usa-error-message[^"]*"[^>]*>\s*([^<]{1,120})', html)
    return f": {'; '.join(m.strip() for m in found[:3])}" if found else ""
