"""Writes to accounts, grants and API tokens. Keyword-only, one transaction each, audited."""

import datetime as dt
import secrets

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import ApiToken, Grant, User, UserSession
from gonghui.core.audit import audit_record
from gonghui.core.errors import field_error

TOKEN_LIFETIME = dt.timedelta(days=90)


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    password: str,
    display_name: str = "",
    platform_role: str = User.PlatformRole.NONE,
    person=None,
    check_password: bool = True,
) -> User:
    """开设账号. ``check_password=False`` only for generated demo data and tests."""
    if User.objects.filter(username=username).exists():
        raise field_error("username", f"用户名 {username} 已被使用。")
    user = User(username=username, display_name=display_name, platform_role=platform_role, person=person)
    if check_password:
        validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    audit_record(actor=actor, action="account.create", obj=user, detail={"role": platform_role})
    return user


@transaction.atomic
def grant_create(*, actor, user: User, org, role: str, can_unmask: bool = False) -> Grant:
    """授权: a role on ``org`` covering its subtree. Platform admins hold no org grants (三员分立)."""
    if user.platform_role:
        raise field_error("user", "系统、安全、审计管理员不能再被授予组织角色。")
    if user.person_id is not None:
        raise field_error("user", "职工账号不能被授予组织角色，请为工作人员单独开设账号。")
    grant, _ = Grant.objects.update_or_create(user=user, org=org, defaults={"role": role, "can_unmask": can_unmask})
    audit_record(actor=actor, action="grant.set", obj=grant, org=org, detail={"role": role, "unmask": can_unmask})
    sessions_end_all(user=user)
    return grant


@transaction.atomic
def token_create(*, actor: User, name: str) -> tuple[ApiToken, str]:
    """A new API token for ``actor``; the raw token is returned once and never stored."""
    raw = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=actor, name=name.strip() or "API", digest=ApiToken.digest_of(raw),
        expires_at=timezone.now() + TOKEN_LIFETIME,
    )  # fmt: skip
    audit_record(actor=actor, action="token.create", obj=token)
    return token, raw


def sessions_end_all(*, user: User) -> int:
    """End every session of ``user`` (account disabled, grants or password changed)."""
    keys = list(UserSession.objects.filter(user=user).values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    UserSession.objects.filter(user=user).delete()
    return len(keys)


@transaction.atomic
def user_disable(*, actor, user: User) -> User:
    """停用账号: the account can no longer sign in and every open session ends now."""
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    ended = sessions_end_all(user=user)
    audit_record(actor=actor, action="account.disable", obj=user, detail={"sessions_ended": ended})
    return user


@transaction.atomic
def grant_revoke(*, actor, grant: Grant) -> None:
    """撤销授权; the holder's sessions end, so the narrower scope applies at once."""
    org, user = grant.org, grant.user
    audit_record(actor=actor, action="grant.revoke", obj=grant, org=org, detail={"role": grant.role})
    grant.delete()
    sessions_end_all(user=user)
