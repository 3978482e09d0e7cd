from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.password_validation import password_validators_help_texts
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.decorators import method_decorator

from gonghui.accounts import policy, services
from gonghui.accounts.forms import LoginForm, PasswordChangeForm
from gonghui.core import registry
from gonghui.core.ratelimit import rate_limit
from gonghui.orgs import access

PLATFORM_HOMES = {"system": "console:accounts", "security": "console:grants", "audit": "console:audit"}


@login_required
def home(request):
    """Cadres land on their part of the tree, workers on their own page, platform admins on their console."""
    if access.grants_of(request.user):
        return redirect("orgs:tree")
    if request.user.person_id or request.user.join_applications.exists():  # a member, or applied online
        return redirect("portal:me")
    if request.user.platform_role in PLATFORM_HOMES:
        return redirect(PLATFORM_HOMES[request.user.platform_role])
    if page := registry.home_page_for(request.user):  # e.g. a merchant's till (benefits)
        return redirect(page)
    return render(request, "accounts/no_grant.html", status=200)


@method_decorator(rate_limit(scope="login", limit=policy.LOGIN_RATE_LIMIT, window_seconds=60), name="dispatch")
class LoginView(auth_views.LoginView):
    """登录: Django's view with the lockout-aware form and a rate limit per client IP."""

    template_name = "accounts/login.html"
    form_class = LoginForm


@login_required
def password_change(request):
    """修改密码: any signed-in user; the only page open to one whose password has expired (等保 mode)."""
    form = PasswordChangeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        old_key = request.session.session_key
        try:
            services.password_change(
                user=request.user,
                old_password=form.cleaned_data["old_password"],
                new_password=form.cleaned_data["new_password1"],
                keep_session_key=old_key,
            )
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            update_session_auth_hash(request, request.user)  # this session stays signed in, with a new key
            services.session_key_renamed(user=request.user, old_key=old_key, new_key=request.session.session_key)
            messages.success(request, "密码已修改，您在其他设备上的登录已全部退出。")
            return redirect("accounts:home")
    current = policy.current_policy()
    context = {
        "form": form,
        "help_texts": [text for text in password_validators_help_texts() if text],
        "expired": policy.password_expired(request.user, current),
        "expires_at": policy.password_expires_at(request.user, current),
    }
    return render(request, "accounts/password_change.html", context)
