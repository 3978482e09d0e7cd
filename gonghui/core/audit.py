"""The one way to write an audit event. Services call ``audit_record`` inside their transaction."""

from contextvars import ContextVar
from typing import Any

from gonghui.core.masking import mask_text
from gonghui.core.models import AuditEvent

# The client IP of the request being served, set by middleware so services need not pass it around.
current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)


def audit_record(
    *,
    actor,
    action: str,
    obj: Any = None,
    org=None,
    result: str = AuditEvent.Result.SUCCESS,
    detail: dict | None = None,
) -> AuditEvent:
    """Append one event. ``detail`` is masked: an audit row never carries an ID or phone number."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    safe_detail = {k: mask_text(str(v)) if isinstance(v, str) else v for k, v in (detail or {}).items()}
    return AuditEvent.objects.create(
        actor=user,
        actor_name=getattr(user, "username", "") or "",
        org=org,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        result=result,
        ip=current_ip.get(),
        detail=safe_detail,
    )
