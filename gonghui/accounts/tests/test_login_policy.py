"""The login policy through the paths people take (docs/security.md §§2-4): lockout on the sign-in page
and the API token endpoint, the session clock, password rules, expiry and the password change page."""

import datetime as dt
import json
import time

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts import policy
from gonghui.accounts.lockout import user_unlock
from gonghui.accounts.models import ApiToken, LoginFailure, User, UserSession
from gonghui.accounts.services import user_create
from gonghui.core.models import AuditEvent

LOCKED = "登录失败次数过多"
WRONG = "请输入一个正确的"


def _set_policy(**values):
    current = policy.current_policy()
    for name, value in values.items():
        setattr(current, name, value)
    current.save()


def _login(client, username, password):
    return client.post(reverse("accounts:login"), {"username": username, "password": password})


def _token(client, username, password):
    body = json.dumps({"username": username, "password": password})
    return client.post("/api/v1/auth/token", body, content_type="application/json")


def _signed_in(client) -> bool:
    return SESSION_KEY in client.session


# --- lockout -------------------------------------------------------------------------------------------------


def test_five_failures_lock_the_account_even_for_the_right_password(client, cast):
    for attempt in range(1, 6):
        body = _login(client, "zhejiang", "wrong-password").content.decode()
        assert (LOCKED in body) == (attempt == 5), attempt
    assert User.objects.get(username="zhejiang").locked_until > timezone.now() + dt.timedelta(minutes=29)
    response = _login(client, "zhejiang", cast.password)
    assert response.status_code == 200 and LOCKED in response.content.decode() and not _signed_in(client)
    locked = AuditEvent.objects.filter(action="auth.locked")
    assert locked.count() == 1 and locked.get().object_id == str(cast.users.province_admin.pk)


def test_an_unknown_username_is_answered_exactly_like_a_real_one(client, cast):
    def answers(username):
        texts = []
        for _ in range(7):
            body = _login(Client(), username, "wrong-password").content.decode()
            texts.append("locked" if LOCKED in body else "wrong" if WRONG in body else "other")
        return texts

    known, unknown = answers("zhejiang"), answers("nobody-here")
    assert known == unknown == ["wrong"] * 4 + ["locked"] * 3
    assert not User.objects.filter(username="nobody-here").exists()
    assert AuditEvent.objects.filter(action="auth.locked", detail__username="nobody-here").count() == 1


def test_the_lock_ends_after_lockout_minutes(client, cast):
    for _ in range(5):
        _login(client, "zhejiang", "wrong-password")
    assert LOCKED in _login(client, "zhejiang", cast.password).content.decode()
    User.objects.filter(username="zhejiang").update(locked_until=timezone.now() - dt.timedelta(seconds=1))
    _login(client, "zhejiang", cast.password)
    assert _signed_in(client)
    assert not LoginFailure.objects.filter(username="zhejiang").exists()


def test_an_unknown_usernames_lock_ends_too(client, cast):
    for _ in range(5):
        _login(client, "nobody-here", "wrong-password")
    assert LOCKED in _login(client, "nobody-here", "x-wrong").content.decode()
    LoginFailure.objects.filter(username="nobody-here").update(at=timezone.now() - dt.timedelta(minutes=31))
    assert WRONG in _login(client, "nobody-here", "x-wrong").content.decode()


def test_failures_outside_the_window_do_not_count(client, cast):
    for _ in range(4):
        _login(client, "zhejiang", "wrong-password")
    LoginFailure.objects.filter(username="zhejiang").update(at=timezone.now() - dt.timedelta(minutes=31))
    assert WRONG in _login(client, "zhejiang", "wrong-password").content.decode()
    assert User.objects.get(username="zhejiang").locked_until is None
    for _ in range(3):
        assert WRONG in _login(client, "zhejiang", "wrong-password").content.decode()
    assert LOCKED in _login(client, "zhejiang", "wrong-password").content.decode()  # five in the window


def test_a_successful_login_clears_the_count(client, cast):
    for _ in range(4):
        _login(Client(), "zhejiang", "wrong-password")
    _login(client, "zhejiang", cast.password)
    assert _signed_in(client)
    for _ in range(4):
        assert WRONG in _login(Client(), "zhejiang", "wrong-password").content.decode()
    assert LOCKED in _login(Client(), "zhejiang", "wrong-password").content.decode()


def test_failures_before_a_lock_ended_never_count_again(client, cast):
    _set_policy(lockout_window_minutes=120)  # the old failures are still inside the window
    for _ in range(5):
        _login(client, "zhejiang", "wrong-password")
    assert User.objects.get(username="zhejiang").locked_until is not None
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(minutes=31))
    User.objects.filter(username="zhejiang").update(locked_until=timezone.now() - dt.timedelta(minutes=1))
    for _ in range(4):
        assert WRONG in _login(client, "zhejiang", "wrong-password").content.decode()
    assert LOCKED in _login(client, "zhejiang", "wrong-password").content.decode()


def test_the_policy_numbers_apply(client, cast):
    _set_policy(lockout_threshold=2, lockout_minutes=7)
    assert WRONG in _login(client, "zhejiang", "wrong-password").content.decode()
    body = _login(client, "zhejiang", "wrong-password").content.decode()
    assert LOCKED in body and "7 分钟" in body
    until = User.objects.get(username="zhejiang").locked_until
    assert dt.timedelta(minutes=6) < until - timezone.now() <= dt.timedelta(minutes=7)


def test_the_security_admin_can_lift_a_lock(client, cast):
    for _ in range(5):
        _login(client, "zhejiang", "wrong-password")
    assert LOCKED in _login(client, "zhejiang", cast.password).content.decode()
    user_unlock(actor=cast.users.security_admin, user=User.objects.get(username="zhejiang"))
    _login(client, "zhejiang", cast.password)
    assert _signed_in(client)
    assert AuditEvent.objects.filter(action="account.unlock", actor=cast.users.security_admin).count() == 1


def test_the_api_token_endpoint_shares_the_lockout(client, cast):
    for _ in range(3):
        _login(Client(), "zhejiang", "wrong-password")
    assert _token(client, "zhejiang", "wrong-password").json() == {"detail": "用户名或密码错误。"}
    locked = _token(client, "zhejiang", "wrong-password")
    assert locked.status_code == 401 and LOCKED in locked.json()["detail"]
    right = _token(client, "zhejiang", cast.password)
    assert right.status_code == 401 and LOCKED in right.json()["detail"]
    assert not ApiToken.objects.exists()
    unknown = [_token(Client(), "nobody-here", "wrong-password").json()["detail"] for _ in range(5)]
    assert LOCKED in unknown[-1] and all(LOCKED not in d for d in unknown[:-1])


def test_a_locked_username_is_not_password_checked_or_counted(client, cast):
    for _ in range(5):
        _login(client, "zhejiang", "wrong-password")
    for _ in range(3):
        _login(client, "zhejiang", "wrong-password")
    assert LoginFailure.objects.filter(username="zhejiang").count() == 5
    assert AuditEvent.objects.filter(action="auth.locked").count() == 1


# --- sessions ------------------------------------------------------------------------------------------------


def test_the_session_key_changes_at_login(client, cast):
    session = client.session
    session["before_login"] = "yes"
    session.save()
    before = session.session_key
    assert Session.objects.filter(session_key=before).exists()
    _login(client, "zhejiang", cast.password)
    after = client.cookies["sessionid"].value
    assert after != before and _signed_in(client)
    assert not Session.objects.filter(session_key=before).exists()
    assert UserSession.objects.filter(user=cast.users.province_admin, session_key=after).exists()


def _shift_clock(client, *, login_ago: int | None = None, seen_ago: int | None = None):
    session = client.session
    now = int(time.time())
    if login_ago is not None:
        session[policy.SESSION_LOGIN_AT] = now - login_ago
    if seen_ago is not None:
        session[policy.SESSION_SEEN_AT] = now - seen_ago
    session.save()


def test_an_idle_session_ends_with_a_chinese_message(client, cast):
    _login(client, "zhejiang", cast.password)
    _shift_clock(client, seen_ago=29 * 60)
    assert client.get("/orgs/").status_code == 200
    _shift_clock(client, seen_ago=31 * 60)
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"] == reverse("accounts:login") + "?next=%2Forgs%2F"
    assert not _signed_in(client)
    assert "长时间未操作" in client.get(response["Location"]).content.decode()
    assert client.get("/orgs/").status_code == 302


def test_activity_keeps_the_session_alive(client, cast):
    _login(client, "zhejiang", cast.password)
    _shift_clock(client, seen_ago=20 * 60)
    assert client.get("/orgs/").status_code == 200  # seen now
    assert int(time.time()) - client.session[policy.SESSION_SEEN_AT] < 5


def test_a_session_ends_after_its_lifetime_however_busy(client, cast):
    _login(client, "zhejiang", cast.password)
    _shift_clock(client, login_ago=11 * 3600 + 59 * 60, seen_ago=10)
    assert client.get("/orgs/").status_code == 200
    _shift_clock(client, login_ago=12 * 3600, seen_ago=10)
    response = client.get("/orgs/", follow=True)
    assert response.redirect_chain[0][0].startswith(reverse("accounts:login"))
    assert "登录时间已达上限" in response.content.decode()
    assert not UserSession.objects.filter(user=cast.users.province_admin).exists() or not _signed_in(client)


def test_session_timeouts_follow_the_policy(client, cast):
    _set_policy(idle_timeout_minutes=5, session_lifetime_hours=1)
    _login(client, "zhejiang", cast.password)
    _shift_clock(client, seen_ago=6 * 60)
    assert client.get("/orgs/").status_code == 302
    other = Client()
    _login(other, "zhejiang", cast.password)
    _shift_clock(other, login_ago=3601, seen_ago=10)
    assert other.get("/orgs/").status_code == 302


def test_an_expired_session_is_audited_as_a_logout(client, cast):
    _login(client, "zhejiang", cast.password)
    _shift_clock(client, seen_ago=31 * 60)
    client.get("/orgs/")
    assert AuditEvent.objects.filter(action="auth.logout", actor=cast.users.province_admin).count() == 1


# --- passwords -----------------------------------------------------------------------------------------------


def _create(username, password):
    return user_create(actor=None, username=username, password=password)


def test_password_minimum_length_comes_from_the_policy(db):
    with pytest.raises(ValidationError, match="至少需要 12 个字符"):
        _create("u1", "Short-pw-9")
    _create("u2", "plainlowercasewords")  # 19 letters, one class: fine outside 等保 mode
    _set_policy(password_min_length=20)
    with pytest.raises(ValidationError, match="至少需要 20 个字符"):
        _create("u3", "plainlowercasewords")


def test_long_passwords_are_allowed(db):
    _create("u1", "长" + "x9-Y" * 16)  # 65 characters
    with pytest.raises(ValidationError, match="最多 128 个字符"):
        _create("u2", "a" * 129)


def test_dengbao_mode_requires_three_character_classes(db):
    _set_policy(dengbao_mode=True)
    with pytest.raises(ValidationError, match="三类"):
        _create("u1", "plainlowercasewords")
    with pytest.raises(ValidationError, match="三类"):
        _create("u2", "lowercase4digits2024")
    _create("u3", "lowercase-digits-2024")


def test_common_passwords_are_still_rejected(db):
    with pytest.raises(ValidationError):
        _create("u1", "password1234")


def test_the_password_change_page(client, cast):
    _login(client, "zhejiang", cast.password)
    elsewhere = Client()
    _login(elsewhere, "zhejiang", cast.password)
    page = client.get(reverse("accounts:password_change")).content.decode()
    assert "修改密码" in page and "至少需要 12 个字符" in page
    url = reverse("accounts:password_change")
    wrong_old = client.post(
        url, {"old_password": "nope", "new_password1": "New-pass-2024x", "new_password2": "New-pass-2024x"}
    )
    assert "当前密码不正确" in wrong_old.content.decode()
    mismatch = client.post(
        url, {"old_password": cast.password, "new_password1": "New-pass-2024x", "new_password2": "x"}
    )
    assert "两次输入的新密码不一致" in mismatch.content.decode()
    short = client.post(url, {"old_password": cast.password, "new_password1": "Ab-1", "new_password2": "Ab-1"})
    assert "密码太短" in short.content.decode()
    key_before = client.cookies["sessionid"].value
    good = {"old_password": cast.password, "new_password1": "New-pass-2024x", "new_password2": "New-pass-2024x"}
    done = client.post(url, good)
    assert done.status_code == 302
    user = User.objects.get(username="zhejiang")
    assert user.check_password("New-pass-2024x") and timezone.now() - user.password_changed_at < dt.timedelta(minutes=1)
    assert client.get("/orgs/").status_code == 200  # this session goes on, under a new key
    key_after = client.cookies["sessionid"].value
    assert key_after != key_before
    assert list(UserSession.objects.filter(user=user).values_list("session_key", flat=True)) == [key_after]
    assert elsewhere.get("/orgs/").status_code == 302  # the other session has ended
    event = AuditEvent.objects.get(action="account.password_change")
    assert event.actor == user and event.detail["sessions_ended"] == 1
    assert "New-pass" not in json.dumps(event.detail)


def test_password_change_needs_sign_in(client, db):
    assert client.get(reverse("accounts:password_change"))["Location"].startswith(reverse("accounts:login"))


def _expire_password(user):
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - dt.timedelta(days=91))


def test_an_expired_password_must_be_changed_before_anything_else(client, cast):
    _set_policy(dengbao_mode=True)
    _expire_password(cast.users.province_admin)
    _login(client, "zhejiang", cast.password)
    for path in ("/", "/orgs/", "/members/"):
        assert client.get(path)["Location"] == reverse("accounts:password_change"), path
    page = client.get(reverse("accounts:password_change"))
    assert page.status_code == 200 and "密码已过期" in page.content.decode()
    form = {"old_password": cast.password, "new_password1": "New-pass-2024x", "new_password2": "New-pass-2024x"}
    client.post(reverse("accounts:password_change"), form)
    assert client.get("/orgs/").status_code == 200


def test_password_expiry_needs_dengbao_mode_and_follows_expiry_days(client, cast):
    _expire_password(cast.users.province_admin)
    _login(client, "zhejiang", cast.password)
    assert client.get("/orgs/").status_code == 200
    _set_policy(dengbao_mode=True, password_expiry_days=120)
    assert client.get("/orgs/").status_code == 200
    _set_policy(password_expiry_days=90)
    assert client.get("/orgs/")["Location"] == reverse("accounts:password_change")
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")


def test_an_expired_password_gets_no_api_token(client, cast):
    _set_policy(dengbao_mode=True)
    _expire_password(cast.users.province_admin)
    response = _token(client, "zhejiang", cast.password)
    assert response.status_code == 403 and "密码已过期" in response.json()["detail"]
    assert not ApiToken.objects.exists()
