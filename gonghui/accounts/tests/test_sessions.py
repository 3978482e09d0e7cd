"""Sessions end when an account is disabled or its grants change (docs/security.md §4)."""

from django.contrib.sessions.models import Session

from gonghui.accounts.models import Grant
from gonghui.accounts.services import grant_create, grant_revoke, user_disable


def _signed_in(client, cast, username):
    assert client.login(username=username, password=cast.password)
    assert client.get("/orgs/").status_code == 200
    return client


def test_disabling_an_account_ends_its_sessions(client, cast):
    _signed_in(client, cast, "zhejiang")
    user_disable(actor=None, user=cast.users.province_admin)  # the system admin's duty; none in the cast
    assert client.get("/orgs/").status_code == 302
    assert not client.login(username="zhejiang", password=cast.password)


def test_a_grant_change_ends_the_holders_sessions_only(client, cast, django_user_model):
    from django.test import Client

    _signed_in(client, cast, "zhejiang")
    other = _signed_in(Client(), cast, "jiangsu")
    grant_create(actor=None, user=cast.users.province_admin, org=cast.orgs.zhejiang, role=Grant.Role.READONLY)
    assert client.get("/orgs/").status_code == 302
    assert other.get("/orgs/").status_code == 200


def test_revoking_a_grant_ends_sessions_and_narrows_scope(client, cast):
    _signed_in(client, cast, "zhejiang")
    grant_revoke(actor=None, grant=cast.users.province_admin.grants.get())
    assert client.get("/orgs/").status_code == 302
    assert Session.objects.count() == 0
