"""A worker's account recovery by text message, for the accounts made by online joining (decision 0007): reset a
forgotten password, or sign in with a code instead of a password. Cadre and admin accounts are never served
here (gonghui.joining.services.recoverable_account); every answer is the same whether or not the phone has
an account. Views validate and call services, nothing more."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from gonghui.core.ratelimit import rate_limit, too_many_requests
from gonghui.joining import services
from gonghui.joining.forms import CodeForm, PhoneForm, ResetForm
from gonghui.joining.models import PhoneVerification
from gonghui.joining.policy import joining_policy

SESSION = "joining.recovery.{}"
BACKEND = "gonghui.joining.backends.PhoneOrUsernameBackend"
PAGES = {
    PhoneVerification.Purpose.RESET: ("找回密码", "joining:reset_verify", "joining:reset"),
    PhoneVerification.Purpose.LOGIN: ("短信验证码登录", "joining:sms_login_verify", "joining:sms_login"),
}


def _pending(request, purpose: str) -> PhoneVerification | None:
    token = request.session.get(SESSION.format(purpose))
    return PhoneVerification.objects.filter(token=token, purpose=purpose).first() if token else None


def _phone_step(request, purpose: str, *, fresh: bool = False):
    """Step 1: the phone number; a code is texted if (and only if) it has a worker account. ``fresh``: shown
    in place of step 2 when this session has no code pending."""
    title, next_page, _ = PAGES[purpose]
    form = PhoneForm(None if fresh else request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification = services.recovery_code_send(phone=form.cleaned_data["phone"], purpose=purpose)
        except services.TooManyCodes:
            return too_many_requests(request, retry_after=3600)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session[SESSION.format(purpose)] = verification.token
            return redirect(next_page)
    context = {"form": form, "title": title, "purpose": purpose, "action": reverse(PAGES[purpose][2])}
    return render(request, "joining/recover_phone.html", context, status=400 if form.errors else 200)


def _verify_context(request, verification, title: str, form) -> dict:
    return {"verification": verification, "form": form, "title": title, "policy": joining_policy(),
            "console_hint": settings.GONGHUI_SMS_BACKEND == "console"}  # fmt: skip


@require_http_methods(["GET", "POST"])
@rate_limit(scope="recover-sms-ip", limit=joining_policy().sends_per_ip_per_hour, window_seconds=3600)
def reset(request):
    """找回密码 第一步."""
    return _phone_step(request, PhoneVerification.Purpose.RESET)


@require_http_methods(["GET", "POST"])
def reset_verify(request):
    """第二步: the code and the new password on one page (the code is checked first, once)."""
    verification = _pending(request, PhoneVerification.Purpose.RESET)
    if verification is None:  # the session ended (or the page was bookmarked): start again
        return _phone_step(request, PhoneVerification.Purpose.RESET, fresh=True)
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            if verification.verified_at is None:
                services.phone_code_verify(verification=verification, code=form.cleaned_data["code"])
            services.password_reset_by_phone(verification=verification,
                                             new_password=form.cleaned_data["new_password1"])  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session.pop(SESSION.format(PhoneVerification.Purpose.RESET), None)
            messages.success(request, "密码已重设，请用新密码登录。")
            return redirect("accounts:login")
    context = _verify_context(request, verification, "找回密码", form)
    return render(request, "joining/recover_reset.html", context, status=400 if form.errors else 200)


@require_http_methods(["GET", "POST"])
@rate_limit(scope="recover-sms-ip", limit=joining_policy().sends_per_ip_per_hour, window_seconds=3600)
def sms_login(request):
    """短信验证码登录 第一步."""
    return _phone_step(request, PhoneVerification.Purpose.LOGIN)


@require_http_methods(["GET", "POST"])
def sms_login_verify(request):
    """第二步: the right code signs the worker in."""
    verification = _pending(request, PhoneVerification.Purpose.LOGIN)
    if verification is None:  # the session ended (or the page was bookmarked): start again
        return _phone_step(request, PhoneVerification.Purpose.LOGIN, fresh=True)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.phone_code_verify(verification=verification, code=form.cleaned_data["code"])
            account = services.sign_in_by_phone(verification=verification)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            request.session.pop(SESSION.format(PhoneVerification.Purpose.LOGIN), None)
            login(request, account, backend=BACKEND)
            return redirect("accounts:home")
    context = _verify_context(request, verification, "短信验证码登录", form)
    return render(request, "joining/recover_code.html", context, status=400 if form.errors else 200)
