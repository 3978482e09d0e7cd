"""Every page and API endpoint of this app × every member of the cast (see gonghui/orgs/tests/matrix.py)."""

import pytest

from gonghui.orgs.tests.api_support import ApiClient
from gonghui.orgs.tests.matrix import USERS, api_check, page_check

# (name, method, url builder, data builder, expected statuses from matrix.expect)
PAGES: list = []
PAGE_ROUTES: set[str] = set()  # the url names the PAGES above cover
API_CASES: list = []  # matrix.Case rows


def snapshot():
    """What a refused write must leave unchanged."""
    return ()


@pytest.mark.parametrize("user", USERS)
@pytest.mark.parametrize(("page", "method", "url", "data", "expected"), PAGES, ids=[p[0] for p in PAGES])
def test_page_permissions(client, cast, page, method, url, data, expected, user):
    page_check(client, cast, method=method, url=url, data=data, expected=expected, user=user)


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


@pytest.mark.parametrize("caller", USERS)
@pytest.mark.parametrize("case", API_CASES, ids=lambda c: f"{c.name}-{c.action}")
def test_api_permissions(api, cast, case, caller):
    api_check(api, cast, case, caller, snapshot)
