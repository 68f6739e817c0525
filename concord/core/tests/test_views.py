import json
from typing import Any

import pytest
from django.test import Client


@pytest.mark.django_db
def test_health_answers_ok_with_json(client: Client) -> None:
    response = client.get("/health/")

    assert response.status_code == 200
    assert json.loads(response.content) == {"status": "ok"}


@pytest.mark.django_db
def test_health_refuses_post(client: Client) -> None:
    assert client.post("/health/").status_code == 405


@pytest.mark.django_db
def test_unknown_page_is_404_in_site_layout(client: Client) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"Quick exit" in response.content
    assert b"Traceback" not in response.content


def test_server_error_page_uses_the_site_layout_without_details(rf: Any) -> None:
    from concord.core.views import server_error

    response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert b"Something went wrong" in response.content
    assert b"Quick exit" in response.content
    assert b"Traceback" not in response.content
