"""Writes to accounts, grants and API tokens. Keyword-only, one transaction each, audited."""

import datetime as dt
import secrets

from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.access import require_platform_actor
from gonghui.accounts.models import ApiToken, Grant, RecoveryCode, TotpDevice, User, UserSession
from gonghui.accounts.policy import current_policy
from gonghui.core.audit import atomic_audited, audit_record
from gonghui.core.errors import field_error
from gonghui.orgs import access

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
    require_platform_actor(actor, User.PlatformRole.SYSTEM)
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
    require_platform_actor(actor, User.PlatformRole.SECURITY)
    if user.platform_role:
        raise field_error("user", "系统、安全、审计管理员不能再被授予组织角色。")
    if user.person_id is not None:
        raise field_error("user", "职工账号不能被授予组织角色，请为工作人员单独开设账号。")
    grant, _ = Grant.objects.update_or_create(user=user, org=org, defaults={"role": role, "can_unmask": can_unmask})
    access.forget_grants(user)
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
def password_change(*, user: User, old_password: str, new_password: str, keep_session_key: str | None = None) -> User:
    """修改密码 (the user's own): the current password must be right and the new one pass the policy
    (gonghui.accounts.policy); every other session of the user ends; ``keep_session_key`` stays."""
    if not user.check_password(old_password):
        raise field_error("old_password", "当前密码不正确。")
    if new_password == old_password:
        raise field_error("new_password1", "新密码不能与当前密码相同。")
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.error_list}) from exc
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.reset_required = False
    user.save(update_fields=["password", "password_changed_at", "reset_required"])
    others = UserSession.objects.filter(user=user).exclude(session_key=keep_session_key or "")
    keys = list(others.values_list("session_key", flat=True))
    Session.objects.filter(session_key__in=keys).delete()
    others.delete()
    audit_record(actor=user, action="account.password_change", obj=user, detail={"sessions_ended": len(keys)})
    return user


def session_key_renamed(*, user: User, old_key: str | None, new_key: str | None) -> None:
    """Keep the session index right when Django gives a session a new key (cycle_key)."""
    if old_key and new_key and old_key != new_key:
        UserSession.objects.filter(user=user, session_key=old_key).update(session_key=new_key)


@transaction.atomic
def user_disable(*, actor, user: User) -> User:
    """停用账号: the account can no longer sign in and every open session ends now."""
    require_platform_actor(actor, User.PlatformRole.SYSTEM)
    User.objects.filter(pk=user.pk).update(is_active=False)
    user.is_active = False
    ended = sessions_end_all(user=user)
    audit_record(actor=actor, action="account.disable", obj=user, detail={"sessions_ended": ended})
    return user


@transaction.atomic
def grant_revoke(*, actor, grant: Grant) -> None:
    """撤销授权; the holder's sessions end, so the narrower scope applies at once."""
    require_platform_actor(actor, User.PlatformRole.SECURITY)
    org, user = grant.org, grant.user
    audit_record(actor=actor, action="grant.revoke", obj=grant, org=org, detail={"role": grant.role})
    grant.delete()
    access.forget_grants(user)
    sessions_end_all(user=user)


@transaction.atomic
def user_enable(*, actor, user: User) -> User:
    """重新启用账号: the account may sign in again (its old sessions stay ended)."""
    require_platform_actor(actor, User.PlatformRole.SYSTEM)
    User.objects.filter(pk=user.pk).update(is_active=True)
    user.is_active = True
    audit_record(actor=actor, action="account.enable", obj=user)
    return user


TEMPORARY_PASSWORD_CLASSES = ("ABCDEFGHJKLMNPQRSTUVWXYZ", "abcdefghijkmnpqrstuvwxyz", "23456789", "#%+=@")


def temporary_password() -> str:
    """A one-time password for a reset: as long as the policy asks (16 at least), all four character classes,
    no characters that read alike (0/O, 1/l/I)."""
    length = max(16, current_policy().password_min_length)
    chars = [secrets.choice(alphabet) for alphabet in TEMPORARY_PASSWORD_CLASSES]
    chars += [secrets.choice("".join(TEMPORARY_PASSWORD_CLASSES)) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)


@atomic_audited
def account_reset(*, actor, user: User) -> str:
    """重置账号 by the security admin, for a cadre who lost their password or authenticator: a temporary
    password (returned once, to be handed over in person, never stored in the clear), the authenticator and the
    recovery codes revoked, every session ended; at the next sign-in the cadre enrols a new authenticator and
    then sets their own password (``reset_required``). Nobody resets their own account, nor a platform admin's
    (三员分立: those are reset with ``manage.py changepassword`` by the operator)."""
    require_platform_actor(actor, User.PlatformRole.SECURITY)
    if actor is not None and user.pk == actor.pk:
        raise field_error("username", "不能重置自己的账号。")
    if user.platform_role:
        raise field_error("username", "系统、安全、审计管理员的账号不能在此重置。")
    if user.person_id is not None:
        raise field_error("username", "这是职工本人的账号，不在此重置。")
    password = temporary_password()
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.reset_required = True
    user.locked_until = None
    user.save(update_fields=["password", "password_changed_at", "reset_required", "locked_until"])
    devices, _ = TotpDevice.objects.filter(user=user).delete()
    codes, _ = RecoveryCode.objects.filter(user=user).delete()
    ended = sessions_end_all(user=user)
    audit_record(actor=actor, action="account.reset", obj=user,
                 detail={"authenticator_revoked": devices > 0, "recovery_codes_revoked": codes,
                         "sessions_ended": ended})  # fmt: skip
    return password


# The security admin's bounds on the policy numbers: never below the floor of docs/security.md §§2-4.
POLICY_LIMITS = {
    "password_min_length": (8, 64),
    "password_expiry_days": (1, 365),
    "lockout_threshold": (1, 5),
    "lockout_window_minutes": (1, 1440),
    "lockout_minutes": (1, 1440),
    # docs/security.md §§3-4 are ceilings: a province may be stricter, never looser.
    "idle_timeout_minutes": (1, 30),
    "session_lifetime_hours": (1, 12),
}


@transaction.atomic
def policy_update(*, actor, **values):
    """修改安全策略 (the one row); every changed number is audited with its old and new value."""
    require_platform_actor(actor, User.PlatformRole.SECURITY)
    from gonghui.accounts.models import SecurityPolicy
    from gonghui.accounts.policy import POLICY_PK, current_policy

    unknown = set(values) - set(POLICY_LIMITS) - {"dengbao_mode"}
    if unknown:
        raise ValueError(f"unknown policy fields: {sorted(unknown)}")
    current_policy()  # the row exists from here on
    policy = SecurityPolicy.objects.select_for_update().get(pk=POLICY_PK)
    for name, value in values.items():
        if name in POLICY_LIMITS:
            low, high = POLICY_LIMITS[name]
            if not low <= value <= high:
                label = SecurityPolicy._meta.get_field(name).verbose_name
                raise field_error(name, f"{label}应在 {low} 到 {high} 之间。")
    changes = {name: [getattr(policy, name), value] for name, value in values.items() if getattr(policy, name) != value}
    for name, value in values.items():
        setattr(policy, name, value)
    policy.save()
    audit_record(actor=actor, action="policy.update", obj=policy, detail={"changes": changes})
    return policy
