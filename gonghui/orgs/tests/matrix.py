"""The permission matrices' shared shape: each app lists its pages and API endpoints with the status every
member of the cast must get, in ``gonghui/<app>/tests/test_permissions.py`` (``PAGES``, ``PAGE_ROUTES``,
``API_CASES``); the orgs tests check that every routed page and every API endpoint of every app is listed.

Out of scope reads as 404, a read-only role gets 403 on writes, callers without a grant get 403 on cadre
endpoints, no token gets 401, and a refused write changes nothing."""

import importlib
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from gonghui.core import registry
from gonghui.orgs.tests.api_support import url

USERS = ("national_admin", "province_admin", "sibling_admin", "grassroots_admin", "readonly", "worker",
         "security_admin", "anonymous")  # fmt: skip
CADRE_ONLY = {"worker": 403, "security_admin": 403, "anonymous": 302}


def expect(n, p, s, g, r, *, worker=403, anonymous=302):
    """Page statuses for national, province, sibling-province, grassroots, read-only; then the no-grant users."""
    return dict(zip(USERS[:5], (n, p, s, g, r), strict=True)) | CADRE_ONLY | {"worker": worker, "anonymous": anonymous}


def page_check(client, cast, *, method, url, data, expected, user):
    if user != "anonymous":
        client.force_login(getattr(cast.users, user))
    response = getattr(client, method)(url(cast), data(cast) if data else {})
    assert response.status_code == expected[user], response.content.decode()[:500]
    if response.status_code == 302 and user == "anonymous" and expected[user] == 302:
        assert response["Location"].startswith(reverse("login"))
    return response


def codes(*statuses: int) -> dict[str, int]:
    """API statuses for every caller, in the order of ``USERS``."""
    assert len(statuses) == len(USERS)
    return dict(zip(USERS, statuses, strict=True))


@dataclass(frozen=True)
class Case:
    name: str
    action: str  # list, detail, create, update
    method: str
    route: str  # the route as the OpenAPI schema names it
    expected: dict[str, int]
    path: Any = None  # cast -> concrete path, when the route has parameters or a query
    body: Any = None  # (cast, caller) -> JSON body

    def url(self, cast) -> str:
        return url(self.path(cast)) if self.path else "/api/v1" + self.route


def api_check(api, cast, case: Case, caller: str, snapshot) -> None:
    user = None if caller == "anonymous" else getattr(cast.users, caller)
    body = case.body(cast, caller) if case.body else None
    before = snapshot()
    r = api.call(case.method, case.url(cast), user, body)
    expected = case.expected[caller]
    assert r.status_code == expected, (case.name, caller, r.content.decode()[:300])
    if r.status_code >= 400 and case.route not in {"/docs"}:
        assert r.json()["detail"]  # every refusal explains itself (in Chinese)
    if case.action in {"create", "update"} and expected >= 400:
        assert snapshot() == before  # a refused write changes nothing
    if case.action in {"create", "update"} and expected < 300 and case.name != "token":
        assert snapshot() != before


def app_matrices():
    """(app label, its matrix module) for each app that declares its own (``permission_matrix``)."""
    return [(app, importlib.import_module(module)) for app, module in registry.permission_matrices()]


def page_tests(pages: list):
    """The test of a PAGES list: each page × each member of the cast (assign it to ``test_page_permissions``)."""

    @pytest.mark.parametrize("user", USERS)
    @pytest.mark.parametrize(("page", "method", "url", "data", "expected"), pages, ids=[p[0] for p in pages])
    def test_page_permissions(client, cast, page, method, url, data, expected, user):
        page_check(client, cast, method=method, url=url, data=data, expected=expected, user=user)

    return test_page_permissions


def api_tests(cases: list, snapshot):
    """The test of an API_CASES list: each endpoint × each caller, through the module's ``api`` fixture."""

    @pytest.mark.parametrize("caller", USERS)
    @pytest.mark.parametrize("case", cases, ids=lambda c: f"{c.name}-{c.action}")
    def test_api_permissions(api, cast, case, caller):
        api_check(api, cast, case, caller, snapshot)

    return test_api_permissions
