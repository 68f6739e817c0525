import datetime
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any
from urllib.parse import urlsplit

import time_machine
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from concord.accounts.models import User
from concord.trainings.models import Evaluation, SessionStatus
from concord.trainings.services.attendance import record_attendance
from concord.trainings.services.evaluations import (
    evaluation_token,
    queue_evaluation_requests,
    submit_evaluation,
)
from concord.trainings.tests.factories import (
    EvaluationFactory,
    PastSessionFactory,
    SeatFactory,
)
from tests.mail import Mailbox
from tests.tasks import run_queued_tasks

Capture = Callable[..., AbstractContextManager[Any]]
LINK = re.compile(r"https?://\S+")
ANSWERS = {"overall": "5", "content": "4", "trainer": "5", "usefulness": "3", "comments": "Useful."}


def _attended(session: Any, *seats: Any) -> None:
    record_attendance(
        actor=None, session=session, attended={seat.pk: True for seat in seats}, notify=False
    )


def _form_url(registration: Any) -> str:
    return reverse("trainings:evaluation-form", kwargs={"token": evaluation_token(registration)})


def test_attendees_of_an_ended_session_are_asked_once(
    db: None, smtp_server: Mailbox, django_capture_on_commit_callbacks: Capture
) -> None:
    session = PastSessionFactory(training__title="Serving survivors")
    came = SeatFactory(session=session, email="came@example.net", name="Came Person")
    SeatFactory(session=session, email="missed@example.net")
    _attended(session, came)

    with django_capture_on_commit_callbacks(execute=True):
        first = queue_evaluation_requests(now=timezone.now())
    with django_capture_on_commit_callbacks(execute=True):
        second = queue_evaluation_requests(now=timezone.now())
    run_queued_tasks()

    assert (first, second) == (1, 0)
    session.refresh_from_db()
    assert session.evaluations_sent_at is not None
    assert [message["To"] for message in smtp_server.messages] == ["came@example.net"]
    body = smtp_server.bodies()[0]
    assert "Serving survivors" in body
    assert "Came Person" not in body
    assert "came@example.net" not in LINK.findall(body)[0]
    assert Client().get(urlsplit(LINK.findall(body)[0]).path).status_code == 200


def test_sessions_not_ended_cancelled_old_or_without_attendance_are_not_asked(
    db: None,
) -> None:
    now = timezone.now()
    running = SeatFactory(session__ends_at=now + datetime.timedelta(hours=1))
    cancelled = SeatFactory(session__status=SessionStatus.CANCELLED)
    old = SeatFactory(
        session__starts_at=now - datetime.timedelta(days=40),
        session__ends_at=now - datetime.timedelta(days=40, hours=-2),
    )
    SeatFactory()  # ended, attendance not recorded
    for seat in (running, old):
        _attended(seat.session, seat)
    cancelled.attended = True
    cancelled.save()

    assert queue_evaluation_requests(now=now) == 0


def test_the_attendee_submits_one_evaluation_even_when_sending_twice(db: None) -> None:
    seat = SeatFactory()
    _attended(seat.session, seat)
    url = _form_url(seat)
    client = Client()

    form = client.get(url)
    first = client.post(url, ANSWERS)
    second = client.post(url, {**ANSWERS, "overall": "1"})

    assert form.status_code == 200
    assert first.status_code == 302
    assert second.status_code == 200
    assert "Thank you for your evaluation" in second.content.decode()
    evaluation = Evaluation.objects.get()
    assert (evaluation.overall, evaluation.usefulness, evaluation.comments) == (5, 3, "Useful.")


def test_a_racing_second_submit_returns_the_first_evaluation(db: None) -> None:
    seat = SeatFactory()
    _attended(seat.session, seat)
    ratings = {"overall": 2, "content": 2, "trainer": 2, "usefulness": 2}

    first = submit_evaluation(registration=seat, ratings=ratings, comments="")
    again = submit_evaluation(registration=seat, ratings={**ratings, "overall": 5}, comments="x")

    assert again == first
    assert Evaluation.objects.get().overall == 2


def test_ratings_must_be_from_one_to_five(db: None) -> None:
    seat = SeatFactory()
    _attended(seat.session, seat)

    response = Client().post(_form_url(seat), {**ANSWERS, "overall": "6", "trainer": ""})

    assert response.status_code == 200
    assert Evaluation.objects.count() == 0
    assert "Choose a rating from 1 to 5." in response.content.decode()


def test_the_link_stops_working_after_30_days(db: None) -> None:
    seat = SeatFactory()
    _attended(seat.session, seat)
    url = _form_url(seat)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=29)):
        assert Client().get(url).status_code == 200
    with time_machine.travel(timezone.now() + datetime.timedelta(days=31)):
        expired = Client().post(url, ANSWERS)

    assert expired.status_code == 410
    assert Evaluation.objects.count() == 0


def test_forged_links_and_people_who_did_not_attend_get_404(db: None) -> None:
    seat = SeatFactory()
    absent = SeatFactory(session=seat.session)
    _attended(seat.session, seat)
    forged = reverse("trainings:evaluation-form", kwargs={"token": str(seat.public_id)})

    assert Client().get(forged).status_code == 404
    assert Client().get(_form_url(absent)).status_code == 404


def test_results_show_counts_averages_distribution_and_comments_without_names(
    representative: User, representative_client: Client
) -> None:
    session = PastSessionFactory()
    session.training.trainers.add(representative)
    EvaluationFactory(
        registration__session=session,
        registration__name="Named Writer",
        overall=5,
        comments="Great",
    )
    EvaluationFactory(registration__session=session, overall=2, comments="Too long")
    EvaluationFactory(registration__session=session, overall=5)
    EvaluationFactory(overall=1, comments="Another session")

    response = representative_client.get(
        reverse("trainings:session-evaluations", args=[session.pk])
    )

    body = response.content.decode()
    results = response.context["results"]
    assert response.status_code == 200
    assert results["count"] == 3
    assert results["averages"]["overall"] == 4.0
    assert results["distribution"]["overall"] == {1: 0, 2: 1, 3: 0, 4: 0, 5: 2}
    assert results["comments"] == ["Great", "Too long"]
    assert "Named Writer" not in body
    assert "Another session" not in body
    assert "Great" in body


def test_results_per_training_gather_every_session(coordinator_client: Client) -> None:
    first = PastSessionFactory()
    second = PastSessionFactory(training=first.training)
    EvaluationFactory(registration__session=first, content=2)
    EvaluationFactory(registration__session=second, content=5)

    response = coordinator_client.get(
        reverse("trainings:training-evaluations", args=[first.training_id])
    )

    assert response.context["results"]["count"] == 2
    assert response.context["results"]["averages"]["content"] == 3.5


def test_results_are_refused_to_people_who_do_not_run_the_training(
    member_client: Client,
) -> None:
    evaluation = EvaluationFactory(comments="Private")
    session = evaluation.registration.session

    for url in (
        reverse("trainings:session-evaluations", args=[session.pk]),
        reverse("trainings:training-evaluations", args=[session.training_id]),
    ):
        response = member_client.get(url)
        assert response.status_code == 403
        assert "Private" not in response.content.decode()


def test_results_take_the_same_queries_for_few_and_many_evaluations(
    coordinator_client: Client,
) -> None:
    counts = []
    for size in (1, 2, 20):
        session = PastSessionFactory()
        for number in range(size):
            EvaluationFactory(registration__session=session, comments=f"Comment {number}")
        with CaptureQueriesContext(connection) as queries:
            coordinator_client.get(reverse("trainings:session-evaluations", args=[session.pk]))
        counts.append(len(queries))

    assert counts[1] == counts[2]
