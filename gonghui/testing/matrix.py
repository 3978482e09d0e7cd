"""The permission matrices' shared shape. Each app declares, in the module its AppConfig names as
``permission_matrix``, what every member of the cast must get:

* ``PAGES``: one :class:`Page` per action of each of its URLs. The page test (gonghui/core/tests/
  test_page_permissions.py) is generated from the URL resolver: every URL pattern of the site is tried with
  every member of the cast as its Pages say, and a pattern that no Page lists fails by name;
* ``API_CASES``: one :class:`Case` per endpoint and action, tested by the module's ``api_tests``; the orgs
  API tests check that every endpoint is listed;
* ``UNMASKED`` (optional): {path regex: why}, the app's own pages and API paths whose responses may carry full
  ID numbers and phones (an audited unmasking, a file for the cadre who asked). The personal-data scan
  (gonghui/testing/pii_guard.py) lets these through and fails any other response that carries them;
* ``probe_targets(cast)`` (optional): {path parameter: value}, the app's objects in 浙江 that the scope probe
  (gonghui/core/tests/test_scope_probe.py) aims the sibling province at, for each parameter its API paths
  name. A key may be a path fragment (``"/exports/{job_id}"``) where one parameter name means two kinds of
  object; an API parameter no app declares fails the probe by name.

Out of scope reads as 404, a read-only role gets 403 on writes, callers without a grant get 403 on cadre
endpoints, the anonymous are sent to sign in (pages) or get 401 (API), and a refused write changes nothing."""

import importlib
import re
from collections.abc import Callable, Iterator
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.shortcuts import resolve_url
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gonghui.core import registry
from gonghui.testing import pii_guard
from gonghui.testing.api import url

USERS = ("national_admin", "province_admin", "sibling_admin", "grassroots_admin", "readonly", "worker",
         "security_admin", "anonymous")  # fmt: skip
CADRE_ONLY = {"worker": 403, "security_admin": 403, "anonymous": 302}
# Rows a refusal may write: the audit event that records it, the session of the signed-in caller; the region
# table is read-only reference data (and large).
UNSNAPSHOTTED = {"core.auditevent", "sessions.session", "accounts.usersession", "orgs.region"}


def expect(n, p, s, g, r, *, worker=403, anonymous=302):
    """Page statuses for national, province, sibling-province, grassroots, read-only; then the no-grant users."""
    return dict(zip(USERS[:5], (n, p, s, g, r), strict=True)) | CADRE_ONLY | {"worker": worker, "anonymous": anonymous}


@dataclass(frozen=True)
class Page:
    """One action of one URL: its namespaced name, how the cast reaches it, what each member of the cast gets.

    ``args`` (cast -> URL arguments) and ``query`` (a query string, or cast -> one) build the URL, ``data``
    (cast -> form) the POSTed form, ``setup`` (cast -> None) the data it needs; all run before the request
    and before the snapshot. ``variant`` tells apart two Pages of one action (e.g. with and without a filter).
    ``own_data``: the response is a person's own full data, the one kind the personal-data scan allows."""

    route: str
    expected: dict[str, int]
    method: str = "get"
    args: Callable | None = None
    query: str | Callable = ""
    data: Callable | None = None
    setup: Callable | None = None
    variant: str = ""
    own_data: bool = False
    refusals_audited: bool = field(default=False, compare=False)

    def __post_init__(self):
        missing = set(USERS) - self.expected.keys()
        assert not missing, f"{self.route}: no expected status for {sorted(missing)}"
        assert self.method in {"get", "post"}, self.method

    @property
    def key(self) -> str:
        return "-".join(filter(None, (self.route, self.method, self.variant)))

    def url(self, cast) -> str:
        query = self.query(cast) if callable(self.query) else self.query
        return reverse(self.route, args=self.args(cast) if self.args else ()) + query


def database_snapshot() -> dict[str, list]:
    """Every row of every table a page could write (``UNSNAPSHOTTED`` aside)."""
    return {
        model._meta.label_lower: list(model._base_manager.order_by("pk").values_list())
        for model in apps.get_models()
        if model._meta.label_lower not in UNSNAPSHOTTED
    }


_WRITE = re.compile(r'^\s*(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?', re.IGNORECASE)
_SAVEPOINT = re.compile(r'^\s*(SAVEPOINT|RELEASE SAVEPOINT|ROLLBACK TO SAVEPOINT)\s+"?(\w+)"?', re.IGNORECASE)


def writes_kept(queries: list[dict]) -> list[str]:
    """The statements among ``queries`` (as captured by ``CaptureQueriesContext``) that wrote to a table a
    refusal must leave alone and were not rolled back to a savepoint: a refused request must not even try.
    Stricter than comparing the rows before and after, and a fraction of its cost."""
    allowed = {apps.get_model(label)._meta.db_table for label in UNSNAPSHOTTED}
    kept: list[str] = []
    savepoints: list[tuple[str, int]] = []  # (savepoint, how many writes were kept when it was made)
    for query in queries:
        sql = query["sql"]
        if point := _SAVEPOINT.match(sql):
            verb, name = point.group(1).upper(), point.group(2)
            if verb == "SAVEPOINT":
                savepoints.append((name, len(kept)))
                continue
            while savepoints:
                top, count = savepoints.pop()
                if top == name:
                    if verb.startswith("ROLLBACK"):
                        del kept[count:]
                    break
        elif (write := _WRITE.match(sql)) and write.group(1) not in allowed:
            kept.append(sql)
    return kept


def refused(response, user: str) -> bool:
    return response.status_code >= 400 or (user == "anonymous" and response.status_code == 302)


def page_check(client, cast, page: Page, user: str) -> None:
    """``user`` opens (or posts to) ``page``: the status the matrix says; a refused POST changes no row, and
    the anonymous are sent to the sign-in page."""
    if page.setup:
        page.setup(cast)
    if user != "anonymous":
        client.force_login(getattr(cast.users, user))
    target, data = page.url(cast), page.data(cast) if page.data else {}
    with CaptureQueriesContext(connection) as queries, pii_guard.paused() if page.own_data else nullcontext():
        response = getattr(client, page.method)(target, data)
    assert response.status_code == page.expected[user], (page.key, user, getattr(response, "content", b"")[:500])
    if response.status_code == 302 and user == "anonymous":
        assert response["Location"].startswith(resolve_url(settings.LOGIN_URL))
    if page.method == "post" and refused(response, user):
        written = writes_kept(queries.captured_queries)
        assert written == [], f"{page.key}: a refused POST by {user} wrote to the database: {written}"
    if page.refusals_audited and response.status_code == 403:
        from gonghui.core.models import AuditEvent

        denied = AuditEvent.objects.filter(action="access.denied", actor=getattr(cast.users, user)).first()
        assert denied is not None and denied.result == "denied", f"{page.key}: {user} refused without an audit event"


def site_routes() -> dict[str, str]:
    """Every URL pattern of the site's pages (the API has its own matrix): namespaced name -> pattern."""
    from gonghui.api import api

    def walk(patterns, prefix: str, namespace: str) -> Iterator[tuple[str, str]]:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == api.urls_namespace:
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                yield from walk(pattern.url_patterns, prefix + str(pattern.pattern), inner)
            elif isinstance(pattern, URLPattern):
                yield f"{namespace}{pattern.name or ''}", prefix + str(pattern.pattern)

    return dict(walk(get_resolver().url_patterns, "/", ""))


def declared_pages() -> list[Page]:
    """The Pages of every app's permission matrix, each knowing whether its module audits every refusal."""
    pages = []
    for _, module in app_matrices():
        audited = getattr(module, "REFUSALS_AUDITED", False)
        pages += [replace(page, refusals_audited=audited) for page in getattr(module, "PAGES", [])]
    return pages


def page_cases() -> list:
    """The generated page matrix: (route, Page or None, user) for every URL pattern; a route no Page lists
    gives one case with no Page, which fails naming it."""
    pages = declared_pages()
    cases = []
    for route, pattern in sorted(site_routes().items()):
        listed = [page for page in pages if page.route == route]
        cases += [pytest.param(route, pattern, page, user, id=f"{page.key}-{user}")
                  for page in listed for user in page.expected] or [
            pytest.param(route, pattern, None, None, id=f"{route or pattern}-NOT-IN-ANY-MATRIX")]  # fmt: skip
    return cases


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


def unmasked_responses() -> dict[str, tuple[str, str]]:
    """Every app's ``UNMASKED``: path regex -> (app label, why its responses may carry full values)."""
    return {
        pattern: (app, why)
        for app, module in app_matrices()
        for pattern, why in getattr(module, "UNMASKED", {}).items()
    }


def probe_targets(cast) -> dict[str, int | str]:
    """Every app's ``probe_targets(cast)`` merged: path parameter (or path fragment) -> the object to aim at.
    Two apps declaring one key is an error (which object would the probe aim at?)."""
    targets: dict[str, int | str] = {}
    owners: dict[str, str] = {}
    for app, module in app_matrices():
        declare = getattr(module, "probe_targets", None)
        for key, value in (declare(cast) if declare else {}).items():
            assert key not in targets, f"probe target {key!r} declared by both {owners[key]} and {app}"
            targets[key], owners[key] = value, app
    return targets


def api_tests(cases: list, snapshot):
    """The test of an API_CASES list: each endpoint × each caller, through the module's ``api`` fixture."""

    @pytest.mark.parametrize("caller", USERS)
    @pytest.mark.parametrize("case", cases, ids=lambda c: f"{c.name}-{c.action}")
    def test_api_permissions(api, cast, case, caller):
        api_check(api, cast, case, caller, snapshot)

    return test_api_permissions
