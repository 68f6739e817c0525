"""Many people sending a form at the same moment over HTTP: the load suite's client side.

Each person has a browser of their own (cookies, a loopback source address). They open
the pages before the form (a link that binds their session, say), open the page that
holds the form and fill it in, wait at a barrier, and post together. A person who
double-clicks posts the same filled-in form twice at the same moment.

``tests/test_load.py`` runs the scenarios at a small size against the test server, on
SQLite and on PostgreSQL; ``make bench-load`` runs them at full size against gunicorn.
"""

import http.client
import threading
import time
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from bench.browser import Browser, Response, Tally
from bench.htmlforms import Answer, find_form, parse_forms


def source_address(index: int) -> str:
    """Person ``index`` (0-based) connects from 127.0.0.2 onwards: limits per address
    apply to each person, as they would to people on their own connections."""
    return f"127.0.0.{index % 253 + 2}"


@dataclass
class Person:
    browser: Browser
    page: str  # the page holding the form
    action: str  # where the form posts
    answers: Mapping[str, Answer] = field(default_factory=dict)
    before: Sequence[str] = ()  # pages opened first, in order
    clicks: int = 1  # 2: the same filled-in form posted twice at once
    form: list[tuple[str, str]] | None = None
    responses: list[Response] = field(default_factory=list)
    error: str | None = None

    def open(self) -> None:
        for path in self.before:
            self.browser.get_page(path)
        path, page = self.browser.get_page(self.page)
        form = find_form(parse_forms(page.body), self.browser.base_url + path, self.action)
        self.form = form.fill(dict(self.answers))

    def post(self) -> None:
        assert self.form is not None
        form = self.form

        def once() -> None:
            try:
                response = self.browser.request("POST", self.action, form)
            except (OSError, http.client.HTTPException) as error:
                self.error = f"POST {self.action}: {type(error).__name__}: {error}"
                return
            self.responses.append(response)

        if self.clicks == 1:
            once()
            return
        clicks = [threading.Thread(target=once) for _ in range(self.clicks)]
        for click in clicks:
            click.start()
        for click in clicks:
            click.join()


@dataclass
class Outcome:
    people: list[Person]
    tally: Tally
    seconds: float  # from the barrier to the last response

    @property
    def server_errors(self) -> int:
        return self.tally.server_errors

    @property
    def failures(self) -> list[str]:
        return [person.error for person in self.people if person.error]

    def statuses(self) -> Counter[int]:
        return Counter(r.status for person in self.people for r in person.responses)

    def milliseconds(self) -> list[float]:
        return [r.ms for person in self.people for r in person.responses]


def people(
    base_url: str,
    count: int,
    tally: Tally,
    *,
    page: str,
    action: str,
    answers: Mapping[str, Answer] | None = None,
    clicks: int = 1,
) -> list[Person]:
    """``count`` people sending the same form, each from their own address."""
    return [
        Person(
            Browser(base_url, source_address(index), tally),
            page,
            action,
            answers or {},
            clicks=clicks,
        )
        for index in range(count)
    ]


def at_once(crowd: list[Person], tally: Tally, timeout: float = 600) -> Outcome:
    """Everyone opens their form, then all post together."""
    released: list[float] = []
    barrier = threading.Barrier(
        len(crowd), action=lambda: released.append(time.perf_counter()), timeout=timeout
    )

    def walk(person: Person) -> None:
        try:
            person.open()
        except Exception as error:  # any failure must still reach the barrier below
            person.error = f"open {person.page}: {type(error).__name__}: {error}"
        try:
            barrier.wait()  # those that failed wait too, so the others are not left hanging
        except threading.BrokenBarrierError:
            person.error = person.error or "the barrier broke"
            return
        if person.form is not None:
            person.post()

    threads = [threading.Thread(target=walk, args=(person,), daemon=True) for person in crowd]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    start = released[0] if released else time.perf_counter()
    return Outcome(crowd, tally, max(0.0, time.perf_counter() - start))
