"""Property-based fuzzing of the HSDS API with schemathesis, from Concord's own OpenAPI
document, through the WSGI application (no server, no network).

Every operation gets a bounded, derandomized set of generated requests; schemathesis's
default checks then require no server error and answers that conform to the document:
status codes, content types, headers and response schemas.
"""

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from concord.directory.tests.factories import AddressFactory, TaxonomyTermFactory, full_service
from config.wsgi import application

# The document as the site serves it, fetched through the application itself.
schema = schemathesis.openapi.from_wsgi("/api/hsds/openapi.json", application)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True, scope="module")
def _keep_test_connection() -> Iterator[None]:
    # The WSGI handler closes the database connection around each request, which
    # would end the test's transaction; Django's test client disconnects it the same way.
    # For the whole module: a response may be closed after its test is over.
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture(autouse=True)
def _directory() -> None:
    # Something to list, including what must stay hidden.
    service = full_service()
    full_service(visibility="partners")
    link = service.service_at_locations.get()
    link.location.is_confidential = True
    link.location.save()
    AddressFactory(location=link.location)
    TaxonomyTermFactory()


@schema.parametrize()
@hypothesis_settings(
    max_examples=25,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_conforms_to_its_openapi_document(case: schemathesis.Case) -> None:
    case.call_and_validate()
