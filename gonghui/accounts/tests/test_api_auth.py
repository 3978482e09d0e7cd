"""API authentication (bearer tokens), error language, and the offline OpenAPI docs."""

import datetime as dt
import re

import pytest
from django.contrib.staticfiles import finders
from django.utils import timezone

from gonghui.accounts.models import ApiToken
from gonghui.core.models import AuditEvent
from gonghui.testing.api import ApiClient, url


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


def test_token_issued_for_good_password_and_works(api, cast):
    r = api.post(url("/auth/token"), body={"username": "zhejiang", "password": cast.password, "name": "手机"})
    assert r.status_code == 200
    raw = r.json()["token"]
    stored = ApiToken.objects.get(user=cast.users.province_admin)
    assert stored.digest == ApiToken.digest_of(raw) and stored.name == "手机"
    assert raw not in stored.digest  # only the digest is kept
    me = api.get(url("/me"), token=raw)
    assert me.status_code == 200 and me.json()["username"] == "zhejiang"
    assert ApiToken.objects.get(pk=stored.pk).last_used_at is not None


def test_bad_password_is_401_in_chinese_and_audited(api, cast):
    r = api.post(url("/auth/token"), body={"username": "zhejiang", "password": "wrong-password-1"})
    assert r.status_code == 401
    assert r.json() == {"detail": "用户名或密码错误。"}
    assert not ApiToken.objects.exists()
    event = AuditEvent.objects.filter(action="auth.login").latest("id")
    assert (event.result, event.detail["username"]) == ("failure", "zhejiang")


def test_token_request_validation_names_the_field(api):
    r = api.post(url("/auth/token"), body={"username": "zhejiang"})
    assert r.status_code == 400
    assert r.json()["errors"] == {"password": ["此项为必填项。"]}
    assert r.json()["detail"] == "密码：此项为必填项。"


def test_invalid_json_is_400_in_chinese(api):
    r = api.client.post(url("/auth/token"), "{not json", content_type="application/json")
    assert r.status_code == 400
    assert r.json()["detail"] == "请求体不是有效的 JSON。"


def test_expired_token_is_401(api, cast):
    raw = api.token(cast.users.national_admin)
    assert api.get(url("/orgs"), token=raw).status_code == 200
    ApiToken.objects.filter(user=cast.users.national_admin).update(expires_at=timezone.now() - dt.timedelta(seconds=1))
    r = api.get(url("/orgs"), token=raw)
    assert r.status_code == 401
    assert r.json()["detail"] == "未登录或令牌无效、已过期，请重新获取令牌。"


@pytest.mark.parametrize("header", ["", "Bearer ", "Bearer not-a-real-token", "Basic dXNlcjpwYXNz"])
def test_missing_or_unknown_token_is_401(api, header):
    extra = {"HTTP_AUTHORIZATION": header} if header else {}
    r = api.client.get(url("/me"), **extra)
    assert r.status_code == 401
    assert re.search(r"[\u4e00-\u9fff]", r.json()["detail"])


def test_disabled_account_token_is_401(api, cast):
    raw = api.token(cast.users.grassroots_admin)
    cast.users.grassroots_admin.is_active = False
    cast.users.grassroots_admin.save(update_fields=["is_active"])
    assert api.get(url("/me"), token=raw).status_code == 401


def test_api_responses_are_not_cached(api, cast):
    r = api.get(url("/members"), cast.users.grassroots_admin)
    assert r.status_code == 200
    assert r["Cache-Control"] == "no-store"


def test_openapi_schema_lists_every_endpoint(api):
    r = api.get(url("/openapi.json"))
    assert r.status_code == 200
    paths = r.json()["paths"]
    expected = {
        "/api/v1/auth/token": {"post"},
        "/api/v1/orgs/regions": {"get"},
        "/api/v1/orgs": {"get", "post"},
        "/api/v1/orgs/{org_id}": {"get", "patch"},
        "/api/v1/members": {"get", "post"},
        "/api/v1/members/search": {"post"},
        "/api/v1/members/{person_id}": {"get", "patch"},
        "/api/v1/members/{person_id}/unmask": {"post"},
        "/api/v1/members/{person_id}/transfers": {"post"},
        "/api/v1/members/transfers": {"get"},
        "/api/v1/members/transfers/{transfer_id}/release": {"post"},
        "/api/v1/members/transfers/{transfer_id}/accept": {"post"},
        "/api/v1/members/transfers/{transfer_id}/reject": {"post"},
        "/api/v1/members/transfers/{transfer_id}/cancel": {"post"},
        "/api/v1/members/{person_id}/card/revoke": {"post"},
        "/api/v1/members/cards/verify": {"get"},
        "/api/v1/members/lapse-warnings": {"get"},
        "/api/v1/members/lapse-warnings/{warning_id}/counsel": {"post"},
        "/api/v1/members/lapse-warnings/{warning_id}/lapse": {"post"},
        "/api/v1/me": {"get"},
        "/api/v1/me/card": {"get"},
    }
    # The registry's own endpoints; every endpoint of every app is in a permission matrix (orgs/tests).
    assert {p: set(ops) for p, ops in paths.items() if p in expected} == expected
    search = paths["/api/v1/members/search"]["post"]
    assert "requestBody" in search and not search.get("parameters")  # the query travels in the body
    listing = {p["name"] for p in paths["/api/v1/members"]["get"]["parameters"]}
    assert listing == {"org_id", "employment_form", "gender", "is_migrant", "limit", "offset"}
    create = r.json()["components"]["schemas"]["MemberCreateIn"]["properties"]
    assert create["id_number"]["description"].startswith("身份证号码")


def test_docs_page_works_offline(api):
    r = api.get(url("/docs"))
    assert r.status_code == 200
    html = r.content.decode()
    assert "swagger-ui-bundle.js" in html
    refs = re.findall(r"""(?:src|href)\s*=\s*["']([^"']+)["']""", html)
    assert refs, html
    for ref in refs:
        assert ref.startswith("/") and not ref.startswith("//"), f"external reference {ref}"
    assert not re.search(r"https?://|//cdn|jsdelivr|unpkg", html)
    assert '"validatorUrl": null' in html  # Swagger UI would otherwise call validator.swagger.io
    for ref in refs:
        if ref.startswith("/static/"):
            assert finders.find(ref.removeprefix("/static/")), f"{ref} is not a local static file"


def test_token_use_is_recorded_at_most_once_a_minute(client, cast):
    import datetime as dt

    from django.utils import timezone

    from gonghui.accounts.services import token_create

    token, raw = token_create(actor=cast.users.province_admin, name="t")
    auth = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    client.get("/api/v1/me", **auth)
    first = ApiToken.objects.get(pk=token.pk).last_used_at
    client.get("/api/v1/me", **auth)
    assert ApiToken.objects.get(pk=token.pk).last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    client.get("/api/v1/me", **auth)
    assert ApiToken.objects.get(pk=token.pk).last_used_at > timezone.now() - dt.timedelta(seconds=30)
