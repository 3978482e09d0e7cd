"""重置账号: the security admin resets a cadre who lost their password or authenticator. The old password, the
authenticator and the recovery codes stop working at once, every session ends, the reset is audited; at the
next sign-in the cadre enrols a new authenticator, then sets their own password. Nobody resets themselves."""

import re
import string
import time
from unittest import mock

import pytest
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.accounts import totp, two_factor
from gonghui.accounts.models import RecoveryCode, TotpDevice, User, UserSession
from gonghui.accounts.policy import policy_forget
from gonghui.accounts.services import account_reset, policy_update, temporary_password
from gonghui.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("real_two_factor")


def sign_in(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def enrolled(user) -> str:
    _, secret = two_factor.totp_enrol_start(actor=user)
    two_factor.totp_enrol_confirm(actor=user, code=totp.code_for(secret, time.time() - 30))
    return secret


@pytest.fixture
def security(cast):
    client = Client()
    client.force_login(cast.users.security_admin)
    session = client.session
    session[two_factor.SESSION_VERIFIED] = cast.users.security_admin.pk
    session.save()
    return client


def reset(client, username, confirm="on"):
    return client.post(reverse("console:account_reset"), {"username": username, "confirm": confirm})


def test_a_reset_revokes_the_password_the_authenticator_the_codes_and_the_sessions(security, cast):
    cadre = cast.users.national_admin  # must use two factors (may unmask)
    enrolled(cadre)
    cadre_client = Client()
    assert sign_in(cadre_client, cadre.username, cast.password).status_code == 302
    assert UserSession.objects.filter(user=cadre).exists()

    response = reset(security, cadre.username)
    body = response.content.decode()
    password = re.search(r'data-field="temporary_password">([^<]+)<', body).group(1)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert not TotpDevice.objects.filter(user=cadre).exists() and not RecoveryCode.objects.filter(user=cadre).exists()
    assert (
        not UserSession.objects.filter(user=cadre).exists()
        and not Session.objects.filter(session_key=cadre_client.session.session_key).exists()
    )
    cadre.refresh_from_db()
    assert cadre.reset_required and cadre.check_password(password) and not cadre.check_password(cast.password)
    event = AuditEvent.objects.get(action="account.reset")
    assert event.actor == cast.users.security_admin and event.object_id == str(cadre.pk)
    assert event.detail == {"authenticator_revoked": True, "recovery_codes_revoked": 10, "sessions_ended": 1}
    assert password not in str(event.detail)

    # The next sign-in: a new authenticator first, then the cadre's own password, then the pages.
    again = Client()
    assert sign_in(again, cadre.username, cast.password).status_code == 200  # the old password is refused
    assert sign_in(again, cadre.username, password).status_code == 302
    assert again.get("/orgs/")["Location"] == reverse("accounts:2fa_setup")
    page = again.get(reverse("accounts:2fa_setup")).content.decode()
    secret = re.search(r'data-secret="([A-Z2-7]+)"', page).group(1)
    assert again.post(reverse("accounts:2fa_setup"), {"code": totp.code_for(secret)}).status_code == 200
    held = again.get("/orgs/", follow=True)
    assert held.redirect_chain[-1][0] == reverse("accounts:password_change")
    assert "您的账号已由安全管理员重置" in held.content.decode()
    changed = again.post(reverse("accounts:password_change"), {"old_password": password,
                         "new_password1": "Xihu-Union-2027!", "new_password2": "Xihu-Union-2027!"})  # fmt: skip
    assert changed.status_code == 302
    assert again.get("/orgs/").status_code == 200
    cadre.refresh_from_db()
    assert not cadre.reset_required and TotpDevice.objects.get(user=cadre).confirmed_at is not None


def test_a_cadre_without_two_factors_enrols_one_after_a_reset(security, cast):
    cadre = cast.users.province_admin  # not required to use two factors
    assert not two_factor.required_for(cadre)
    reset(security, cadre.username)
    cadre.refresh_from_db()
    assert two_factor.required_for(cadre)


@pytest.mark.parametrize(
    ("whom", "message"),
    [("security_admin", "不能重置自己的账号"), ("worker", "这是职工本人的账号"), ("nobody", "没有这个账号")],
)
def test_what_cannot_be_reset(security, cast, whom, message):
    username = "no-such-user" if whom == "nobody" else getattr(cast.users, whom).username
    response = reset(security, username)
    assert response.status_code == 400 and message in response.content.decode()
    assert not AuditEvent.objects.filter(action="account.reset").exists()


def test_a_platform_admin_is_not_reset_here(security, cast):
    other = User.objects.create_user("sysadmin2", password=cast.password, platform_role=User.PlatformRole.SYSTEM)
    response = reset(security, other.username)
    assert response.status_code == 400 and "管理员的账号不能在此重置" in response.content.decode()


def test_the_identity_check_must_be_confirmed(security, cast):
    response = reset(security, cast.users.province_admin.username, confirm="")
    assert response.status_code == 400 and "请先核实申请人的身份" in response.content.decode()
    cast.users.province_admin.refresh_from_db()
    assert not cast.users.province_admin.reset_required


def test_only_the_security_admin_resets(cast):
    with pytest.raises(Exception, match="安全管理员"):
        account_reset(actor=cast.users.national_admin, user=cast.users.province_admin)
    assert AuditEvent.objects.get(action="access.denied").actor == cast.users.national_admin


@settings(max_examples=30, deadline=None)
@given(length=st.integers(min_value=8, max_value=64))
def test_a_temporary_password_meets_any_policy(length):
    with mock.patch("gonghui.accounts.services.current_policy") as policy:
        policy.return_value.password_min_length = length
        password = temporary_password()
    assert len(password) == max(16, length)
    classes = (string.ascii_uppercase, string.ascii_lowercase, string.digits, "#%+=@")
    assert all(any(ch in chars for ch in password) for chars in classes)
    assert not set(password) & set("0O1lI")


def test_a_temporary_password_follows_the_policy_length(cast):
    policy_update(actor=None, password_min_length=20)
    policy_forget()
    assert len(temporary_password()) == 20
