"""The login policy in force (docs/security.md §§2-4): the one SecurityPolicy row, the password rules it
sets, password expiry in 等保 mode, and the session clock kept in each signed-in session.

The row is created on first use with the defaults of docs/security.md (the minimum length from the
``PASSWORD_MIN_LENGTH`` setting); the security admin changes it through ``services.policy_update``.
The password validators here are listed in ``AUTH_PASSWORD_VALIDATORS``, so ``validate_password`` (in
``user_create`` and the password change) applies the current numbers."""

import datetime as dt
import time

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import SecurityPolicy

POLICY_PK = 1
POLICY_CACHE_KEY = "gh:security-policy"
POLICY_CACHE_SECONDS = 300
PASSWORD_MAX_LENGTH = 128  # ASVS 6.2.9: at least 64 characters must be allowed
LOGIN_RATE_LIMIT = 20  # sign-in attempts (page and API token) per client IP per minute (item 16)
CHARACTER_CLASSES_REQUIRED = 3  # of 4: upper case, lower case, digits, other characters (等保 mode)

# Unix times kept in the session: when the user signed in and when they were last seen.
SESSION_LOGIN_AT = "_gonghui_login_at"
SESSION_SEEN_AT = "_gonghui_seen_at"
SEEN_RESOLUTION_SECONDS = 60  # last activity is written at most once a minute (one session write, not one per page)


def current_policy() -> SecurityPolicy:
    """The policy row, created with the defaults the first time it is needed. Kept in the cache (every
    signed-in page reads it) and dropped from there whenever the row is saved (``policy_forget``)."""
    policy = cache.get(POLICY_CACHE_KEY)
    if policy is None:
        policy, _ = SecurityPolicy.objects.get_or_create(
            pk=POLICY_PK, defaults={"password_min_length": getattr(settings, "PASSWORD_MIN_LENGTH", 12)}
        )
        cache.set(POLICY_CACHE_KEY, policy, POLICY_CACHE_SECONDS)
    return policy


def policy_forget() -> None:
    """Drop the cached policy now and again once the saving transaction commits."""
    cache.delete(POLICY_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(POLICY_CACHE_KEY))


# --- passwords -----------------------------------------------------------------------------------------------


def character_classes(password: str) -> int:
    """How many of the four character classes ``password`` uses."""
    return sum(
        (
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        )
    )


class PolicyLengthValidator:
    """At least the policy's minimum length, at most PASSWORD_MAX_LENGTH."""

    def validate(self, password: str, user=None) -> None:
        minimum = current_policy().password_min_length
        if len(password) < minimum:
            raise ValidationError(f"密码太短，至少需要 {minimum} 个字符。", code="password_too_short")
        if len(password) > PASSWORD_MAX_LENGTH:
            raise ValidationError(f"密码太长，最多 {PASSWORD_MAX_LENGTH} 个字符。", code="password_too_long")

    def get_help_text(self) -> str:
        return f"密码至少需要 {current_policy().password_min_length} 个字符。"


class PolicyCharacterClassesValidator:
    """等保 mode: at least three of upper case, lower case, digits and other characters."""

    def validate(self, password: str, user=None) -> None:
        if current_policy().dengbao_mode and character_classes(password) < CHARACTER_CLASSES_REQUIRED:
            raise ValidationError(
                "密码须至少包含大写字母、小写字母、数字、其他符号中的三类。", code="password_too_simple"
            )

    def get_help_text(self) -> str:
        if current_policy().dengbao_mode:
            return "密码须至少包含大写字母、小写字母、数字、其他符号中的三类。"
        return ""


def password_expires_at(user, policy: SecurityPolicy | None = None) -> dt.datetime | None:
    """When ``user``'s password expires; None outside 等保 mode."""
    policy = policy or current_policy()
    if not policy.dengbao_mode:
        return None
    changed = user.password_changed_at or user.date_joined
    return changed + dt.timedelta(days=policy.password_expiry_days)


def password_expired(user, policy: SecurityPolicy | None = None) -> bool:
    expires = password_expires_at(user, policy)
    return expires is not None and expires <= timezone.now()


# --- the session clock ---------------------------------------------------------------------------------------


def session_mark_login(session) -> None:
    """Start the session clock at sign-in (called from the user_logged_in receiver)."""
    now = int(time.time())
    session[SESSION_LOGIN_AT] = now
    session[SESSION_SEEN_AT] = now


def session_expiry_reason(session, policy: SecurityPolicy | None = None) -> str | None:
    """Why the session has ended ("idle" or "lifetime"), or None while it is still good. A session
    without a clock (made before this rule, or by a test's force_login) starts one now."""
    now = int(time.time())
    login_at, seen_at = session.get(SESSION_LOGIN_AT), session.get(SESSION_SEEN_AT)
    if login_at is None or seen_at is None:
        session[SESSION_LOGIN_AT] = login_at or now
        session[SESSION_SEEN_AT] = now
        return None
    policy = policy or current_policy()
    if now - login_at >= policy.session_lifetime_hours * 3600:
        return "lifetime"
    if now - seen_at >= policy.idle_timeout_minutes * 60:
        return "idle"
    if now - seen_at >= SEEN_RESOLUTION_SECONDS:
        session[SESSION_SEEN_AT] = now
    return None
