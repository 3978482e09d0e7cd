"""The one way to write an audit event, and its SM3 hash chain.

Services call ``audit_record`` inside their transaction. After the transaction commits, ``audit_seal``
links every committed event that is not sealed yet into one chain: each event's hash is SM3 over its
own canonical fields and the previous hash. Sealing after commit keeps business transactions free of
a global lock; only sealers take the chain head's row lock, and a busy sealer is simply skipped
(the next one seals what is left). ``audit_verify`` walks the chain and names the first broken link.
"""

import json
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction

from gonghui.core.crypto import sm3_hex
from gonghui.core.masking import mask_text
from gonghui.core.models import AuditChainHead, AuditEvent

# The client IP of the request being served, set by middleware so services need not pass it around.
current_ip: ContextVar[str | None] = ContextVar("current_ip", default=None)
GENESIS = "0" * 64


def acting_user(actor):
    """The account behind ``actor``, or None for the system (a daily job, an anonymous applicant)."""
    return actor if getattr(actor, "is_authenticated", False) else None


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
    user = acting_user(actor)
    safe_detail = {k: mask_text(str(v)) if isinstance(v, str) else v for k, v in (detail or {}).items()}
    event = AuditEvent.objects.create(
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
    transaction.on_commit(audit_seal)
    return event


def audited_refusal(*, actor, message: str, org=None, detail: dict | None = None) -> PermissionDenied:
    """Record a refusal (access.denied) and return the 403 to raise. The exception remembers its event, so
    that a refusal whose event was rolled back with the service's transaction is recorded again
    (refusal_recorded) by the page and API error handlers."""
    event = audit_record(actor=actor, action="access.denied", org=org, result=AuditEvent.Result.DENIED,
                         detail={"reason": message, **(detail or {})})  # fmt: skip
    refusal = PermissionDenied(message)
    refusal.audit_event = event
    return refusal


def refusal_recorded(refusal: PermissionDenied) -> None:
    """Called once the 403 reaches the user, outside any transaction: an audited refusal whose event went
    with a rolled-back transaction is recorded again, as it was."""
    event = getattr(refusal, "audit_event", None)
    if event is None or AuditEvent.objects.filter(pk=event.pk, action=event.action, actor=event.actor_id).exists():
        return
    event.pk = event.id = None
    event.save(force_insert=True)
    transaction.on_commit(audit_seal)


def event_digest(event: AuditEvent, *, seq: int, prev_hash: str) -> str:
    """SM3 over the event's canonical content, its chain position and the previous hash."""
    content = {
        "seq": seq, "id": event.pk, "at": event.at.isoformat(), "actor": event.actor_id,
        "actor_name": event.actor_name, "org": event.org_id, "action": event.action,
        "object_type": event.object_type, "object_id": event.object_id, "result": event.result,
        "ip": event.ip, "detail": event.detail,
    }  # fmt: skip
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return sm3_hex(prev_hash.encode() + canonical.encode())


def audit_seal(batch_size: int = 1000) -> int:
    """Seal committed, unsealed events into the chain in id order; returns how many were sealed."""
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update(skip_locked=True).filter(pk=1).first()
        if head is None:  # another sealer is at work and will seal these events
            return 0
        events = list(AuditEvent.objects.filter(seq__isnull=True).order_by("id")[:batch_size])
        for event in events:
            seq = head.seq + 1
            digest = event_digest(event, seq=seq, prev_hash=head.hash)
            AuditEvent.objects.filter(pk=event.pk).seal(seq=seq, prev_hash=head.hash, hash=digest)
            head.seq, head.hash = seq, digest
        head.save()
    if len(events) == batch_size:
        return len(events) + audit_seal(batch_size)
    return len(events)


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None
    broken_id: int | None
    reason: str


def audit_verify(batch_size: int = 5000) -> ChainReport:
    """Walk the whole chain; report the first event whose link or content does not match."""
    prev_hash, expected_seq, checked = GENESIS, 1, 0
    while True:
        events = list(AuditEvent.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch_size])
        for event in events:
            if event.seq != expected_seq:
                return ChainReport(checked, expected_seq, None, f"缺少序号为 {expected_seq} 的审计事件（已被删除）")
            if event.prev_hash != prev_hash:
                return ChainReport(checked, event.seq, event.pk, "与上一条事件的哈希不相连")
            if event_digest(event, seq=event.seq, prev_hash=prev_hash) != event.hash:
                return ChainReport(checked, event.seq, event.pk, "事件内容与其哈希不符（已被篡改）")
            prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
        if len(events) < batch_size:
            break
    head = AuditChainHead.objects.filter(pk=1).first()
    if head is not None and (head.seq, head.hash) != (expected_seq - 1, prev_hash):
        return ChainReport(checked, expected_seq, None, "链尾事件缺失或链头不符")
    return ChainReport(checked, None, None, "")
