"""A pytest plugin: no test of the suite may see a full ID number or mobile number leave the system
(docs/security.md §11).

Registered from the root conftest.py, it watches, for every test:

* every response Django produces — through ``django.test.Client``, the live server of browser and API
  fuzzing tests, any handler — by wrapping ``BaseHandler.get_response`` (headers and body; an .xlsx body
  is unpacked and its XML read too);
* every log record that reaches the root logger's handlers, as those handlers write it (after the
  masking filter of settings.LOGGING has run).

A test fails if any of them holds an unmasked 18- or 15-digit ID number (with a plausible birth date) or an
11-digit mainland mobile number standing on its own. Allowed: the responses of the two unmasking endpoints
and of the download of a person's own copy of their data, and a value the request itself sent (a form
shown again with its errors, a search box keeping its query) — the server discloses nothing the client did
not just type.
"""

import io
import logging
import re
import zipfile
from contextlib import contextmanager
from urllib.parse import unquote_plus

import pytest
from django.core.handlers.base import BaseHandler

# An 18-digit (last may be X) or 15-digit ID number, or a mobile number (optionally after +86), standing on
# its own: not inside a longer run of letters and digits such as a hash, a token or a 17-digit card number.
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{6})(\d{8}\d{3}[\dXx]|\d{6}\d{3})(?![0-9A-Za-z])")
MOBILE = re.compile(r"(?:(?<![0-9A-Za-z])|(?<=\+86))1[3-9]\d{9}(?![0-9A-Za-z])")
# The same two, without the birth-date test; gonghui.testing.api uses it for API bodies.
FULL_ID_OR_PHONE = re.compile(
    r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])|(?:(?<![0-9A-Za-z])|(?<=\+86))1[3-9]\d{9}(?![0-9A-Za-z])"
)
# The only responses allowed to carry full values: the audited unmasking of one member, a person's own copy
# of their data (PIPL right of access), and roster files (below).
UNMASK_PATHS = (
    re.compile(r"^/members/\d+/unmask/$"),
    re.compile(r"^/assistance/\d+/unmask/$"),
    re.compile(r"^/api/v1/members/\d+/unmask$"),
    re.compile(r"^/privacy/me/requests/\d+/download/$"),
    re.compile(r"^/join/todo/\d+/phone/$"),  # the handling union calls a pending applicant (audited)
    # Roster files for the cadre who asked, audited: an export of a list (full values only with the unmask
    # permission) and the invalid rows of their own upload, given back to be fixed.
    re.compile(r"^(/api/v1)?/rosters/exports/\d+/download/?$"),
    re.compile(r"^/exports/\d+/download/$"),
    re.compile(r"^(/api/v1)?/rosters/imports/\d+/errors/?$"),
)
XLSX_TEXT_MEMBERS = re.compile(r"^xl/.*\.xml$")


def _plausible_birth_date(id_number: str) -> bool:
    if len(id_number) == 18:
        year, month, day = int(id_number[6:10]), int(id_number[10:12]), int(id_number[12:14])
        if not 1900 <= year <= 2099:
            return False
    else:
        month, day = int(id_number[8:10]), int(id_number[10:12])
    return 1 <= month <= 12 and 1 <= day <= 31


def find_personal_data(text: str) -> list[str]:
    """The full ID numbers and mobile numbers in a text."""
    found = [m.group(0) for m in ID_NUMBER.finditer(text) if _plausible_birth_date(m.group(0))]
    return found + [m.group(0) for m in MOBILE.finditer(text)]


class Collector:
    """What the running test has let out; the plugin checks and clears it around each test phase."""

    def __init__(self):
        self.leaks: list[str] = []
        self.enabled = True

    def scan(self, where: str, text: str, sent: str = "") -> None:
        if self.enabled:
            self.leaks += [f"{where}: {value}" for value in find_personal_data(text) if value not in sent]

    def take(self) -> list[str]:
        leaks, self.leaks = self.leaks, []
        return leaks


collector = Collector()


@contextmanager
def paused():
    """For the one kind of response allowed to carry full values that no path rule covers: a person's own
    copy of their data (audited, their own, PIPL art. 45)."""
    collector.enabled = False
    try:
        yield
    finally:
        collector.enabled = True


def response_texts(response):
    for name, value in response.headers.items():
        yield f"header {name}", value
    if getattr(response, "streaming", False):
        return  # read by the wrapper in _watch_streaming when the test consumes it
    yield from body_texts(response.content)


def body_texts(content: bytes):
    if content[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(content)) as archive:
                for name in archive.namelist():
                    if XLSX_TEXT_MEMBERS.match(name):
                        yield f"body {name}", archive.read(name).decode("utf-8", "replace")
            return
        except zipfile.BadZipFile:
            pass
    yield "body", content.decode("utf-8", "replace")


def sent_by(request) -> str:
    """What the client sent in this request (query string and body), URL-decoded."""
    try:
        body = request.body.decode("utf-8", "replace")
    except Exception:  # noqa: BLE001  (a multipart body already read as a stream)
        body = " ".join(str(v) for values in request.POST.lists() for v in values[1])
    return unquote_plus(request.META.get("QUERY_STRING", "")) + "\n" + unquote_plus(body)


def _watch_streaming(response, where: str, sent: str) -> None:
    chunks = response.streaming_content

    def watched():
        seen = []
        for chunk in chunks:
            seen.append(chunk if isinstance(chunk, bytes) else str(chunk).encode())
            yield chunk
        for part, text in body_texts(b"".join(seen)):
            collector.scan(f"{where} {part}", text, sent)

    response.streaming_content = watched()


def check_response(request, response) -> None:
    if any(pattern.match(request.path) for pattern in UNMASK_PATHS):
        return
    where = f"{request.method} {request.path} → {response.status_code}"
    sent = sent_by(request)
    for part, text in response_texts(response):
        collector.scan(f"{where} {part}", text, sent)
    if getattr(response, "streaming", False) and not getattr(response, "is_async", False):
        _watch_streaming(response, where, sent)


_original_get_response = BaseHandler.get_response
_original_get_response_async = BaseHandler.get_response_async


def get_response(self, request):
    response = _original_get_response(self, request)
    check_response(request, response)
    return response


async def get_response_async(self, request):
    response = await _original_get_response_async(self, request)
    check_response(request, response)
    return response


class LeakHandler(logging.Handler):
    """Sees each record after the handlers before it (with their masking filter) have run."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            text = "\n".join(filter(None, [record.getMessage(), record.exc_text, record.stack_info]))
        except Exception:  # noqa: BLE001  (a broken record is not this handler's business)
            return
        collector.scan(f"log {record.name}", text)


leak_handler = LeakHandler(level=logging.NOTSET)


def _install_log_handler() -> None:
    root = logging.getLogger()
    if root.handlers[-1:] != [leak_handler]:  # last, so it sees what the real handlers wrote
        root.removeHandler(leak_handler)
        root.addHandler(leak_handler)


def pytest_configure(config):
    BaseHandler.get_response = get_response
    BaseHandler.get_response_async = get_response_async


def pytest_unconfigure(config):
    BaseHandler.get_response = _original_get_response
    BaseHandler.get_response_async = _original_get_response_async
    logging.getLogger().removeHandler(leak_handler)


def _fail_on_leaks(phase: str) -> None:
    leaks = collector.take()
    if leaks:
        shown = "\n  ".join(dict.fromkeys(leaks))
        pytest.fail(f"完整的身份证号码或手机号码出现在响应或日志中（{phase}）：\n  {shown}", pytrace=False)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_setup(item):
    collector.take()
    _install_log_handler()
    return (yield)


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_call(item):
    _install_log_handler()
    result = yield
    _fail_on_leaks("测试")
    return result


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_teardown(item, nextitem):
    result = yield
    _fail_on_leaks("清理")
    return result
