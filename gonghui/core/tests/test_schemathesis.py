"""The OpenAPI schema is fuzzed (docs/security.md §17): every operation of /api/v1, called by a cadre of the
cast with generated input, answers without a server error, with a documented status code and a body that
matches the schema. Bounded (25 examples per operation) so that it runs in CI within a couple of minutes.

The whole run is one test against one live server and one cast: a test per operation would flush the
database and build the cast again for each of them."""

import schemathesis
from django.core.cache import cache
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance, status_code_conformance

from gonghui.accounts.services import token_create
from gonghui.api import api

CHECKS = [not_a_server_error, response_schema_conformance, status_code_conformance]
EXAMPLES = settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)

# The schema the live server publishes at /api/v1/openapi.json (the same object builds it); every call goes
# over HTTP to the live server.
schema = schemathesis.openapi.from_dict(api.get_openapi_schema())


def fuzz(operation, *, base_url: str, headers: dict) -> None:
    """Up to 25 generated calls of one operation; raises on the first broken contract (shrunk)."""

    @EXAMPLES
    @given(case=operation.as_strategy())
    def calls(case):
        case.call_and_validate(base_url=base_url, headers=headers, checks=CHECKS)

    cache.clear()  # each operation starts with no rate-limit counters, as when it had its own test
    calls()


def test_api_operations_keep_their_contract(live_server, cast):
    headers = {"Authorization": f"Bearer {token_create(actor=cast.users.national_admin, name='fuzz')[1]}"}
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) > 40
    broken = {}
    for operation in operations:
        try:
            fuzz(operation, base_url=live_server.url, headers=headers)
        except Exception as error:  # noqa: BLE001  (every operation is fuzzed; all broken ones are reported)
            broken[operation.label] = error
    assert not broken, "\n\n".join(f"{label}:\n{error}" for label, error in broken.items())


def test_the_published_schema_is_the_one_fuzzed(live_server):
    import requests

    assert requests.get(f"{live_server.url}/api/v1/openapi.json", timeout=10).json() == schema.raw_schema
