"""Lockout after repeated failed sign-ins (docs/security.md §3; 等保 身份鉴别 b).

``lockout_threshold`` failures for one username within ``lockout_window_minutes`` lock that username for
``lockout_minutes``. Unknown usernames are counted and locked exactly like real ones (from their
LoginFailure rows alone, no account is created), so the answers never tell whether an account exists.
While a username is locked its password is not checked and attempts are not counted, so a lock ends on
time however often someone keeps trying. A successful sign-in clears the count.

For an account the lock is ``User.locked_until`` (the security admin can lift it with ``user_unlock``);
failures before the last lock ended never count again."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import LoginFailure, SecurityPolicy, User
from gonghui.accounts.policy import current_policy
from gonghui.core.audit import audit_record
from gonghui.core.batches import in_batches


def locked_message(policy: SecurityPolicy | None = None) -> str:
    """The one message for a locked username, the same whether or not the account exists."""
    minutes = (policy or current_policy()).lockout_minutes
    return f"登录失败次数过多，已暂停登录，请 {minutes} 分钟后再试。"


def _account(username: str) -> User | None:
    return User.objects.filter(username=username).first() if username else None


def _unknown_username_locked_until(username: str, policy: SecurityPolicy) -> dt.datetime | None:
    """Replay the failures of a username that has no account, applying the same rule as for accounts."""
    window = dt.timedelta(minutes=policy.lockout_window_minutes)
    duration = dt.timedelta(minutes=policy.lockout_minutes)
    since = timezone.now() - 4 * (window + duration)
    times = LoginFailure.objects.filter(username=username, at__gte=since).order_by("at").values_list("at", flat=True)
    locked_until, recent = None, []
    for at in times:
        if locked_until is not None and at < locked_until:
            continue
        recent = [t for t in recent if t > at - window and (locked_until is None or t >= locked_until)] + [at]
        if len(recent) >= policy.lockout_threshold:
            locked_until, recent = at + duration, []
    return locked_until


def locked_until(username: str, policy: SecurityPolicy | None = None) -> dt.datetime | None:
    """When the lock on ``username`` ends, or None if it is not locked now."""
    policy = policy or current_policy()
    user = _account(username)
    until = user.locked_until if user is not None else _unknown_username_locked_until(username, policy)
    return until if until is not None and until > timezone.now() else None


def is_locked(username: str) -> bool:
    return locked_until(username) is not None


@transaction.atomic
def failure_record(*, username: str, ip: str | None = None) -> bool:
    """Count one failed sign-in for ``username``; lock it when the threshold is reached (audited as
    "auth.locked"). Returns whether the username is now locked."""
    username = username[:150]
    policy = current_policy()
    now = timezone.now()
    user = User.objects.select_for_update().filter(username=username).first() if username else None
    if user is None:
        before = _unknown_username_locked_until(username, policy)
        LoginFailure.objects.create(username=username, ip=ip)
        until = _unknown_username_locked_until(username, policy)
        if until is None or until <= now:
            return False
        if until != before:
            audit_record(actor=None, action="auth.locked",
                         detail={"username": username, "minutes": policy.lockout_minutes})  # fmt: skip
        return True
    LoginFailure.objects.create(username=username, ip=ip)
    since = now - dt.timedelta(minutes=policy.lockout_window_minutes)
    if user.locked_until is not None and user.locked_until > since:
        since = user.locked_until
    failures = LoginFailure.objects.filter(username=username, at__gte=since).count()
    if failures < policy.lockout_threshold:
        return False
    user.locked_until = now + dt.timedelta(minutes=policy.lockout_minutes)
    User.objects.filter(pk=user.pk).update(locked_until=user.locked_until)
    audit_record(actor=None, action="auth.locked", obj=user,
                 detail={"username": username, "failures": failures, "minutes": policy.lockout_minutes})  # fmt: skip
    return True


@transaction.atomic
def failures_clear(*, user: User) -> None:
    """A successful sign-in: the count starts again from zero."""
    LoginFailure.objects.filter(username=user.username).delete()
    if user.locked_until is not None:
        User.objects.filter(pk=user.pk).update(locked_until=None)
        user.locked_until = None


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    """解除锁定 (security admin): the account may sign in again at once."""
    LoginFailure.objects.filter(username=user.username).delete()
    User.objects.filter(pk=user.pk).update(locked_until=None)
    user.locked_until = None
    audit_record(actor=actor, action="account.unlock", obj=user)
    return user


def login_failures_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention (保存期限): the failures older than ``cutoff`` are deleted, in committed batches."""
    old = LoginFailure.objects.filter(at__lt=cutoff)
    return in_batches(old, lambda ids: LoginFailure.objects.filter(pk__in=ids).delete()[0], batch_size)
