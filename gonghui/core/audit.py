"""The one way to write an audit event, and its keyed hash chain (docs/security.md §9, §23).

Services call ``audit_record`` inside their transaction. After the transaction commits, ``audit_seal`` links
the events it recorded into one chain: each event's hash is HMAC-SM3, under the first key of
GONGHUI_AUDIT_KEYS (kept outside the database), over its own canonical fields and the previous hash; the
event keeps the key's id, so the key can rotate. Sealing after commit keeps business transactions free of a
global lock; only sealers take the chain head's row lock.

Only the application seals, and only forwards: a sweep (``audit_seal()`` without ids: the daily checkpoint job,
an export) seals what is left unsealed only if it is newer, by id and by time, than everything sealed so far;
an older row, such as an event inserted and backdated in the database, stays unsealed and ``audit_verify``
reports it. ``audit_verify`` only reads: it walks the chain, checks the signed daily checkpoints
(``audit_checkpoint``) against it, and names the first broken link. Links sealed before the chain had a key
(``key_id`` empty) are plain SM3 and are checked as before; once a keyed link exists, no plain link may follow.
"""

import datetime as dt
import functools
import hmac as std_hmac
import json
from collections.abc import Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from gonghui.core.crypto import parse_key_list, sm3_hex
from gonghui.core.masking import mask_text
from gonghui.core.models import AuditChainHead, AuditCheckpoint, AuditEvent

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

    def seal_this_event() -> None:  # a named function: Django logs a failed robust callback by its name
        audit_seal(event_ids=[event.pk])

    # robust: a seal that fails (a locked database) is logged, not turned into an error for the committed work;
    # the daily sweep seals the event if nothing newer was sealed meanwhile, else verify reports it.
    transaction.on_commit(seal_this_event, robust=True)
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


def atomic_audited(service):
    """One transaction for ``service``; a refusal raised inside it (``audited_refusal``) whose audit event went with
    the rollback is recorded again afterwards, so the refusal is kept although nothing else is."""

    @functools.wraps(service)
    def wrapper(*args, **kwargs):
        try:
            with transaction.atomic():
                return service(*args, **kwargs)
        except PermissionDenied as refusal:
            refusal_recorded(refusal)
            raise

    return wrapper


def refusal_recorded(refusal: PermissionDenied) -> None:
    """Called once the 403 reaches the user, outside any transaction: an audited refusal whose event went
    with a rolled-back transaction is recorded again, as it was."""
    event = getattr(refusal, "audit_event", None)
    if event is None or AuditEvent.objects.filter(pk=event.pk, action=event.action, actor=event.actor_id).exists():
        return
    # recorded anew (now, sealed after the head like any new event), not re-inserted with its old time
    audit_record(actor=event.actor, action=event.action, org=event.org, result=event.result, detail=event.detail)


class UnknownAuditKey(KeyError):
    """A link or checkpoint names an audit key that GONGHUI_AUDIT_KEYS no longer lists."""


@lru_cache(maxsize=8)
def _parse_audit_keys(spec: str) -> tuple[str, dict[str, bytes]]:
    return parse_key_list(spec, setting="GONGHUI_AUDIT_KEYS", size=32)


def audit_keys() -> tuple[str, dict[str, bytes]]:
    """The sealing key's id, and every listed key by id."""
    return _parse_audit_keys(settings.GONGHUI_AUDIT_KEYS)


def _mac(key_id: str, data: bytes) -> str:
    key = audit_keys()[1].get(key_id)
    if key is None:
        raise UnknownAuditKey(key_id)
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize().hex()


def event_digest(event: AuditEvent, *, seq: int, prev_hash: str, key_id: str = "") -> str:
    """HMAC-SM3 (plain SM3 for a link sealed before the chain had a key) over the event's canonical content,
    its chain position and the previous hash."""
    content = {
        "seq": seq, "id": event.pk, "at": event.at.isoformat(), "actor": event.actor_id,
        "actor_name": event.actor_name, "org": event.org_id, "action": event.action,
        "object_type": event.object_type, "object_id": event.object_id, "result": event.result,
        "ip": event.ip, "detail": event.detail,
    }  # fmt: skip
    data = prev_hash.encode() + json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()
    return _mac(key_id, data) if key_id else sm3_hex(data)


def audit_seal(event_ids: list[int] | None = None, batch_size: int = 1000) -> int:
    """Seal events into the chain under the current audit key; returns how many were sealed.

    With ``event_ids`` (the events a committed transaction recorded) exactly those are sealed, in id order.
    Without, a sweep seals the unsealed events newer by id and by time than every event sealed so far, in id
    order; older unsealed rows are left for ``audit_verify`` to report."""
    key_id = audit_keys()[0]
    with transaction.atomic():
        AuditChainHead.objects.get_or_create(pk=1)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
        events = AuditEvent.objects.filter(seq__isnull=True).order_by("id")
        if event_ids is not None:
            events = events.filter(pk__in=event_ids)
        else:
            events = events.filter(pk__gt=head.event_id).filter(Q(at__gte=head.at) if head.at else Q())
        events = list(events[:batch_size])
        for event in events:
            seq = head.seq + 1
            digest = event_digest(event, seq=seq, prev_hash=head.hash, key_id=key_id)
            AuditEvent.objects.filter(pk=event.pk).seal(seq=seq, prev_hash=head.hash, hash=digest, key_id=key_id)
            head.seq, head.hash = seq, digest
            head.event_id, head.at = max(head.event_id, event.pk), max(head.at or event.at, event.at)
        head.save()
    if event_ids is None and len(events) == batch_size:
        return len(events) + audit_seal(batch_size=batch_size)
    return len(events)


def checkpoint_mac(*, seq: int, hash: str, at, key_id: str) -> str:  # noqa: A002 — the field's name
    return _mac(key_id, f"checkpoint:{seq}:{hash}:{at.isoformat()}".encode())


def audit_checkpoint() -> AuditCheckpoint:
    """Sweep, then sign the chain head as it stands now with the current audit key."""
    audit_seal()
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(seq=0, hash=GENESIS)
    key_id, at = audit_keys()[0], timezone.now()
    mac = checkpoint_mac(seq=head.seq, hash=head.hash, at=at, key_id=key_id)
    return AuditCheckpoint.objects.create(seq=head.seq, hash=head.hash, at=at, key_id=key_id, mac=mac)


def checkpoints_from_export(lines: Iterable[str]) -> list[AuditCheckpoint]:
    """The signed checkpoints carried in an audit export (its ``{"checkpoint": {...}}`` lines), unsaved."""
    points = []
    for line in lines:
        point = json.loads(line).get("checkpoint") if line.strip() else None
        if point is not None:
            points.append(AuditCheckpoint(**{**point, "at": dt.datetime.fromisoformat(point["at"])}))
    return points


def audit_checkpoint_daily(*, today) -> int:
    """The daily job (run_daily): one signed checkpoint of the chain head."""
    audit_checkpoint()
    return 1


@dataclass(frozen=True)
class ChainReport:
    checked: int
    broken_seq: int | None
    broken_id: int | None
    reason: str
    out_of_order: tuple[int, ...] = ()  # ids of unsealed events older than the sealed head: never sealed
    pending: int = 0  # unsealed events newer than the head, waiting for their seal
    checkpoints: int = 0

    @property
    def intact(self) -> bool:
        return self.broken_seq is None and not self.out_of_order


def _link_fault(event: AuditEvent, *, prev_hash: str, keyed: bool) -> str:
    """Why the event at its expected position does not link, or "" if it does."""
    if event.prev_hash != prev_hash:
        return "与上一条事件的哈希不相连"
    if keyed and not event.key_id:
        return "链已启用密钥后出现未用密钥封存的事件（已被改写）"
    try:
        digest = event_digest(event, seq=event.seq, prev_hash=prev_hash, key_id=event.key_id)
    except UnknownAuditKey:
        return f"封存密钥 {event.key_id} 不在 GONGHUI_AUDIT_KEYS 中，无法校验"
    return "" if std_hmac.compare_digest(digest, event.hash) else "事件内容与其哈希不符（已被篡改）"


def _signed_checkpoints(points: Iterable[AuditCheckpoint]) -> tuple[dict[int, set[str]], ChainReport | None]:
    """The hashes the checkpoints pin, by seq, or the report of the first checkpoint whose signature fails."""
    pinned: dict[int, set[str]] = {}
    for point in points:
        try:
            mac = checkpoint_mac(seq=point.seq, hash=point.hash, at=point.at, key_id=point.key_id)
        except UnknownAuditKey:
            mac = ""
        if not std_hmac.compare_digest(mac, point.mac):
            return {}, ChainReport(
                0, point.seq, None, f"{point.at:%Y-%m-%d %H:%M} 的检查点签名无效（伪造或密钥已撤下）"
            )
        pinned.setdefault(point.seq, set()).add(point.hash)
    return pinned, None


def audit_verify(batch_size: int = 5000, kept_checkpoints: Iterable[AuditCheckpoint] = ()) -> ChainReport:
    """Walk the whole chain and its checkpoints, reading only; report the first link, content or checkpoint
    that does not match, and the unsealed events older than the sealed head. ``kept_checkpoints`` (read from
    off-site audit exports) are checked like those in the database, which an owner of the database could delete."""
    kept = list(kept_checkpoints)
    pinned, forged = _signed_checkpoints([*AuditCheckpoint.objects.order_by("seq", "at"), *kept])
    if forged is not None:
        return forged
    if pinned.get(0, {GENESIS}) != {GENESIS}:
        return ChainReport(0, 1, None, "签名检查点之后的事件缺失（链已被截断）")
    # Once a link is keyed, or a checkpoint (signed under a key) is passed, every later link must be keyed.
    prev_hash, expected_seq, checked, keyed = GENESIS, 1, 0, 0 in pinned
    while True:
        events = list(AuditEvent.objects.filter(seq__gte=expected_seq).order_by("seq")[:batch_size])
        for event in events:
            if event.seq != expected_seq:
                return ChainReport(checked, expected_seq, None, f"缺少序号为 {expected_seq} 的审计事件（已被删除）")
            fault = _link_fault(event, prev_hash=prev_hash, keyed=keyed)
            if not fault and pinned.get(event.seq, {event.hash}) != {event.hash}:
                fault = "与签名检查点记录的哈希不符（检查点之前的链已被改写）"
            if fault:
                return ChainReport(checked, event.seq, event.pk, fault)
            prev_hash, expected_seq, checked = event.hash, expected_seq + 1, checked + 1
            keyed = keyed or bool(event.key_id) or event.seq in pinned
        if len(events) < batch_size:
            break
    return _tail_report(checked, expected_seq - 1, prev_hash, pinned, len(kept))


def _tail_report(checked: int, last_seq: int, last_hash: str, pinned: dict[int, set[str]], kept: int) -> ChainReport:
    """The chain's end against the head row and the checkpoints, and the events left unsealed."""
    head = AuditChainHead.objects.filter(pk=1).first() or AuditChainHead(seq=0, hash=GENESIS)
    if (head.seq, head.hash) != (last_seq, last_hash):
        return ChainReport(checked, last_seq + 1, None, "链尾事件缺失或链头不符")
    if max(pinned, default=0) > last_seq:
        return ChainReport(checked, last_seq + 1, None, "签名检查点之后的事件缺失（链已被截断）")
    unsealed = AuditEvent.objects.filter(seq__isnull=True)
    older = Q(pk__lt=head.event_id) | Q(at__lt=head.at) if head.at else Q(pk__lt=head.event_id)
    out_of_order = tuple(unsealed.filter(older).order_by("id").values_list("id", flat=True)[:100])
    pending = unsealed.exclude(older).count()
    return ChainReport(checked, None, None, "", out_of_order, pending, AuditCheckpoint.objects.count() + kept)
