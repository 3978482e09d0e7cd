"""The login policy for signed-in page requests (docs/security.md §§2 and 4).

1. Session clock: a session idle for ``idle_timeout_minutes`` or older than ``session_lifetime_hours`` is
   ended (logout, audited by the logout receiver) and the user is sent to the sign-in page with a message.
2. Password expiry (等保 mode), and an account the security admin has reset: the user reaches only the
   password change page, sign-out and the two-factor pages until the password is changed.

Runs after the two-factor middleware, so a user still at the two-factor step does that first; /api/ is
left alone (the API uses bearer tokens, not sessions)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.http import HttpResponseRedirect
from django.urls import reverse

from gonghui.accounts import policy

EXPIRED_MESSAGES = {
    "idle": "您已长时间未操作，为保护信息安全已自动退出，请重新登录。",
    "lifetime": "登录时间已达上限，为保护信息安全已自动退出，请重新登录。",
}
PASSWORD_EXPIRED_MESSAGE = "您的密码已过期，请先修改密码。"  # noqa: S105
RESET_MESSAGE = "您的账号已由安全管理员重置，请先把临时密码改为您自己的新密码。"
# Pages a user with an expired password may still open.
PASSWORD_EXPIRY_OPEN = {"password_change", "logout", "login"}


def _redirect(request, target: str) -> HttpResponseRedirect:
    response = HttpResponseRedirect(target)
    if request.headers.get("HX-Request"):
        response["HX-Redirect"] = target  # an htmx swap would otherwise load the page into a fragment
    return response


class LoginPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def _applies(self, request) -> bool:
        static = "/" + settings.STATIC_URL.lstrip("/")
        user = getattr(request, "user", None)
        return (
            user is not None
            and user.is_authenticated
            and hasattr(request, "session")
            and not request.path_info.startswith(("/api/", static))
        )

    def __call__(self, request):
        if self._applies(request):
            current = policy.current_policy()
            request.login_policy = current
            reason = policy.session_expiry_reason(request.session, current)
            if reason is not None:
                logout(request)
                messages.warning(request, EXPIRED_MESSAGES[reason])
                target = reverse("accounts:login")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return _redirect(request, target)
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        current = getattr(request, "login_policy", None)
        if current is None or not request.user.is_authenticated:
            return None
        match = request.resolver_match
        name = (match.url_name if match else "") or ""
        if name in PASSWORD_EXPIRY_OPEN or name.startswith("2fa_"):
            return None
        if request.user.reset_required:
            message = RESET_MESSAGE
        elif current.dengbao_mode and policy.password_expired(request.user, current):
            message = PASSWORD_EXPIRED_MESSAGE
        else:
            return None
        messages.warning(request, message)
        return _redirect(request, reverse("accounts:password_change"))
