"""A worker's account recovery by text message (issue 9): reset a forgotten password, sign in with a code.
Through the pages, the way a worker does it; cadre accounts never get a code; nothing tells whether a phone
has an account; five wrong tries end a code; every step is audited without the number."""

import re

import pytest
from django.contrib.auth import SESSION_KEY
from django.urls import reverse

from gonghui.accounts.models import TotpDevice
from gonghui.accounts.services import grant_create
from gonghui.core import crypto, sms
from gonghui.core.audit import AuditEvent
from gonghui.joining import services
from gonghui.joining.models import PhoneVerification
from gonghui.joining.tests.conftest import NEW_PHONE, PASSWORD, submit

pytestmark = pytest.mark.django_db
NEW = "Xin-mima-2026-ok"


@pytest.fixture
def applicant(cast):
    return submit().account


def code_of(text: str) -> str:
    return re.search(r"验证码是 (\d{6})", text).group(1)


def start(client, url: str, phone: str = NEW_PHONE):
    return client.post(reverse(url), {"phone": phone})


def test_a_worker_resets_the_password_with_a_texted_code(client, applicant):
    response = start(client, "joining:reset")
    assert response["Location"] == reverse("joining:reset_verify")
    assert sms.outbox[-1].phone == NEW_PHONE and "找回登录密码" in sms.outbox[-1].text
    page = client.get(reverse("joining:reset_verify")).content.decode()
    assert "135****7777" in page and NEW_PHONE not in page
    form = {"code": code_of(sms.outbox[-1].text), "new_password1": NEW, "new_password2": NEW}
    response = client.post(reverse("joining:reset_verify"), form)
    assert response["Location"] == reverse("accounts:login")
    applicant.refresh_from_db()
    assert applicant.check_password(NEW) and not applicant.check_password(PASSWORD)
    assert client.login(username=NEW_PHONE, password=NEW)
    event = AuditEvent.objects.get(action="account.password_reset_sms")
    assert event.actor_id == applicant.pk and NEW_PHONE not in str(event.detail)
    assert AuditEvent.objects.filter(action="account.reset_code_send").exists()


def test_a_weak_password_keeps_the_verified_code_for_a_second_try(client, applicant):
    start(client, "joining:reset")
    code = code_of(sms.outbox[-1].text)
    response = client.post(
        reverse("joining:reset_verify"), {"code": code, "new_password1": "123", "new_password2": "123"}
    )
    assert response.status_code == 400 and "密码" in response.content.decode()
    response = client.post(reverse("joining:reset_verify"), {"code": "", "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 400  # the code field is still required by the form
    response = client.post(reverse("joining:reset_verify"), {"code": code, "new_password1": NEW, "new_password2": NEW})
    assert response.status_code == 302
    applicant.refresh_from_db()
    assert applicant.check_password(NEW)


def test_an_unknown_phone_gets_the_same_answer_and_no_text(client, cast):
    response = start(client, "joining:reset", "13600001234")
    assert response["Location"] == reverse("joining:reset_verify") and sms.outbox == []
    page = client.get(reverse("joining:reset_verify")).content.decode()
    assert "如果" in page and "136****1234" in page
    response = client.post(
        reverse("joining:reset_verify"), {"code": "123456", "new_password1": NEW, "new_password2": NEW}
    )
    assert response.status_code == 400 and "验证码不正确，还可以再试 4 次" in response.content.decode()


@pytest.mark.parametrize("cadre_kind", ["grant", "totp", "platform"])
def test_cadre_and_admin_accounts_never_recover_by_text(client, applicant, cast, cadre_kind):
    if cadre_kind == "grant":
        grant_create(actor=None, user=applicant, org=cast.orgs.xixi, role="staff")
    elif cadre_kind == "totp":
        TotpDevice.objects.create(user=applicant, secret_enc=crypto.encrypt("JBSWY3DPEHPK3PXP"),
                                  confirmed_at="2026-01-01T00:00:00Z")  # fmt: skip
    else:
        type(applicant).objects.filter(pk=applicant.pk).update(platform_role="security")
    for url in ("joining:reset", "joining:sms_login"):
        assert start(client, url).status_code == 302
    assert sms.outbox[-1].text.startswith("【智慧工会】您的入会验证码")  # only the applicant's joining code


def test_five_wrong_tries_end_the_code_even_with_the_right_one_after(client, applicant):
    start(client, "joining:sms_login")
    right = code_of(sms.outbox[-1].text)
    wrong = "000000" if right != "000000" else "111111"
    for left in (4, 3, 2, 1):
        assert (
            f"还可以再试 {left} 次"
            in client.post(reverse("joining:sms_login_verify"), {"code": wrong}).content.decode()
        )
    assert "错误次数过多" in client.post(reverse("joining:sms_login_verify"), {"code": wrong}).content.decode()
    assert "错误次数过多" in client.post(reverse("joining:sms_login_verify"), {"code": right}).content.decode()
    assert SESSION_KEY not in client.session


def test_a_worker_signs_in_with_a_texted_code_once(client, applicant):
    start(client, "joining:sms_login")
    code = code_of(sms.outbox[-1].text)
    assert "登录验证码" in sms.outbox[-1].text
    response = client.post(reverse("joining:sms_login_verify"), {"code": code})
    assert response["Location"] == reverse("accounts:home") and int(client.session[SESSION_KEY]) == applicant.pk
    assert AuditEvent.objects.filter(action="auth.login_sms", actor=applicant).exists()
    client.logout()
    verification = PhoneVerification.objects.filter(purpose="login").latest("pk")
    with pytest.raises(Exception, match="验证已失效|已使用"):
        services.sign_in_by_phone(verification=verification)


def test_a_locked_account_is_not_signed_in_by_code(client, applicant):
    type(applicant).objects.filter(pk=applicant.pk).update(locked_until="2999-01-01T00:00:00Z")
    start(client, "joining:sms_login")
    response = client.post(reverse("joining:sms_login_verify"), {"code": code_of(sms.outbox[-1].text)})
    assert response.status_code == 400 and "登录失败次数过多" in response.content.decode()


def test_a_code_is_good_only_for_its_purpose(client, applicant):
    verification = services.recovery_code_send(phone=NEW_PHONE, purpose="login")
    services.phone_code_verify(verification=verification, code=code_of(sms.outbox[-1].text))
    with pytest.raises(Exception, match="验证已失效"):
        services.password_reset_by_phone(verification=verification, new_password=NEW)
    with pytest.raises(Exception, match="手机验证已失效"):
        services.application_submit(verification=verification, name="赵强", id_number="x", password=NEW,
                                    employment_form="courier", region=None, consent=True)  # fmt: skip


def test_sends_per_phone_are_capped(client, applicant, settings):
    settings.GONGHUI_JOINING = {"sends_per_phone_per_hour": 2}
    assert start(client, "joining:reset").status_code == 302
    assert start(client, "joining:reset").status_code == 302
    assert start(client, "joining:reset").status_code == 429


def test_the_login_page_offers_both_paths(client, db):
    page = client.get(reverse("accounts:login")).content.decode()
    assert reverse("joining:reset") in page and reverse("joining:sms_login") in page


def test_joinings_own_api_does_not_take_a_recovery_code(client, applicant):
    verification = services.recovery_code_send(phone=NEW_PHONE, purpose="reset")
    response = client.post("/api/v1/join/phone/verify", {"verification": verification.token,
                           "code": code_of(sms.outbox[-1].text)}, content_type="application/json")  # fmt: skip
    assert response.status_code == 404
    verification.refresh_from_db()
    assert verification.attempts == 0
