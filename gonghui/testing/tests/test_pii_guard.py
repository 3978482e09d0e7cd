"""The suite-wide personal-data scan (gonghui.testing.pii_guard) catches what it should and nothing else."""

import logging
import re
import subprocess
import sys
import textwrap
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.http import HttpResponse, JsonResponse, StreamingHttpResponse
from django.urls import path

from gonghui.testing import matrix, pii_guard
from gonghui.testing.cast import ZHANG_WEI_ID
from gonghui.testing.pii_guard import collector, find_personal_data

LEAKED_PHONE = "13812345678"


def leaky_page(request):
    return HttpResponse(f"<p>身份证 {ZHANG_WEI_ID}</p>")


def leaky_header(request):
    response = HttpResponse("ok")
    response["Location"] = f"/somewhere/?phone={LEAKED_PHONE}"
    return response


def leaky_stream(request):
    return StreamingHttpResponse(iter([b"name,phone\n", b"\xe5\xbc\xa0\xe4\xbc\x9f,138", b"12345678\n"]))


def echo(request):
    return JsonResponse({"you_typed": request.POST.get("q", "")})


def unmask(request, pk):
    return JsonResponse({"id_number": ZHANG_WEI_ID})


urlpatterns = [
    path("leaky/", leaky_page),
    path("leaky-header/", leaky_header),
    path("leaky-stream/", leaky_stream),
    path("echo/", echo),
    path("members/<int:pk>/unmask/", unmask),
    path("api/v1/members/<int:pk>/unmask", unmask),
]


@pytest.fixture
def caught():
    """Takes what the scan has recorded so far; taking it clears it, so a probe test itself passes."""
    collector.take()
    return collector.take


@pytest.mark.urls(__name__)
def test_a_full_id_in_a_page_is_caught(client, caught):
    client.get("/leaky/")
    assert caught() == [f"GET /leaky/ → 200 body: {ZHANG_WEI_ID}"]


@pytest.mark.urls(__name__)
def test_a_phone_in_a_header_is_caught(client, caught):
    client.get("/leaky-header/")
    assert caught() == [f"GET /leaky-header/ → 200 header Location: {LEAKED_PHONE}"]


@pytest.mark.urls(__name__)
def test_a_phone_in_a_streamed_body_is_caught_across_chunks(client, caught):
    response = client.get("/leaky-stream/")
    assert caught() == []
    b"".join(response.streaming_content)
    assert caught() == [f"GET /leaky-stream/ → 200 body: {LEAKED_PHONE}"]


@pytest.mark.urls(__name__)
def test_the_unmasking_endpoints_are_allowed(client, caught):
    client.post("/members/1/unmask/")
    client.post("/api/v1/members/1/unmask")
    assert caught() == []


@pytest.mark.urls(__name__)
def test_an_app_that_forgets_to_declare_its_unmasking_page_fails_the_scan(client, caught, monkeypatch):
    """The allowed paths are the apps' ``UNMASKED`` declarations (gonghui.testing.matrix), nothing else: without
    the members app's, its unmasking page is a leak."""
    declared = matrix.app_matrices()
    forgetful = [(app, SimpleNamespace() if app == "members" else module) for app, module in declared]
    monkeypatch.setattr(matrix, "app_matrices", lambda: forgetful)
    pii_guard.unmask_paths.cache_clear()
    try:
        client.post("/members/1/unmask/")
        assert caught() == [f"POST /members/1/unmask/ → 200 body: {ZHANG_WEI_ID}"]
    finally:
        pii_guard.unmask_paths.cache_clear()


def _sample_urls() -> list[str]:
    """A URL for every page pattern and API path of the site, each parameter filled with 1."""
    from gonghui.api import api

    pages = [re.sub(r"<[^>]+>", "1", pattern) for pattern in matrix.site_routes().values()]
    return pages + [re.sub(r"\{[^}]+\}", "1", path) for path in api.get_openapi_schema()["paths"]]


def test_every_declared_unmasked_path_is_routed_and_the_declaring_app_s_own(db):
    """No stale declaration, and no app exempts another app's pages."""
    urls = _sample_urls()
    for pattern, (label, _) in matrix.unmasked_responses().items():
        config = apps.get_app_config(label)
        own = tuple(p for p in (f"/{config.url_prefix}" if config.urls else "",
                                f"/api/v1{config.api_prefix}/" if config.api_router else "") if p)  # fmt: skip
        matched = [url for url in urls if re.match(pattern, url)]
        assert matched, f"{label}: {pattern} matches no page or API path"
        assert [url for url in matched if not url.startswith(own)] == [], f"{label}: {pattern} reaches other apps"


@pytest.mark.urls(__name__)
def test_a_value_the_client_sent_may_come_back_but_no_other(client, caught):
    client.post("/echo/", {"q": ZHANG_WEI_ID})
    assert caught() == []
    client.post("/echo/?other=1", {"q": f"{ZHANG_WEI_ID} {LEAKED_PHONE}"})
    assert caught() == []


def test_a_log_line_that_escapes_masking_is_caught(caught, monkeypatch):
    """With the masking filter in place the line is clean; without it (a misconfigured handler) it is caught."""
    logger = logging.getLogger("gonghui.test_pii_guard")
    logger.warning("会员 %s 的手机 %s", ZHANG_WEI_ID, LEAKED_PHONE)
    assert caught() == []
    root = logging.getLogger()
    for handler in root.handlers:
        for masking in [f for f in handler.filters if type(f).__name__ == "MaskPersonalDataFilter"]:
            monkeypatch.setattr(handler, "filters", [f for f in handler.filters if f is not masking])
    logger.warning("会员 %s 的手机 %s", ZHANG_WEI_ID, LEAKED_PHONE)
    assert caught() == [f"log gonghui.test_pii_guard: {ZHANG_WEI_ID}", f"log gonghui.test_pii_guard: {LEAKED_PHONE}"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (f"身份证号：{ZHANG_WEI_ID}。", [ZHANG_WEI_ID]),
        ("旧身份证 330106900307123", ["330106900307123"]),
        ("11010519491231002X", ["11010519491231002X"]),
        (f"电话 +86{LEAKED_PHONE}", [LEAKED_PHONE]),
        (f'"phone": "{LEAKED_PHONE}"', [LEAKED_PHONE]),
        ("3301**********1236 138****5678", []),  # masked
        ("会员证号 33010620240000123", []),  # 17-digit card number
        (f"sha256 a{ZHANG_WEI_ID}f e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", []),
        (f"token 9f{LEAKED_PHONE}ab", []),
        ("timestamp 1732540800123 and 2411250913000123", []),
        ("330106199013451236", []),  # no such birth date (month 13)
        ("12345678901", []),  # not a mobile prefix
    ],
)
def test_what_counts_as_personal_data(text, found):
    assert find_personal_data(text) == found


def test_a_leaking_test_fails_the_run(tmp_path):
    """End to end: pytest with the plugin fails a test whose response leaks, and passes a clean one."""
    (tmp_path / "test_probe.py").write_text(
        textwrap.dedent(
            f"""
            import pytest
            from django.http import HttpResponse
            from django.urls import path

            urlpatterns = [
                path("leak/", lambda request: HttpResponse("{ZHANG_WEI_ID}")),
                path("clean/", lambda request: HttpResponse("3301**********1236")),
            ]

            @pytest.mark.urls("test_probe")
            def test_leaks(client):
                assert client.get("/leak/").status_code == 200

            @pytest.mark.urls("test_probe")
            def test_clean(client):
                assert client.get("/clean/").status_code == 200
            """
        )
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "pytest", "-p", "gonghui.testing.pii_guard", "-p", "no:cacheprovider", "-c", "/dev/null",
         "--rootdir", str(tmp_path), "--ds", "gonghui.settings", "-q", str(tmp_path / "test_probe.py")],
        cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=120,
        env={**__import__("os").environ, "PYTHONPATH": str(settings.BASE_DIR)},
    )  # fmt: skip
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 1 passed" in result.stdout
    assert f"GET /leak/ → 200 body: {ZHANG_WEI_ID}" in result.stdout
    assert "完整的身份证号码或手机号码出现在响应或日志中" in result.stdout
