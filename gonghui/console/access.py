"""Who may use which console (三员分立, SECURITY.md item 7): the ONE check every console view makes.

Each of the three platform admins reaches only their own console; everyone else, cadres included, gets
403 there, and the refusal is audited. The admins themselves hold no org grants, so the cadre pages
stay closed to them (orgs.access) and they never read members' personal data."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from gonghui.accounts.models import User
from gonghui.core.audit import audit_record

Role = User.PlatformRole
CONSOLE_HOME = {Role.SYSTEM: "console:accounts", Role.SECURITY: "console:grants", Role.AUDIT: "console:audit"}


def require_platform_role(user: User, role: str) -> None:
    """Raise 403 (audited as access.denied) unless ``user`` is an active admin of exactly ``role``."""
    if user.is_authenticated and user.is_active and user.platform_role == role:
        return
    message = f"此页面仅供{Role(role).label}使用。"
    audit_record(actor=user, action="access.denied", result="denied", detail={"reason": message, "console": role})
    raise PermissionDenied(message)


def console_view(role: str) -> Callable:
    """Decorate a console view: sign-in required (302 to login), then the role check (403)."""

    def decorator(view: Callable) -> Callable:
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            require_platform_role(request.user, role)
            return view(request, *args, **kwargs)

        wrapped.console_role = role
        return wrapped

    return decorator
