"""Pages of two-factor sign-in: enrolment (QR code, confirm, recovery codes), verification after the
password, new recovery codes, and turning it off for users who are not required to use it."""

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from gonghui.accounts import totp, two_factor
from gonghui.accounts.models import RecoveryCode
from gonghui.core.qr import qr_svg

TOO_MANY = "动态口令错误次数过多，请重新登录。"


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


def _codes_page(request, codes: list[str], *, title: str):
    return render(request, "accounts/2fa_recovery_codes.html", {"codes": codes, "title": title})


def _wrong_code(request, template: str, context: dict, message: str):
    """A wrong code: count it, and past the limit end the session and ask for the password again."""
    if two_factor.count_failure(request):
        logout(request)
        messages.error(request, TOO_MANY)
        return redirect("accounts:login")
    context["error"] = message
    return render(request, template, context, status=400)


@login_required
def setup(request):
    """GET: the authenticator's state, or a new QR code to scan. POST: confirm the scan with a code."""
    step = two_factor.next_step(request)
    if step == "verify":
        return redirect("accounts:2fa_verify")
    user = request.user
    device = two_factor.device_of(user)
    required = two_factor.required_for(user)
    if device is not None:
        left = RecoveryCode.objects.filter(user=user, used_at__isnull=True).count()
        return render(request, "accounts/2fa_status.html", {"device": device, "required": required, "left": left})
    error = ""
    if request.method == "POST":
        try:
            codes = two_factor.totp_enrol_confirm(actor=user, code=request.POST.get("code", ""))
        except ValidationError as exc:
            error = _error_text(exc)
        else:
            two_factor.mark_verified(request)
            return _codes_page(request, codes, title="两步验证已启用")
    _, secret = two_factor.totp_enrol_start(actor=user)
    uri = totp.provisioning_uri(secret, user.username)
    context = {
        "secret": secret,
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "qr_svg": qr_svg(uri, title="用身份验证器扫描此二维码"),
        "required": required,
        "error": error,
    }
    return render(request, "accounts/2fa_setup.html", context, status=400 if error else 200)


def verify(request):
    """After the password: a code from the authenticator, or one unused recovery code."""
    if not request.user.is_authenticated:
        return redirect("accounts:login")
    step = two_factor.next_step(request)
    if step != "verify":
        return redirect("accounts:2fa_setup" if step == "enrol" else "accounts:home")
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    if not url_has_allowed_host_and_scheme(next_url, {request.get_host()}, require_https=request.is_secure()):
        next_url = ""
    context = {"next": next_url}
    if request.method != "POST":
        return render(request, "accounts/2fa_verify.html", context)
    code = request.POST.get("code", "").strip()
    if not code:
        two_factor.verify_failure_record(user=request.user)
        return _wrong_code(request, "accounts/2fa_verify.html", context, "请输入动态口令或恢复码。")
    kind = two_factor.code_verify(user=request.user, code=code)
    if kind is None:
        return _wrong_code(request, "accounts/2fa_verify.html", context, "动态口令或恢复码不正确，或已被使用。")
    two_factor.mark_verified(request)
    if kind == "recovery":
        left = RecoveryCode.objects.filter(user=request.user, used_at__isnull=True).count()
        messages.warning(request, f"您使用了一个恢复码，还剩 {left} 个。请尽快在“两步验证”页面生成新的恢复码。")
    return redirect(next_url or "accounts:home")


def _status_with_error(request, message: str):
    user = request.user
    context = {
        "device": two_factor.device_of(user),
        "required": two_factor.required_for(user),
        "left": RecoveryCode.objects.filter(user=user, used_at__isnull=True).count(),
    }
    return _wrong_code(request, "accounts/2fa_status.html", context, message)


@login_required
@require_POST
def recovery_regenerate(request):
    """New recovery codes, after a current code proves the authenticator is at hand."""
    if two_factor.next_step(request) is not None or two_factor.device_of(request.user) is None:
        return redirect("accounts:2fa_setup")
    if two_factor.code_verify(user=request.user, code=request.POST.get("code", "")) is None:
        return _status_with_error(request, "动态口令不正确，未生成新的恢复码。")
    codes = two_factor.recovery_codes_regenerate(actor=request.user)
    return _codes_page(request, codes, title="新的恢复码")


@login_required
@require_POST
def disable(request):
    """Turn two-factor sign-in off (refused for the admins and unmasking roles that must use it)."""
    if two_factor.next_step(request) is not None or two_factor.device_of(request.user) is None:
        return redirect("accounts:2fa_setup")
    if two_factor.required_for(request.user):
        messages.error(request, "您的账号必须使用两步验证，不能停用。")
        return redirect("accounts:2fa_setup")
    if two_factor.code_verify(user=request.user, code=request.POST.get("code", "")) is None:
        return _status_with_error(request, "动态口令不正确，两步验证未停用。")
    two_factor.totp_disable(actor=request.user)
    messages.success(request, "两步验证已停用。")
    return redirect("accounts:home")
