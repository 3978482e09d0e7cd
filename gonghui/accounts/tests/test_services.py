"""Accounts: creation, grants (三员分立), API tokens."""

import pytest
from django.core.exceptions import ValidationError

from gonghui.accounts.models import ApiToken, Grant, User
from gonghui.accounts.services import grant_create, token_create, user_create


def test_user_create_validates_the_password(db):
    with pytest.raises(ValidationError):
        user_create(actor=None, username="weak", password="12345678")
    assert not User.objects.filter(username="weak").exists()


def test_user_create_refuses_a_taken_username(cast):
    with pytest.raises(ValidationError):
        user_create(actor=None, username="national", password="Another-long-pass-2021")


@pytest.mark.parametrize("who", ["security_admin"])
def test_grant_create_refuses_platform_admins(cast, who):
    with pytest.raises(ValidationError):
        grant_create(actor=None, user=getattr(cast.users, who), org=cast.orgs.zhejiang, role=Grant.Role.READONLY)
    assert not Grant.objects.filter(user=getattr(cast.users, who)).exists()


@pytest.mark.parametrize("role", [User.PlatformRole.SYSTEM, User.PlatformRole.SECURITY, User.PlatformRole.AUDIT])
def test_no_platform_admin_role_can_hold_an_org_grant(cast, role):
    user = user_create(actor=None, username=f"admin-{role}", password="x", platform_role=role, check_password=False)
    with pytest.raises(ValidationError):
        grant_create(actor=None, user=user, org=cast.orgs.national, role=Grant.Role.ADMIN)


def test_grant_create_refuses_worker_accounts(cast):
    worker = cast.users.worker
    with pytest.raises(ValidationError):
        grant_create(actor=None, user=worker, org=cast.orgs.company, role=Grant.Role.STAFF)
    assert not Grant.objects.filter(user=worker).exists()


def test_grant_create_twice_updates_the_one_grant(cast):
    user = cast.users.readonly
    grant_create(actor=cast.users.security_admin, user=user, org=cast.orgs.zhejiang, role=Grant.Role.STAFF)
    assert list(Grant.objects.filter(user=user).values_list("role", flat=True)) == [Grant.Role.STAFF]


def test_platform_role_is_one_field_so_no_account_holds_two_admin_roles(db):
    field = User._meta.get_field("platform_role")
    assert field.get_internal_type() == "CharField"
    assert {value for value, _ in field.choices} == {"", "system", "security", "audit"}
    with pytest.raises(ValidationError):
        user_create(actor=None, username="both", password="x", platform_role="system,security", check_password=False)
    assert not User.objects.filter(username="both").exists()


def test_token_create_stores_only_a_digest(cast):
    token, raw = token_create(actor=cast.users.national_admin, name="报表接口")
    stored = ApiToken.objects.get(pk=token.pk)
    assert stored.digest == ApiToken.digest_of(raw)
    assert raw not in {stored.digest, stored.name}
    assert stored.expires_at > stored.created_at
