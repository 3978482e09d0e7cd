"""Who may act as a platform admin (三员分立, docs/security.md): the one check the three consoles make in
their views and the accounts and console services make again themselves (docs/decisions/0010)."""

from gonghui.accounts.models import User
from gonghui.core.audit import audited_refusal


def require_platform_role(user: User, role: str) -> None:
    """Raise 403 (audited as access.denied) unless ``user`` is an active admin of exactly ``role``."""
    if user.is_authenticated and user.is_active and user.platform_role == role:
        return
    message = f"此页面仅供{User.PlatformRole(role).label}使用。"
    raise audited_refusal(actor=user, message=message, detail={"console": role})


def require_platform_actor(actor: User | None, role: str) -> None:
    """A service's own check: ``actor`` is the platform admin of ``role`` (``None``: the platform itself,
    e.g. a management command)."""
    if actor is not None:
        require_platform_role(actor, role)
