"""The OpenAPI schema is fuzzed (SECURITY.md item 17): every operation of /api/v1, called by a cadre of the
cast with generated input, answers without a server error, with a documented status code and a body that
matches the schema. Bounded (25 examples per operation) so that it runs in CI within a couple of minutes."""

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from gonghui.accounts.services import token_create
from gonghui.api import api

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]


@pytest.fixture
def bearer(cast):
    return {"Authorization": f"Bearer {token_create(actor=cast.users.national_admin, name='fuzz')[1]}"}


# The schema the live server publishes at /api/v1/openapi.json (the same object builds it); each operation
# becomes its own test, and every call goes over HTTP to the live server.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


@schema.parametrize()
@settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_operations_keep_their_contract(case, live_server, transactional_db, bearer):
    case.call_and_validate(base_url=live_server.url, headers=bearer, checks=CHECKS)


def test_the_published_schema_is_the_one_fuzzed(live_server, transactional_db):
    import requests

    assert requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=10).json() == schema.raw_schema
