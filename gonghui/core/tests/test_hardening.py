"""Web hardening (docs/security.md §§14 and 15): deploy checks, security headers, CSP-clean templates,
no-store on personal data, and server errors that reveal nothing."""

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import path

from gonghui.core.security_headers import CONTENT_SECURITY_POLICY
from gonghui.testing.api import ApiClient, url

BASE_DIR = Path(settings.BASE_DIR)
EXPECTED_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; frame-ancestors 'none'; "
    "form-action 'self'; base-uri 'none'; object-src 'none'"
)


# --- production settings ----------------------------------------------------------------------------------


def production_env(**extra: str) -> dict[str, str]:
    """A clean environment holding only what a production deployment must provide."""
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": os.environ.get("HOME", ""),
        "GONGHUI_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "GONGHUI_DATA_KEYS": "k1:" + secrets.token_hex(16),
        "GONGHUI_INDEX_KEY": secrets.token_hex(32),
        "GONGHUI_AUDIT_KEYS": "a1:" + secrets.token_hex(32),
        "ALLOWED_HOSTS": "gonghui.example.cn",
        "DATABASE_URL": "sqlite://:memory:",
        "REDIS_URL": "redis://127.0.0.1:6379/15",  # not connected to by these checks
        **extra,
    }


def manage(*args: str, env: dict[str, str], tmp_path) -> subprocess.CompletedProcess:
    env = {"GONGHUI_VAR_DIR": str(tmp_path), **env}
    return subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=120
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env(), tmp_path=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNING" not in result.stderr


def test_check_deploy_would_report_a_weakened_setting(tmp_path):
    """Guards the test above: the same run does warn when production hardening is switched off."""
    env = production_env(SECURE_HSTS_SECONDS="0", SECURE_SSL_REDIRECT="0")
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "security.W004" in result.stderr and "security.W008" in result.stderr


@pytest.mark.parametrize("key", ["GONGHUI_INDEX_KEY", "GONGHUI_AUDIT_KEYS", "DATABASE_URL", "REDIS_URL"])
def test_production_refuses_to_start_without_its_keys(tmp_path, key):
    env = production_env()
    del env[key]
    result = manage("check", env=env, tmp_path=tmp_path)
    assert result.returncode != 0
    assert "生产模式（GONGHUI_ENV=production）缺少必需的环境变量，拒绝启动" in result.stderr and key in result.stderr


def test_production_settings_values(tmp_path):
    code = (
        "from django.conf import settings as s; "
        "print(s.DEBUG, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SESSION_COOKIE_HTTPONLY, s.X_FRAME_OPTIONS)"
    )
    result = manage("shell", "--verbosity", "0", "-c", code, env=production_env(), tmp_path=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "True", "True", "True", "31536000", "True", "True", "DENY"]


# --- headers on every response --------------------------------------------------------------------------


def assert_security_headers(response) -> None:
    assert response["Content-Security-Policy"] == EXPECTED_CSP
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "geolocation=()" in response["Permissions-Policy"]


def test_the_policy_is_the_one_asked_for():
    assert "; ".join(f"{k} {v}" for k, v in CONTENT_SECURITY_POLICY.items()) == EXPECTED_CSP


@pytest.mark.parametrize("page", ["/login/", "/no-such-page/", "/api/v1/openapi.json", "/api/v1/docs"])
def test_security_headers_on_public_responses(db, client, page):
    assert_security_headers(client.get(page))


def test_security_headers_on_signed_in_pages_and_api(cast, client):
    api = ApiClient()
    assert_security_headers(api.get(url("/me"), cast.users.province_admin))
    assert_security_headers(api.get(url("/orgs"), None))  # 401
    client.force_login(cast.users.province_admin)
    assert_security_headers(client.get(f"/members/{cast.members.zhang.person_id}/"))


# --- personal data is not cached ------------------------------------------------------------------------


def test_member_page_and_api_response_are_no_store(cast, client):
    client.force_login(cast.users.province_admin)
    response = client.get(f"/members/{cast.members.zhang.person_id}/")
    assert response.status_code == 200 and "3301**********1236" in response.content.decode()
    assert response["Cache-Control"] == "no-store"
    api = ApiClient()
    response = api.get(url(f"/members/{cast.members.zhang.person_id}"), cast.users.province_admin)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"


# --- templates carry no inline script, style or event handler ------------------------------------------

INLINE = {
    "inline script": re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I),
    "style element": re.compile(r"<style[\s>]", re.I),
    "style attribute": re.compile(r"\sstyle\s*=", re.I),
    "event handler": re.compile(r"\son[a-z]+\s*=", re.I),
    "htmx inline handler": re.compile(r"\shx-on[:-]", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def template_files():
    roots = [BASE_DIR / "templates", *(BASE_DIR / "gonghui").glob("*/templates")]
    return sorted(p for root in roots for p in root.rglob("*.html"))


def test_templates_have_nothing_inline_that_the_policy_would_block():
    found = [
        f"{p.relative_to(BASE_DIR)}: {kind}"
        for p in template_files()
        for kind, pattern in INLINE.items()
        if pattern.search(p.read_text())
    ]
    assert len(template_files()) > 10
    assert found == []


def test_base_template_keeps_htmx_from_injecting_styles_or_evaluating_code(db, client):
    html = client.get("/login/").content.decode()
    assert """<meta name="htmx-config" content='{"includeIndicatorStyles":false,"allowEval":false}'>""" in html
    assert '<script src="/static/js/gonghui.js"></script>' in html
    assert (BASE_DIR / "static/js/gonghui.js").read_text().count("addEventListener") >= 2
    assert ".htmx-indicator" in (BASE_DIR / "static/css/gonghui.css").read_text()


# --- server errors reveal nothing -----------------------------------------------------------------------

SECRET_DETAIL = "数据库密码是 hunter2，位于 /srv/gonghui/secret.py"


def broken_view(request):
    raise RuntimeError(SECRET_DETAIL)


urlpatterns = [path("broken/", broken_view)]


@pytest.mark.urls(__name__)
def test_a_page_error_shows_the_plain_500_page(db, settings, caplog):
    settings.DEBUG = False
    client = Client(raise_request_exception=False)
    response = client.get("/broken/")
    body = response.content.decode()
    assert response.status_code == 500
    assert "服务器出现错误" in body and "请稍后再试" in body
    assert "hunter2" not in body and "Traceback" not in body and "RuntimeError" not in body
    assert_security_headers(response)
    assert "/static/css/gonghui.css" in body and " style=" not in body
    assert any("hunter2" in (r.exc_text or "") or r.exc_info for r in caplog.records)  # the log has it


def test_an_api_error_answers_in_chinese_without_internals(cast, monkeypatch, settings, caplog):
    settings.DEBUG = False

    def explode(*args, **kwargs):
        raise RuntimeError(SECRET_DETAIL)

    monkeypatch.setattr("gonghui.orgs.selectors.regions_under", explode)
    response = ApiClient().get(url("/orgs/regions"), cast.users.province_admin)
    assert response.status_code == 500
    assert response.json() == {"detail": "服务器内部错误，请稍后重试。"}
    assert response["Cache-Control"] == "no-store"
    assert any(r.exc_info for r in caplog.records)


def test_a_stale_form_gets_the_projects_own_page_in_chinese(cast):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.users.province_admin)
    response = client.post("/members/", {"q": "zw"}, HTTP_REFERER="http://testserver/members/")
    body = response.content.decode()
    assert response.status_code == 403 and "页面已过期，请重新提交" in body
    assert 'name="viewport"' in body and 'href="http://testserver/members/"' in body
    assert "CSRF verification failed" not in body and "Forbidden" not in body
    elsewhere = client.post("/members/", {"q": "zw"}, HTTP_REFERER="https://evil.example/")
    assert 'href="/"' in elsewhere.content.decode()


def test_a_nul_character_in_a_parameter_is_refused_in_chinese(client, cast):
    """PostgreSQL cannot hold or compare \\0: a filter on it was a 500 (schemathesis found it on the proposals API)."""
    from gonghui.testing.api import ApiClient

    api = ApiClient()
    r = api.get("/api/v1/democracy/proposals?department=%00%C3%8B", cast.users.grassroots_admin)
    assert r.status_code == 400 and "空字符" in r.json()["detail"]
    assert api.get("/api/v1/democracy/proposals?department=工会", cast.users.grassroots_admin).status_code == 200
    r = api.call("PUT", "/api/v1/messages/preferences", cast.users.worker, {"sms_optional": "\x00"})
    assert r.status_code == 400 and "空字符" in r.json()["detail"]
    client.force_login(cast.users.grassroots_admin)
    page = client.get("/members/", {"q": "张\x00伟"})
    assert page.status_code == 400 and "空字符" in page.content.decode()
    assert client.post("/members/", {"q": "张\x00"}).status_code == 400
    assert client.get("/members/", {"q": "张伟"}).status_code == 200
