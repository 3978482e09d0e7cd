"""Writes of the governance area: plan targets and their split down the tree (docs/architecture.md rule 1).
The monthly rollup is in ``rollup.py`` (a job, not a user's write)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db.models import F

from gonghui.core import registry
from gonghui.core.audit import atomic_audited, audit_record
from gonghui.core.errors import ConflictError, field_error
from gonghui.governance.models import Target
from gonghui.governance.targets import split_shortfall
from gonghui.orgs import access
from gonghui.orgs.models import Org

MAX_VALUE = Decimal("9999999999999999")


def figure_labels() -> dict[str, str]:
    return {f.key: f.label for f in registry.overview_figures()}


def _check_value(field: str, value: Decimal) -> Decimal:
    if value is None or value <= 0:
        raise field_error(field, "目标值必须大于 0。")
    if value > MAX_VALUE:
        raise field_error(field, "目标值过大。")
    return Decimal(value).quantize(Decimal("0.01"))


@atomic_audited
def target_create(*, actor, org: Org, key: str, due_on: dt.date, value: Decimal, source: str = "") -> Target:
    """A target of the org's whole subtree (an admin of the org sets it)."""
    access.require_write(actor, org, manage=True)
    if key not in figure_labels():
        raise field_error("key", "没有这个指标。")
    value = _check_value("value", value)
    if Target.objects.filter(org=org, key=key, due_on=due_on).exists():
        raise field_error("due_on", "该工会已有同一指标、同一期限的目标。")
    target = Target.objects.create(org=org, key=key, due_on=due_on, value=value, source=source.strip())
    audit_record(actor=actor, action="governance.target_create", obj=target, org=org,
                 detail={"key": key, "value": str(value), "due_on": due_on.isoformat()})  # fmt: skip
    return target


@atomic_audited
def target_split(*, actor, target: Target, shares: dict[int, Decimal | None], version: int) -> list[Target]:
    """分解目标: the children's targets of the same figure and date. ``shares`` maps each child org id to its
    target (None or 0: no target for that child; an existing one is removed with its own split). The children's
    must add up to at least the parent's; otherwise nothing is saved."""
    access.require_write(actor, target.org, manage=True)
    children = {org.pk: org for org in Org.objects.filter(parent=target.org)}
    unknown = set(shares) - set(children)
    if unknown:
        raise field_error("__all__", "只能分解给本级工会的直属下级工会。")
    cleaned = {pk: _check_value(f"org_{pk}", v) for pk, v in shares.items() if v}
    short = split_shortfall(target.value, list(cleaned.values()))
    if short:
        total = sum(cleaned.values(), Decimal(0))
        raise ValidationError(f"各下级目标之和（{total:,.2f}）少于本级目标（{target.value:,.2f}），还差 {short:,.2f}。"
                              "下级目标加起来至少要等于上级目标。")  # fmt: skip
    if Target.objects.filter(pk=target.pk, version=version).update(version=F("version") + 1) != 1:
        raise ConflictError()
    existing = {t.org_id: t for t in Target.objects.filter(parent=target)}
    kept = []
    for pk, org in children.items():
        share = existing.get(pk)
        if pk not in cleaned:
            if share is not None:
                share.delete()
            continue
        if share is None:
            share = Target.objects.filter(org=org, key=target.key, due_on=target.due_on).first()
        if share is None:
            share = Target(org=org, key=target.key, due_on=target.due_on, source=f"由{target.org.name}分解")
        share.parent, share.value = target, cleaned[pk]
        share.version = (share.version or 0) + 1 if share.pk else 1
        share.save()
        kept.append(share)
    audit_record(actor=actor, action="governance.target_split", obj=target, org=target.org,
                 detail={"children": len(kept), "total": str(sum(cleaned.values(), Decimal(0)))})  # fmt: skip
    return kept


@atomic_audited
def risk_weights_set(*, actor, weights: dict[str, Decimal]) -> None:
    """设定风险权重: only an admin whose grant is on a top union (the national federation) tunes the score for
    everyone."""
    from gonghui.governance.models import RiskWeight
    from gonghui.governance.risk import SIGNALS

    top = Org.objects.filter(parent=None).order_by("pk").first()
    if top is None:
        raise ValidationError("尚未建立全国总工会。")
    access.require_write(actor, top, manage=True)
    for key, weight in weights.items():
        if key not in SIGNALS:
            raise field_error(key, "没有这个风险信号。")
        if weight is None or weight < 0 or weight > 1000:
            raise field_error(key, "权重应在 0 到 1000 之间。")
        RiskWeight.objects.update_or_create(key=key, defaults={"weight": weight})
    audit_record(actor=actor, action="governance.risk_weights_set", org=top,
                 detail={k: str(v) for k, v in weights.items()})  # fmt: skip
