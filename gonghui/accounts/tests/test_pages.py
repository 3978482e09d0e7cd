"""Signing in and out, and where each kind of user lands."""

import pytest
from django.urls import reverse


def test_login_page_is_chinese(client, db):
    body = client.get(reverse("accounts:login")).content.decode()
    assert "登录智慧工会" in body and 'lang="zh-Hans"' in body and "htmx.min.js" in body


@pytest.mark.parametrize(
    ("user", "lands_on"),
    # A platform admin must use two factors (docs/security.md §5): without an authenticator, enrolment first.
    [("province_admin", "/orgs/"), ("readonly", "/orgs/"), ("worker", "/me/"), ("security_admin", "/account/2fa/")],
)
def test_login_lands_each_user_on_their_page(client, cast, user, lands_on):
    username = getattr(cast.users, user).username
    response = client.post(reverse("accounts:login"), {"username": username, "password": cast.password}, follow=True)
    assert response.redirect_chain[-1][0] == lands_on and response.status_code == 200


def test_platform_admin_lands_on_their_own_console(client, cast):
    client.force_login(cast.users.security_admin)
    assert client.get(reverse("accounts:home")).url == reverse("console:grants")


def test_account_without_grant_is_told_why_there_is_nothing_to_see(client, cast):
    from gonghui.accounts.services import user_create

    client.force_login(user_create(actor=None, username="newcadre", password="x", check_password=False))
    body = client.get(reverse("accounts:home")).content.decode()
    assert "还没有任何工会组织的授权" in body


def test_wrong_password_gives_a_chinese_error(client, cast):
    response = client.post(reverse("accounts:login"), {"username": "zhejiang", "password": "wrong-password"})
    assert response.status_code == 200 and "请输入一个正确的" in response.content.decode()


def test_logout_is_a_post_from_the_navbar(client, cast):
    client.force_login(cast.users.province_admin)
    body = client.get(reverse("orgs:tree")).content.decode()
    assert f'action="{reverse("accounts:logout")}"' in body and 'hx-headers=\'{"X-CSRFToken"' in body
    assert client.post(reverse("accounts:logout"))["Location"] == reverse("accounts:login")
    assert client.get(reverse("orgs:tree")).status_code == 302
