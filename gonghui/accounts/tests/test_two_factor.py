"""Two-factor sign-in over HTTP (docs/security.md §5): who must use it, enrolment, verification,
replay refusal, recovery codes, the per-session failure limit, and the API token's otp field.

Every test here uses ``real_two_factor``, which turns off conftest's shortcut that marks test logins
as verified, and signs in through the login page as a person would."""

import re
import time

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from gonghui.accounts import totp, two_factor
from gonghui.accounts.models import Grant, RecoveryCode, TotpDevice, UserSession
from gonghui.accounts.services import grant_create, sessions_end_all
from gonghui.core.models import AuditEvent
from gonghui.testing.api import ApiClient, url

pytestmark = pytest.mark.usefixtures("real_two_factor")


def sign_in(client, cast, username):
    response = client.post(reverse("accounts:login"), {"username": username, "password": cast.password})
    assert response.status_code == 302, "the password step failed"
    return response


def enrolled(user) -> tuple[str, list[str]]:
    """An authenticator confirmed through the services; returns its secret and the recovery codes."""
    _, secret = two_factor.totp_enrol_start(actor=user)
    codes = two_factor.totp_enrol_confirm(actor=user, code=totp.code_for(secret, time.time() - 30))
    return secret, codes


def later_code(secret: str) -> str:
    """The code of the next time step: accepted (one step of drift) and newer than any code used so far."""
    return totp.code_for(secret, time.time() + 30)


def fresh_code(user, secret: str) -> str:
    """A current code, as if a new time step had begun since the last one used (tests do not wait 30 s)."""
    TotpDevice.objects.filter(user=user).update(last_step=totp.step_at(time.time()) - 2)
    return totp.code_for(secret)


def events(action, result=None):
    qs = AuditEvent.objects.filter(action=action)
    return qs.filter(result=result) if result else qs


def test_who_must_use_two_factors(cast):
    u = cast.users
    assert two_factor.required_for(u.security_admin)  # platform admin
    assert two_factor.required_for(u.national_admin) and two_factor.required_for(u.grassroots_admin)  # can unmask
    for user in (u.province_admin, u.sibling_admin, u.readonly, u.worker):
        assert not two_factor.required_for(user)
    grant_create(actor=None, user=u.province_admin, org=cast.orgs.hangzhou, role=Grant.Role.STAFF, can_unmask=True)
    assert two_factor.required_for(u.province_admin)


@pytest.mark.parametrize("user", ["security_admin", "national_admin", "grassroots_admin"])
def test_required_users_without_an_authenticator_are_sent_to_enrolment(client, cast, user):
    username = getattr(cast.users, user).username
    assert sign_in(client, cast, username)["Location"] == "/"
    for path in ("/", "/orgs/", "/members/", "/me/", reverse("accounts:2fa_verify")):
        assert client.get(path)["Location"] == reverse("accounts:2fa_setup"), path
    assert client.post("/orgs/")["Location"] == reverse("accounts:2fa_setup")
    assert client.get(reverse("accounts:2fa_setup")).status_code == 200


def test_users_who_need_no_second_factor_go_straight_in(client, cast):
    sign_in(client, cast, "zhejiang")
    assert client.get("/orgs/").status_code == 200
    assert client.session[two_factor.SESSION_VERIFIED] == cast.users.province_admin.pk  # not checked again


def test_enrolment_confirms_the_device_and_shows_ten_recovery_codes_once(client, cast):
    user = cast.users.national_admin
    sign_in(client, cast, "national")
    page = client.get(reverse("accounts:2fa_setup")).content.decode()
    assert "<svg" in page and "启用两步验证" in page
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    device = TotpDevice.objects.get(user=user)
    assert device.confirmed_at is None and secret not in device.secret_enc
    assert two_factor.secret_of(device) == secret
    assert (
        client.get(reverse("accounts:2fa_setup")).content.decode().count(secret) >= 1
    )  # a reload keeps the same secret

    wrong = client.post(
        reverse("accounts:2fa_setup"), {"code": "000000" if totp.code_for(secret) != "000000" else "111111"}
    )
    assert wrong.status_code == 400 and "动态口令不正确" in wrong.content.decode()
    assert TotpDevice.objects.get(user=user).confirmed_at is None
    assert client.get("/orgs/")["Location"] == reverse("accounts:2fa_setup")

    done = client.post(reverse("accounts:2fa_setup"), {"code": totp.code_for(secret)})
    body = done.content.decode()
    codes = re.findall(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b", body)
    assert done.status_code == 200 and len(set(codes)) == 10 and "只显示这一次" in body
    assert TotpDevice.objects.get(user=user).confirmed_at is not None
    stored = set(RecoveryCode.objects.filter(user=user).values_list("digest", flat=True))
    assert stored == {two_factor.recovery_digest(c) for c in codes} and not stored & set(codes)
    assert events("2fa.enrol", "success").filter(actor=user).count() == 1
    assert events("2fa.enrol", "failure").filter(actor=user).count() == 1
    assert client.get("/orgs/").status_code == 200  # enrolment proves the second factor for this session
    status = client.get(reverse("accounts:2fa_setup")).content.decode()
    assert "已启用" in status and not any(c in status for c in codes)  # shown once only


def test_password_alone_leaves_an_enrolled_user_pending_until_a_code(client, cast):
    user = cast.users.grassroots_admin
    secret, _ = enrolled(user)
    assert sign_in(client, cast, "company")["Location"] == "/"
    response = client.get("/orgs/")
    assert response["Location"] == reverse("accounts:2fa_verify") + "?next=%2Forgs%2F"
    assert client.get(reverse("accounts:2fa_setup"))["Location"] == reverse(
        "accounts:2fa_verify"
    )  # no re-enrolment while pending
    assert client.post(reverse("accounts:2fa_disable"), {"code": later_code(secret)})["Location"] == reverse(
        "accounts:2fa_setup"
    )
    assert client.get(reverse("accounts:2fa_verify")).status_code == 200

    bad = client.post(reverse("accounts:2fa_verify"), {"code": "12345"})
    assert bad.status_code == 400 and "不正确" in bad.content.decode()
    assert events("2fa.verify", "failure").filter(actor=user).count() == 1

    ok = client.post(reverse("accounts:2fa_verify"), {"code": later_code(secret), "next": "/orgs/"})
    assert ok["Location"] == "/orgs/"
    assert client.get("/orgs/").status_code == 200
    assert events("2fa.verify", "success").filter(actor=user).count() == 1


def test_verify_ignores_a_next_address_on_another_site(client, cast):
    secret, _ = enrolled(cast.users.grassroots_admin)
    sign_in(client, cast, "company")
    response = client.post(
        reverse("accounts:2fa_verify"), {"code": later_code(secret), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("accounts:home")


def test_a_used_code_cannot_be_replayed(client, cast):
    secret, _ = enrolled(cast.users.national_admin)
    code = later_code(secret)
    sign_in(client, cast, "national")
    assert client.post(reverse("accounts:2fa_verify"), {"code": code})["Location"] == reverse("accounts:home")

    other = Client()
    sign_in(other, cast, "national")
    replay = other.post(reverse("accounts:2fa_verify"), {"code": code})
    assert replay.status_code == 400
    assert other.get("/orgs/")["Location"].startswith(reverse("accounts:2fa_verify"))


def test_a_recovery_code_works_once(client, cast):
    user = cast.users.national_admin
    _, codes = enrolled(user)
    sign_in(client, cast, "national")
    response = client.post(reverse("accounts:2fa_verify"), {"code": codes[3].upper().replace("-", " ")}, follow=True)
    assert response.status_code == 200 and "还剩 9 个" in response.content.decode()
    assert RecoveryCode.objects.filter(user=user, used_at__isnull=False).count() == 1
    assert events("2fa.recovery_used").filter(actor=user).get().detail["left"] == 9

    again = Client()
    sign_in(again, cast, "national")
    assert again.post(reverse("accounts:2fa_verify"), {"code": codes[3]}).status_code == 400
    assert again.post(reverse("accounts:2fa_verify"), {"code": codes[4]})["Location"] == reverse("accounts:home")


def test_too_many_wrong_codes_end_the_session(client, cast):
    secret, _ = enrolled(cast.users.national_admin)
    sign_in(client, cast, "national")
    wrong = "000000" if later_code(secret) != "000000" else "111111"
    for _ in range(two_factor.MAX_FAILURES - 1):
        assert client.post(reverse("accounts:2fa_verify"), {"code": wrong}).status_code == 400
    last = client.post(reverse("accounts:2fa_verify"), {"code": wrong})
    assert last["Location"] == reverse("accounts:login")
    assert client.get("/orgs/")["Location"].startswith(reverse("accounts:login"))
    assert client.post(reverse("accounts:2fa_verify"), {"code": later_code(secret)})["Location"] == reverse(
        "accounts:login"
    )
    assert events("2fa.verify", "failure").count() == two_factor.MAX_FAILURES


def test_voluntary_enrolment_then_verify_and_disable(client, cast):
    user = cast.users.province_admin
    sign_in(client, cast, "zhejiang")
    page = client.get(reverse("accounts:2fa_setup")).content.decode()
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    assert client.post(reverse("accounts:2fa_setup"), {"code": totp.code_for(secret)}).status_code == 200

    second = Client()
    sign_in(second, cast, "zhejiang")
    assert second.get("/orgs/")["Location"].startswith(reverse("accounts:2fa_verify"))
    assert second.post(reverse("accounts:2fa_verify"), {"code": later_code(secret)})["Location"] == reverse(
        "accounts:home"
    )
    response = second.post(reverse("accounts:2fa_disable"), {"code": fresh_code(user, secret)}, follow=True)
    assert "两步验证已停用" in response.content.decode()
    assert not TotpDevice.objects.filter(user=user).exists() and not RecoveryCode.objects.filter(user=user).exists()
    assert events("2fa.disable").filter(actor=user).count() == 1

    third = Client()
    sign_in(third, cast, "zhejiang")
    assert third.get("/orgs/").status_code == 200


def test_required_users_cannot_disable(client, cast):
    user = cast.users.national_admin
    secret, _ = enrolled(user)
    sign_in(client, cast, "national")
    client.post(reverse("accounts:2fa_verify"), {"code": later_code(secret)})
    response = client.post(reverse("accounts:2fa_disable"), {"code": fresh_code(user, secret)}, follow=True)
    assert "不能停用" in response.content.decode()
    assert TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).exists()


def test_regenerating_recovery_codes_voids_the_old_ones(client, cast):
    user = cast.users.national_admin
    secret, old = enrolled(user)
    sign_in(client, cast, "national")
    client.post(reverse("accounts:2fa_verify"), {"code": later_code(secret)})
    refused = client.post(reverse("accounts:2fa_recovery"), {"code": "123"})
    assert refused.status_code == 400 and "未生成" in refused.content.decode()
    response = client.post(reverse("accounts:2fa_recovery"), {"code": fresh_code(user, secret)})
    new = re.findall(r"\b[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}\b", response.content.decode())
    assert len(set(new)) == 10 and not set(new) & set(old)
    assert two_factor.code_verify(user=user, code=old[0]) is None
    assert two_factor.code_verify(user=user, code=new[0]) == "recovery"
    assert events("2fa.recovery_regenerate").filter(actor=user).count() == 1


def test_verification_renews_the_session_key_and_ending_all_sessions_still_reaches_it(client, cast):
    user = cast.users.national_admin
    secret, _ = enrolled(user)
    sign_in(client, cast, "national")
    before = client.session.session_key
    client.post(reverse("accounts:2fa_verify"), {"code": later_code(secret)})
    after = client.session.session_key
    assert after != before and not Session.objects.filter(session_key=before).exists()
    assert UserSession.objects.filter(user=user, session_key=after).exists()
    sessions_end_all(user=user)
    assert client.get("/orgs/")["Location"].startswith(reverse("accounts:login"))


def test_htmx_requests_get_a_full_page_redirect(client, cast):
    enrolled(cast.users.national_admin)
    sign_in(client, cast, "national")
    response = client.get("/orgs/", headers={"HX-Request": "true"})
    assert response["HX-Redirect"].startswith(reverse("accounts:2fa_verify"))


def test_static_files_and_sign_out_are_not_held(client, cast):
    enrolled(cast.users.national_admin)
    sign_in(client, cast, "national")
    static = client.get("/static/css/gonghui.css")
    assert static.status_code != 302
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")


def test_force_login_is_not_verified_under_real_two_factor(client, cast):
    client.force_login(cast.users.security_admin)
    assert client.get("/")["Location"] == reverse("accounts:2fa_setup")


# --- API: POST /api/v1/auth/token ---


@pytest.fixture
def api(cast):
    return ApiClient()


def test_api_token_for_a_required_user_without_an_authenticator_is_403(api, cast):
    r = api.post(url("/auth/token"), body={"username": "national", "password": cast.password})
    assert r.status_code == 403 and "请先登录网站完成动态口令绑定" in r.json()["detail"]


def test_api_token_needs_the_otp_field_once_enrolled(api, cast):
    user = cast.users.national_admin
    secret, codes = enrolled(user)
    body = {"username": "national", "password": cast.password}
    missing = api.post(url("/auth/token"), body=body)
    assert missing.status_code == 401 and "otp" in missing.json()["detail"]
    wrong = api.post(url("/auth/token"), body={**body, "otp": "12345"})
    assert wrong.status_code == 401 and wrong.json()["detail"] == "动态口令或恢复码不正确，或已被使用。"
    code = later_code(secret)
    ok = api.post(url("/auth/token"), body={**body, "otp": code})
    assert ok.status_code == 200 and api.get(url("/me"), token=ok.json()["token"]).status_code == 200
    assert api.post(url("/auth/token"), body={**body, "otp": code}).status_code == 401  # replay
    assert api.post(url("/auth/token"), body={**body, "otp": codes[0]}).status_code == 200
    assert api.post(url("/auth/token"), body={**body, "otp": codes[0]}).status_code == 401
    api_events = events("2fa.verify").filter(actor=user, detail__channel="api")
    assert api_events.filter(result="success").count() == 2 and api_events.filter(result="failure").count() == 4


def test_api_token_for_a_voluntarily_enrolled_user_needs_the_otp_too(api, cast):
    secret, _ = enrolled(cast.users.province_admin)
    body = {"username": "zhejiang", "password": cast.password}
    assert api.post(url("/auth/token"), body=body).status_code == 401
    assert api.post(url("/auth/token"), body={**body, "otp": later_code(secret)}).status_code == 200


def test_api_token_without_two_factor_needs_no_otp(api, cast):
    r = api.post(url("/auth/token"), body={"username": "zhejiang", "password": cast.password})
    assert r.status_code == 200
