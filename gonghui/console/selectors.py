"""Reads for the three consoles. None of them touches members' personal data: accounts are listed
without their linked person, grants with org names only, and audit details are masked when written."""

import datetime as dt
import json
from collections.abc import Iterator
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.apps import apps
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate

from gonghui.accounts.models import Grant, SecurityPolicy, User
from gonghui.accounts.policy import current_policy
from gonghui.core import masking, registry
from gonghui.core.audit import ChainReport, audit_verify
from gonghui.core.models import AuditChainHead, AuditCheckpoint, AuditEvent, WorkdayOverride
from gonghui.orgs.models import Org
from gonghui.orgs.selectors import PICKER_RELATED, named

SHANGHAI = ZoneInfo("Asia/Shanghai")
LOGIN_ACTION = "auth.login"
TOP_ROWS = 50


def day_bounds(since: dt.date | None, until: dt.date | None) -> tuple[dt.datetime | None, dt.datetime | None]:
    """Dates in Asia/Shanghai, both inclusive, as the half-open UTC-comparable range [start, end)."""
    start = dt.datetime.combine(since, dt.time.min, SHANGHAI) if since else None
    end = dt.datetime.combine(until + dt.timedelta(days=1), dt.time.min, SHANGHAI) if until else None
    return start, end


def _in_range(events: QuerySet[AuditEvent], start, end) -> QuerySet[AuditEvent]:
    if start is not None:
        events = events.filter(at__gte=start)
    if end is not None:
        events = events.filter(at__lt=end)
    return events


# ── system admin ────────────────────────────────────────────────────────────────────────────────


def accounts_search(*, q: str = "", role: str = "", active: str = "") -> QuerySet[User]:
    """Accounts by username or name, platform role (``none``: not a platform admin) and status."""
    users = User.objects.only(
        "id", "username", "display_name", "platform_role", "is_active", "last_login", "person_id"
    ).annotate(is_worker=Q(person__isnull=False) | Q(phone_login__isnull=False))
    if q.strip():
        users = users.filter(Q(username__icontains=q.strip()) | Q(display_name__contains=q.strip()))
    if role == "none":
        users = users.filter(platform_role="")
    elif role:
        users = users.filter(platform_role=role)
    if active in {"1", "0"}:
        users = users.filter(is_active=active == "1")
    return users.order_by("username")


def account_kind(user: User) -> str:
    """What an account is, as the console lists it: a platform admin's role, 职工 (a member's own account, or an
    applicant's who signed in by phone to join), or 工会工作人员."""
    if user.platform_role:
        return user.get_platform_role_display()
    return "职工" if user.is_worker else "工会工作人员"


def account_shown_name(user: User) -> str:
    """A worker's name is personal data: the console shows it masked (张*); staff names as they are."""
    return masking.mask_name(user.display_name) if user.is_worker else user.display_name


# ── security admin ──────────────────────────────────────────────────────────────────────────────


def grants_search(*, org_q: str = "", username_q: str = "") -> QuerySet[Grant]:
    grants = Grant.objects.select_related("user", "org")
    if org_q.strip():
        grants = grants.filter(org__name__contains=org_q.strip())
    if username_q.strip():
        grants = grants.filter(user__username__icontains=username_q.strip())
    return grants.order_by("org__path", "user__username")


def org_choices(q: str, limit: int = 20) -> QuerySet[Org]:
    """Orgs to grant a role on, by name or pinyin (org names are public, no member data)."""
    if not q.strip():
        return Org.objects.none()
    return named(Org.objects.all(), q).select_related(*PICKER_RELATED).order_by("path")[:limit]


def policy_current() -> SecurityPolicy:
    """The policy row in force (created with the defaults on first use)."""
    return current_policy()


# ── audit admin ─────────────────────────────────────────────────────────────────────────────────


def audit_search(
    *,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    actor: str = "",
    action: str = "",
    result: str = "",
    org: str = "",
    object_type: str = "",
    object_id: str = "",
) -> QuerySet[AuditEvent]:
    """Events newest first. ``action`` ending in "." matches a family ("grant." → grant.set, grant.revoke)."""
    events = _in_range(AuditEvent.objects.select_related("org"), start, end)
    if actor.strip():
        events = events.filter(actor_name=actor.strip())
    if action.strip():
        action = action.strip()
        events = events.filter(action__startswith=action) if action.endswith(".") else events.filter(action=action)
    if result:
        events = events.filter(result=result)
    if org.strip():
        events = events.filter(org__name__contains=org.strip())
    if object_type.strip():
        events = events.filter(object_type=object_type.strip())
    if object_id.strip():
        events = events.filter(object_id=object_id.strip())
    return events.order_by("-at", "-id")


# The fields of audit details, in Chinese (a field not listed here shows as it is written).
DETAIL_LABELS = {
    "again": "再次申请", "amount": "金额", "card": "会员证号", "category": "类别", "changes": "修改内容",
    "channel": "渠道",
    "console": "管理台", "count": "数量", "day": "日期", "days": "天数", "deadline": "期限", "document": "材料",
    "failures": "失败次数", "fields": "字段", "from": "原状态", "from_org": "原工会", "given_by": "同意方式",
    "good_reason": "正当理由", "initiated_by": "发起人", "is_workday": "是否工作日", "keep": "保留", "kind": "事项类型",
    "kept_id_index": "保留身份证索引", "left": "剩余", "membership": "会籍", "method": "方式", "minutes": "分钟",
    "month": "月份", "moved": "移动数量", "name": "名称", "note": "说明", "period": "期间", "rate": "比例",
    "reason": "原因", "region": "地区", "resume_from": "续做起点", "role": "角色", "rows": "行数", "rule": "规则",
    "sessions_ended": "结束的会话数", "side": "办理方", "status": "状态", "target": "目标", "text": "内容",
    "text_version": "文本版本", "to": "新状态", "to_org": "新工会", "unmask": "可查看完整信息",
    "unmasked": "含完整个人信息", "username": "账号", "year": "年度", "since": "起始", "until": "截止",
    "via": "途径", "authenticator_revoked": "作废动态口令验证器", "recovery_codes_revoked": "作废恢复码数",
}  # fmt: skip


# Coded values of details shown by their Chinese names (the roles of grants and accounts).
DETAIL_VALUES = {**dict(Grant.Role.choices), **{k: v for k, v in User.PlatformRole.choices if k}}


def _readable(value) -> str:
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, dict):
        return "；".join(f"{DETAIL_LABELS.get(k, k)}：{_readable(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return " → ".join(_readable(v) for v in value) if len(value) == 2 else "、".join(map(_readable, value))
    if value in (None, ""):
        return "—"
    return DETAIL_VALUES.get(value, value) if isinstance(value, str) else str(value)


def detail_fields(detail: dict) -> list[tuple[str, str]]:
    """An event's details as (Chinese field name, readable value), not JSON."""
    return [(DETAIL_LABELS.get(key, key), _readable(value)) for key, value in sorted((detail or {}).items())]


def audit_events_described(events: list[AuditEvent]) -> list[AuditEvent]:
    """A page of events ready for the console: the action in Chinese (the registry's catalogue), the object by name
    (a union's name, an account's name — a worker's masked — or the kind of record and its number: the audit
    admin reads no member's personal data), the details as readable fields. One query per kind of named object."""
    names: dict[tuple[str, str], str] = {}
    ids = {kind: {e.object_id for e in events if e.object_type == kind} for kind in ("orgs.org", "accounts.user")}
    for org in Org.objects.filter(pk__in=ids["orgs.org"]).only("id", "name"):
        names["orgs.org", str(org.pk)] = org.name
    accounts = User.objects.filter(pk__in=ids["accounts.user"]).annotate(
        is_worker=Q(person__isnull=False) | Q(phone_login__isnull=False)
    )
    for user in accounts.only("id", "username", "display_name", "platform_role", "person_id"):
        shown = account_shown_name(user)
        label = f"{account_kind(user)} {user.username}"
        names["accounts.user", str(user.pk)] = f"{label}（{shown}）" if shown else label
    for event in events:
        event.action_label = registry.audit_action_label(event.action)
        event.object_label = names.get((event.object_type, event.object_id)) or _record_label(event)
        event.detail_fields = detail_fields(event.detail)
    return events


def _record_label(event: AuditEvent) -> str:
    if not event.object_type:
        return ""
    try:
        kind = apps.get_model(event.object_type)._meta.verbose_name
    except (LookupError, ValueError):
        kind = event.object_type
    return f"{kind} #{event.object_id}"


@dataclass(frozen=True)
class AuditAnalysis:
    total: int
    by_action: list[dict]
    failures_by_actor: list[dict]
    failures_by_ip: list[dict]
    logins_by_day: list[dict]


def audit_analysis(*, start: dt.datetime, end: dt.datetime) -> AuditAnalysis:
    """Grouped counts over one indexed time range: each table is a single aggregate query."""
    events = _in_range(AuditEvent.objects.order_by(), start, end)
    bad = Q(result__in=[AuditEvent.Result.FAILURE, AuditEvent.Result.DENIED])
    counts = {
        "failures": Count("id", filter=Q(result=AuditEvent.Result.FAILURE)),
        "denials": Count("id", filter=Q(result=AuditEvent.Result.DENIED)),
        "total": Count("id"),
    }
    by_action = list(events.values("action", "result").annotate(n=Count("id")).order_by("-n", "action", "result"))
    labels = dict(AuditEvent.Result.choices)
    for row in by_action:
        row["result_label"] = labels.get(row["result"], row["result"])
    by_actor = list(events.filter(bad).values("actor_name").annotate(**counts).order_by("-total", "actor_name"))
    by_ip = list(events.filter(bad).values("ip").annotate(**counts).order_by("-total", "ip"))
    logins = list(
        events.filter(action=LOGIN_ACTION)
        .annotate(day=TruncDate("at", tzinfo=SHANGHAI))
        .values("day")
        .annotate(
            success=Count("id", filter=Q(result=AuditEvent.Result.SUCCESS)),
            failure=Count("id", filter=~Q(result=AuditEvent.Result.SUCCESS)),
        )
        .order_by("day")
    )
    return AuditAnalysis(
        total=sum(row["n"] for row in by_action),
        by_action=by_action,
        failures_by_actor=by_actor[:TOP_ROWS],
        failures_by_ip=by_ip[:TOP_ROWS],
        logins_by_day=logins,
    )


@dataclass(frozen=True)
class ChainStatus:
    report: ChainReport
    unsealed: int
    head_seq: int


def chain_status() -> ChainStatus:
    """The keyed chain and its checkpoints verified end to end, plus how many events are not sealed yet."""
    head = AuditChainHead.objects.filter(pk=1).first()
    return ChainStatus(
        report=audit_verify(),
        unsealed=AuditEvent.objects.filter(seq__isnull=True).count(),
        head_seq=head.seq if head else 0,
    )


EXPORT_FIELDS = ("id", "seq", "at", "actor", "actor_name", "org", "action", "object_type", "object_id",
                 "result", "ip", "detail", "prev_hash", "hash", "key_id")  # fmt: skip


def export_row(event: AuditEvent) -> dict:
    """Every field of the event, in the form core.audit.event_digest hashes, so a copy can be re-verified."""
    return {
        "id": event.pk, "seq": event.seq, "at": event.at.isoformat(), "actor": event.actor_id,
        "actor_name": event.actor_name, "org": event.org_id, "action": event.action,
        "object_type": event.object_type, "object_id": event.object_id, "result": event.result,
        "ip": event.ip, "detail": event.detail, "prev_hash": event.prev_hash, "hash": event.hash,
        "key_id": event.key_id,
    }  # fmt: skip


def checkpoint_row(point: AuditCheckpoint) -> dict:
    """A signed checkpoint, as one line of its own: {"checkpoint": {seq, hash, at, key_id, mac}}."""
    return {"checkpoint": {"seq": point.seq, "hash": point.hash, "at": point.at.isoformat(),
                           "key_id": point.key_id, "mac": point.mac}}  # fmt: skip


def export_count(*, start: dt.datetime | None, end: dt.datetime | None) -> int:
    return _in_range(AuditEvent.objects.order_by(), start, end).count()


def export_lines(*, start: dt.datetime | None, end: dt.datetime | None, chunk_size: int = 2000) -> Iterator[str]:
    """JSON Lines in chain order, streamed in chunks (bounded memory however long the range), then the signed
    checkpoints issued in the range."""
    events = _in_range(AuditEvent.objects.order_by("id"), start, end)
    for event in events.iterator(chunk_size=chunk_size):
        yield json.dumps(export_row(event), ensure_ascii=False, sort_keys=True) + "\n"
    for point in _in_range(AuditCheckpoint.objects.order_by("at"), start, end):
        yield json.dumps(checkpoint_row(point), ensure_ascii=False, sort_keys=True) + "\n"


def workday_overrides() -> QuerySet[WorkdayOverride]:
    """节假日调整, the latest day first."""
    return WorkdayOverride.objects.order_by("-day")
