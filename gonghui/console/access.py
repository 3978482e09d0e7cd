"""Who may use which console (三员分立, docs/security.md §7): the ONE check every console view makes.

Each of the three platform admins reaches only their own console; everyone else, cadres included, gets
403 there, and the refusal is audited. The admins themselves hold no org grants, so the cadre pages
stay closed to them (orgs.access) and they never read members' personal data."""

from collections.abc import Callable
from functools import wraps

from django.contrib.auth.decorators import login_required

from gonghui.accounts.access import require_platform_role
from gonghui.accounts.models import User

Role = User.PlatformRole
CONSOLE_HOME = {Role.SYSTEM: "console:accounts", Role.SECURITY: "console:grants", Role.AUDIT: "console:audit"}


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
