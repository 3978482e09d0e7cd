"""The page permission matrix, generated from the URL resolver: every URL pattern of the site × every member
of the cast, with the status the app's declared matrix gives (``permission_matrix`` in its AppConfig, a
module with ``PAGES``; see gonghui.testing.matrix). A URL no app lists fails by name; a refused POST changes
no row of the database; the anonymous are sent to sign in."""

import re
from collections import Counter

import pytest

from gonghui.testing.matrix import declared_pages, page_cases, page_check, site_routes


@pytest.mark.parametrize(("route", "pattern", "page", "user"), page_cases())
def test_page_permissions(client, cast, route, pattern, page, user):
    if page is None:
        pytest.fail(f"URL {route!r} ({pattern}) is in no app's permission matrix: add a Page for each of its actions "
                    "to the PAGES of the permission_matrix module its app declares")  # fmt: skip
    page_check(client, cast, page, user)


def test_every_listed_page_is_routed_once():
    routes = site_routes()
    pages = declared_pages()
    assert [p.key for p in pages if p.route not in routes] == [], "Pages of URLs that do not exist"
    assert [key for key, n in Counter(p.key for p in pages).items() if n > 1] == [], "one Page per action"


def test_one_url_per_action():
    """An action is its own URL, not a parameter of a shared one (``transfers/<pk>/<str:action>/``)."""
    shared = [route for route, pattern in site_routes().items() if re.search(r"<(\w+:)?action>", pattern)]
    assert shared == []


def test_every_url_name_is_namespaced():
    """``members:detail``, ``accounts:login``, ``public:card_verify``: no bare names."""
    assert [route for route in site_routes() if ":" not in route] == []
