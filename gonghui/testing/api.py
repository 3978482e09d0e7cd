"""Support for the /api/v1 tests: a client that authenticates by bearer token and keeps every response,
so each test module can assert that no full ID number or phone ever left the API except by unmasking.

The suite-wide scan (gonghui.testing.pii_guard) already fails any test whose responses carry a full ID or
mobile number; ``assert_no_personal_data`` adds the cast's own values, found anywhere in a body."""

import json

from django.test import Client

from gonghui.accounts.services import token_create
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID
from gonghui.testing.pii_guard import FULL_ID_OR_PHONE

CAST_PHONES = ("13812345678", "13900001111", "13700002222")
CAST_SECRETS = (ZHANG_WEI_ID, LI_NA_ID, WANG_FANG_ID, *CAST_PHONES)


class ApiClient:
    def __init__(self):
        self.client = Client()
        self.tokens: dict[int, str] = {}
        self.seen: list[tuple[str, str, int, str]] = []
        self.secrets: set[str] = set(CAST_SECRETS)

    def token(self, user) -> str:
        if user.pk not in self.tokens:
            self.tokens[user.pk] = token_create(actor=user, name="test")[1]
        return self.tokens[user.pk]

    def call(self, method: str, path: str, user=None, body=None, *, token: str | None = None):
        raw = token or (self.token(user) if user is not None else None)
        headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"} if raw else {}
        if method == "GET":
            response = self.client.get(path, **headers)
        else:
            data = json.dumps(body) if body is not None else ""
            response = self.client.generic(method, path, data, content_type="application/json", **headers)
        self.seen.append((method, path, response.status_code, response.content.decode()))
        return response

    def get(self, path, user=None, **kw):
        return self.call("GET", path, user, **kw)

    def post(self, path, user=None, body=None, **kw):
        return self.call("POST", path, user, body, **kw)

    def patch(self, path, user=None, body=None, **kw):
        return self.call("PATCH", path, user, body, **kw)

    def remember_secret(self, *values: str) -> None:
        """Personal data a test sends in; it must not come back either."""
        self.secrets.update(v for v in values if v)

    def leaks(self) -> list[str]:
        found = []
        for method, path, status, body in self.seen:
            if method == "POST" and path.endswith("/unmask") and status == 200:
                continue  # the one response allowed to carry full values
            found += [f"{method} {path}: {s}" for s in self.secrets if s in body]
            found += [f"{method} {path}: {m.group(0)}" for m in FULL_ID_OR_PHONE.finditer(body)]
        return found

    def assert_no_personal_data(self) -> None:
        leaks = self.leaks()
        assert not leaks, f"full ID numbers or phones in API responses: {leaks}"


def url(path: str) -> str:
    return "/api/v1" + path
