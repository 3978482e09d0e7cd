"""Two-factor sign-in with TOTP (docs/security.md §5): who must use it, the session state, and the writes.

After the password, a user with a confirmed authenticator is "pending" until they give a TOTP code or
an unused recovery code; a user who must use two factors but has none is sent to enrolment. The
session remembers the verified user's id under ``SESSION_VERIFIED`` (also for users with nothing to
verify, once their first request has found that); a sign-in as someone else
starts a new session (Django's ``login``), so the mark never carries over to another account.

The writes follow the services convention: keyword-only, one transaction each, audited.
"""

import hashlib
import secrets

from django.db import transaction
from django.utils import timezone

from gonghui.accounts import totp
from gonghui.accounts.models import RecoveryCode, TotpDevice, User, UserSession
from gonghui.core.audit import audit_record
from gonghui.core.crypto import decrypt, encrypt
from gonghui.core.errors import field_error
from gonghui.orgs import access

SESSION_VERIFIED = "_gonghui_2fa_user"
SESSION_FAILURES = "_gonghui_2fa_failures"
MAX_FAILURES = 5  # wrong codes in one session before it is ended and the password is asked again
RECOVERY_CODE_COUNT = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/o, 1/l/i to misread


def required_for(user) -> bool:
    """Whether ``user`` must sign in with two factors: the three platform admins, anyone whose grants let them
    see unmasked personal data, and an account the security admin has reset (it enrols a new authenticator)."""
    if user is None or not user.is_authenticated:
        return False
    if user.platform_role or user.reset_required:
        return True
    return any(grant.can_unmask for grant in access.grants_of(user))


def device_of(user) -> TotpDevice | None:
    """The user's confirmed authenticator, if any."""
    if user is None or not user.is_authenticated:
        return None
    return TotpDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def is_verified(request) -> bool:
    return request.session.get(SESSION_VERIFIED) == request.user.pk


def mark_verified(request) -> None:
    request.session[SESSION_VERIFIED] = request.user.pk
    request.session.pop(SESSION_FAILURES, None)
    # The second factor raises the session's privilege: give it a new key, and keep the record of the
    # user's sessions pointing at it so that "end all sessions" still reaches this one.
    old_key = request.session.session_key
    request.session.cycle_key()
    if old_key:
        UserSession.objects.filter(session_key=old_key).update(session_key=request.session.session_key)


def next_step(request) -> str | None:
    """Where a signed-in user must go before anything else: "verify", "enrol", or None (free to go)."""
    user = request.user
    if not user.is_authenticated or is_verified(request):
        return None
    if device_of(user) is not None:
        return "verify"
    if required_for(user):
        return "enrol"
    # Nothing to check for this account: remember it, so later requests cost no queries. Grant changes
    # end the user's sessions (services.grant_create), so a session cannot keep this past a new duty.
    request.session[SESSION_VERIFIED] = user.pk
    return None


def count_failure(request) -> bool:
    """Count a wrong code in this session; True once the limit is reached (the caller signs out)."""
    failures = request.session.get(SESSION_FAILURES, 0) + 1
    request.session[SESSION_FAILURES] = failures
    return failures >= MAX_FAILURES


def normalise_recovery_code(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def recovery_digest(code: str) -> str:
    """SHA-256 of the normalised code: 80 random bits need no slow hash, and only the digest is stored."""
    return hashlib.sha256(normalise_recovery_code(code).encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(16))
    return "-".join(raw[i : i + 4] for i in range(0, 16, 4))


def _replace_recovery_codes(user: User) -> list[str]:
    RecoveryCode.objects.filter(user=user).delete()
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODE_COUNT)]
    RecoveryCode.objects.bulk_create(RecoveryCode(user=user, digest=recovery_digest(c)) for c in codes)
    return codes


def secret_of(device: TotpDevice) -> str:
    return decrypt(device.secret_enc)


@transaction.atomic
def totp_enrol_start(*, actor: User) -> tuple[TotpDevice, str]:
    """The unconfirmed authenticator being set up, with its base32 secret (a new one if none is pending).
    A confirmed device is never replaced here: 2FA must be disabled first."""
    device = TotpDevice.objects.select_for_update().filter(user=actor).first()
    if device is not None and device.confirmed_at is not None:
        raise field_error("code", "已启用两步验证。")
    if device is not None:
        return device, secret_of(device)
    secret = totp.generate_secret()
    device = TotpDevice.objects.create(user=actor, secret_enc=encrypt(secret))
    audit_record(actor=actor, action="2fa.enrol_start", obj=device)
    return device, secret


def totp_enrol_confirm(*, actor: User, code: str) -> list[str]:
    """Confirm the pending authenticator with a code from it; returns the 10 new recovery codes (shown once).
    A wrong code is audited outside the transaction, so the refusal is kept."""
    with transaction.atomic():
        device = TotpDevice.objects.select_for_update().filter(user=actor, confirmed_at__isnull=True).first()
        if device is None:
            raise field_error("code", "没有待启用的动态口令，请刷新页面重新扫码。")
        step = totp.match_step(secret_of(device), code, last_step=device.last_step)
        if step is not None:
            device.confirmed_at, device.last_step = timezone.now(), step
            device.save(update_fields=["confirmed_at", "last_step"])
            codes = _replace_recovery_codes(actor)
            audit_record(actor=actor, action="2fa.enrol", obj=device)
            return codes
    audit_record(actor=actor, action="2fa.enrol", obj=device, result="failure")
    raise field_error("code", "动态口令不正确，请核对手机时间后输入当前显示的 6 位数字。")


@transaction.atomic
def code_verify(*, user: User, code: str, channel: str = "web") -> str | None:
    """Check a TOTP code or an unused recovery code for ``user``; returns "totp", "recovery" or None.

    A TOTP step is claimed by a conditional update (last_step < step), so two requests racing with the
    same code cannot both succeed; a recovery code is spent the same way (used_at IS NULL)."""
    device = device_of(user)
    kind = None
    if device is not None:
        step = totp.match_step(secret_of(device), code, last_step=device.last_step)
        if step is not None and TotpDevice.objects.filter(pk=device.pk, last_step__lt=step).update(last_step=step):
            kind = "totp"
        elif normalise_recovery_code(code) and not code.strip().isdigit():
            spent = RecoveryCode.objects.filter(user=user, digest=recovery_digest(code), used_at__isnull=True)
            if spent.update(used_at=timezone.now()):
                kind = "recovery"
    if kind == "recovery":
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        audit_record(actor=user, action="2fa.recovery_used", obj=user, detail={"left": left, "channel": channel})
    audit_record(actor=user, action="2fa.verify", obj=user, result="success" if kind else "failure",
                 detail={"method": kind or "", "channel": channel})  # fmt: skip
    return kind


def verify_failure_record(*, user: User, channel: str = "web") -> None:
    """Audit a failed check that never reached ``code_verify`` (an empty code)."""
    audit_record(actor=user, action="2fa.verify", obj=user, result="failure", detail={"method": "", "channel": channel})


@transaction.atomic
def recovery_codes_regenerate(*, actor: User) -> list[str]:
    """New recovery codes; the old ones stop working at once."""
    if device_of(actor) is None:
        raise field_error("code", "尚未启用两步验证。")
    codes = _replace_recovery_codes(actor)
    audit_record(actor=actor, action="2fa.recovery_regenerate", obj=actor)
    return codes


@transaction.atomic
def totp_disable(*, actor: User) -> None:
    """Turn two-factor sign-in off — only for users the rules do not require it of."""
    if required_for(actor):
        raise field_error("code", "您的账号必须使用两步验证，不能停用。")
    TotpDevice.objects.filter(user=actor).delete()
    RecoveryCode.objects.filter(user=actor).delete()
    audit_record(actor=actor, action="2fa.disable", obj=actor)
