"""列表: every list a cadre sees is made one way — filters (a form) → the app's selector, which applies the
user's scope → counted (capped on big tables) → paged → the whole page, or only its table for an HTMX
request — and declared once (``CadreList``), so that the same columns head the page's table and its export.

An app declares its lists in its ``lists.py`` (found by ``cadre_list``, also in the export task's process).

A search that carries personal data (a name, an ID or phone number) is POSTed once and saved (``search_redirect``):
the browser is redirected to the list's page with an opaque token (``?s=…``), so that the search never appears
in a URL, a server log or the history, and Back, refresh and paging are plain GETs (Post/Redirect/Get). The
saved search lives in the user's session (server-side, so it is the user's alone and ends with the sign-in),
encrypted like any personal data at rest, and expires after ``SEARCH_TTL``."""

import datetime as dt
import json
import math
import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, QueryDict
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.module_loading import autodiscover_modules

from gonghui.core import crypto
from gonghui.core.pagination import Count, capped_count

LISTS: dict[str, "CadreList"] = {}
MAX_PAGE = 10_000
SEARCH_PARAM = "s"  # the query parameter carrying a saved search's token
NOT_FILTERS = {"page", "csrfmiddlewaretoken", "list", "unmasked", SEARCH_PARAM}  # query fields that are not a filter
SEARCH_TTL = dt.timedelta(hours=2)  # a saved search expires (the session itself ends sooner when it does)
SEARCHES_KEPT = 20  # saved searches kept per session, the newest
SESSION_KEY = "gh_searches"


@dataclass(frozen=True)
class Column:
    """One column: its heading, its value as the page shows it (masked), and, for personal data, the full
    value that only an unmasked export (a permission, audited) writes."""

    heading: str
    value: Callable[[Any], Any]
    full: Callable[[Any], Any] | None = None

    def cell(self, row, *, unmasked: bool = False):
        return (self.full if unmasked and self.full else self.value)(row)


@dataclass(frozen=True)
class CadreList:
    """A list a cadre sees. ``rows(user, filters)`` is the app's selector (scope applied there, ordered);
    ``filters`` the form that checks the query; ``org_of(user, filters)`` the org the list is narrowed to
    (404 outside the user's scope), whose ``can_unmask`` allows an unmasked export; a list without ``columns``
    is not exported. ``count``: show how many
    rows (capped at ``GONGHUI_COUNT_LIMIT``; ``counter(rows, filters)`` may count more cheaply, e.g. a bounded
    walk); without it the pager only knows whether a next page exists."""

    name: str
    title: str
    rows: Callable[[Any, dict], QuerySet]
    columns: tuple[Column, ...]
    filters: type[forms.Form] | None = None
    org_of: Callable[[Any, dict], Any] = field(default=lambda user, filters: None)
    page_size: int = 20
    count: bool = True
    counter: Callable[[QuerySet, dict], Count] = field(default=lambda rows, filters: capped_count(rows))
    audit_action: str = ""

    def __post_init__(self):
        LISTS[self.name] = self

    @property
    def export_action(self) -> str:
        return self.audit_action or f"{self.name}.export"

    def filter_form(self, data) -> forms.Form | None:
        return self.filters(data or None) if self.filters else None

    def clean_filters(self, data) -> dict:
        """The filters of ``data`` (a QueryDict or dict), or none when the form refuses them."""
        form = self.filter_form(data)
        if form is None or not form.is_bound or not form.is_valid():
            return {}
        return {name: value for name, value in form.cleaned_data.items() if name != "page"}

    def header(self) -> list[str]:
        return [column.heading for column in self.columns]

    def cells(self, row, *, unmasked: bool = False) -> list:
        return [column.cell(row, unmasked=unmasked) for column in self.columns]


def local_time(value):
    """A moment as the wall-clock time in Asia/Shanghai without a zone (a spreadsheet has none)."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def cadre_list(name: str) -> "CadreList | None":
    """The list declared under ``name`` by some app's lists.py."""
    if name not in LISTS:
        autodiscover_modules("lists")
    return LISTS.get(name)


def page_number(value) -> int:
    """The page asked for; anything that is not a page number reads as the first."""
    text = str(value or "")
    return min(int(text), MAX_PAGE) if text.isdigit() and int(text) > 0 else 1


@dataclass
class ListPage:
    """One page of a list: its rows and what the pager and the export button need."""

    spec: CadreList
    rows: list
    page: int
    has_next: bool
    total: int | None
    capped: bool
    query: str  # the filters as a query string, without the page (the pager's links)
    fields: list[tuple[str, str]]  # the same as (name, value) pairs (the export button's hidden fields)
    filters: dict

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def pages(self) -> int | None:
        """How many pages, when the count is exact."""
        return None if self.total is None or self.capped else max(1, math.ceil(self.total / self.spec.page_size))

    @property
    def page_links(self) -> list[int | None]:
        """Page numbers around the current one (None: a gap), when the count is exact."""
        if self.pages is None:
            return []
        near = {1, self.pages, *range(max(1, self.page - 2), min(self.pages, self.page + 2) + 1)}
        links: list[int | None] = []
        for number in sorted(near):
            if links and number - (links[-1] or 0) > 1:
                links.append(None)
            links.append(number)
        return links

    @property
    def has_pager(self) -> bool:
        return self.page > 1 or self.has_next

    def context(self) -> dict:
        """What a list's templates read: rows, total, capped, page, has_next, previous_page, next_page, query,
        the columns and the list itself (the pager and the export button)."""
        return {"rows": self.rows, "total": self.total, "capped": self.capped, "page": self.page,
                "has_next": self.has_next, "previous_page": self.previous_page, "next_page": self.next_page,
                "query": self.query, "columns": self.spec.columns, "listing": self}  # fmt: skip


def search_redirect(request: HttpRequest, spec: CadreList, data) -> HttpResponseRedirect:
    """Saves the search POSTed in ``data`` (its filters, not the page) for this user's session and redirects
    (303, a GET) to the list's page carrying only the saved search's token."""
    fields = {name: values for name, values in data.lists() if name not in NOT_FILTERS}
    token = secrets.token_urlsafe(12)
    saved = {
        key: entry for key, entry in request.session.get(SESSION_KEY, {}).items()
        if entry["expires"] > timezone.now().timestamp()
    }  # fmt: skip
    saved[token] = {"list": spec.name, "expires": (timezone.now() + SEARCH_TTL).timestamp(),
                    "data": crypto.encrypt(json.dumps(fields, ensure_ascii=False))}  # fmt: skip
    request.session[SESSION_KEY] = dict(sorted(saved.items(), key=lambda item: item[1]["expires"])[-SEARCHES_KEPT:])
    response = HttpResponseRedirect(f"{request.path}?{urlencode({SEARCH_PARAM: token})}")
    response.status_code = 303
    return response


def saved_search(request: HttpRequest, spec: CadreList) -> QueryDict | None:
    """The search saved under the token in ``request.GET`` for this list and this session (with the page asked
    for), or None when there is no token, or it is unknown (another user's, or another sign-in's) or expired."""
    token = request.GET.get(SEARCH_PARAM)
    entry = request.session.get(SESSION_KEY, {}).get(token) if token else None
    if entry is None or entry["list"] != spec.name or entry["expires"] <= timezone.now().timestamp():
        return None
    try:
        fields = json.loads(crypto.decrypt(entry["data"]))
    except crypto.DecryptionError:  # its key was retired since
        return None
    data = QueryDict(mutable=True)
    for name, values in fields.items():
        data.setlist(name, values)
    data.setlist(SEARCH_PARAM, [token])
    if request.GET.get("page"):
        data["page"] = request.GET["page"]
    return data


def list_rows(request: HttpRequest, spec: CadreList, data=None, *, filters: dict | None = None) -> ListPage:
    """Filters → scoped rows → counted → one page. ``data``: the query (``request.GET`` unless given, e.g. a
    saved search, ``saved_search``); ``filters``: already checked ones, instead of the form's. The pager's links
    carry a saved search's token, never its filters."""
    data = request.GET if data is None else data
    if filters is None:
        filters = spec.clean_filters(data)
    rows = spec.rows(request.user, filters)
    count = spec.counter(rows, filters) if spec.count else Count(0, known=False)
    total, capped = (count.n, count.more) if count.known else (None, False)
    page = page_number(data.get("page"))
    size = spec.page_size
    fetched = list(rows[(page - 1) * size : page * size + 1])
    fields = [(name, value) for name, values in data.lists() if name not in NOT_FILTERS for value in values]
    token = data.get(SEARCH_PARAM)
    query = urlencode({SEARCH_PARAM: token} if token else fields)
    return ListPage(spec=spec, rows=fetched[:size], page=page, has_next=len(fetched) > size, total=total,
                    capped=capped, query=query, fields=fields, filters=filters)  # fmt: skip


def render_list(request: HttpRequest, template: str, partial: str, context: dict, status: int = 200) -> HttpResponse:
    """The whole page, or for an HTMX request (the pager, a filter) only the list's ``partial``."""
    htmx = request.headers.get("HX-Request") == "true" and not request.headers.get("HX-Boosted")
    response = render(request, partial if htmx else template, context, status=status)
    patch_vary_headers(response, ["HX-Request"])  # a cache must not give the partial for the page, or back
    return response


def export_rows(spec: CadreList, user, filters: dict) -> Iterable:
    """Every row of the list for ``user`` (no page), streamed in chunks: what an export writes."""
    return spec.rows(user, filters).iterator(chunk_size=2000)
