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


# 网上舆论 (decision 0032) -----------------------------------------------------------------------------------

PUSH_LIMIT = 200


def _lexicon():
    from gonghui.governance.models import OpinionWord
    from gonghui.governance.opinion import base_lexicon

    extra = list(OpinionWord.objects.values_list("word", "weight"))
    return base_lexicon().with_extra(extra), [word for word, _ in extra]


def _item(*, source: str, ref: str, org: Org, occurred_at: dt.datetime, text: str, lexicon=None):
    """Mask, segment, score and keep one text (once per source and ref); None when already kept or empty."""
    from gonghui.core.masking import mask_text
    from gonghui.governance import opinion
    from gonghui.governance.models import OpinionItem

    masked = mask_text(" ".join(text.split()))[:1000]  # masked before anything else sees it
    if not masked or OpinionItem.objects.filter(source=source, ref=ref).exists():
        return None
    lex, extra = lexicon or _lexicon()
    tokens = opinion.tokenize(masked, extra)
    value = opinion.score(tokens, lex)
    return OpinionItem.objects.create(
        source=source, ref=ref, org=org, occurred_at=occurred_at, text=masked, tokens=" ".join(tokens),
        score=Decimal(str(value)), sentiment=opinion.label(value),
    )  # fmt: skip


def opinion_ingest(*, today: dt.date) -> int:
    """Daily job: the rights requests and approved news comments not yet ingested (idempotent). A request's
    sealed description is decrypted only here, masked at once; its filer (anonymous or not) is not kept."""
    from django.db import transaction

    from gonghui.core import crypto
    from gonghui.governance.models import OpinionItem
    from gonghui.news.models import Comment
    from gonghui.rights.models import RightsRequest

    lexicon = _lexicon()
    done = {s: set(OpinionItem.objects.filter(source=s).values_list("ref", flat=True)) for s in ("request", "comment")}
    count = 0
    requests = RightsRequest.objects.exclude(description_enc="").select_related("org").order_by("pk")
    for r in requests.iterator(chunk_size=500):
        if str(r.pk) in done["request"]:
            continue
        with transaction.atomic():
            text = crypto.decrypt(r.description_enc)
            count += bool(_item(source="request", ref=str(r.pk), org=r.org, occurred_at=r.created_at, text=text,
                                lexicon=lexicon))  # fmt: skip
    comments = Comment.objects.filter(status=Comment.Status.APPROVED).select_related("article__org").order_by("pk")
    for c in comments.iterator(chunk_size=500):
        if str(c.pk) in done["comment"]:
            continue
        with transaction.atomic():
            count += bool(_item(source="comment", ref=str(c.pk), org=c.article.org, occurred_at=c.created_at,
                                text=c.text, lexicon=lexicon))  # fmt: skip
    return count + opinion_spikes(today=today)


@atomic_audited
def opinion_push(*, actor, org: Org, items: list[dict]) -> tuple[int, int]:
    """接口推送: items (id, time, text) for a union the caller may write to; all or nothing. Returns (kept,
    already kept)."""
    from gonghui.governance.models import OpinionItem

    access.require_write(actor, org)
    if not items:
        raise ValidationError("没有要推送的条目。")
    if len(items) > PUSH_LIMIT:
        raise ValidationError(f"一次最多推送 {PUSH_LIMIT} 条。")
    lexicon = _lexicon()
    kept = again = 0
    for n, item in enumerate(items, 1):
        ref, text = str(item.get("id") or "").strip(), str(item.get("text") or "").strip()
        if not ref or len(ref) > 64:
            raise ValidationError(f"第 {n} 条：编号必填，且不超过 64 个字符。")
        if not text:
            raise ValidationError(f"第 {n} 条：内容不能为空。")
        if len(text) > 1000:
            raise ValidationError(f"第 {n} 条：内容不超过 1000 个字。")
        ref = f"{org.pk}:{ref}"
        if OpinionItem.objects.filter(source="api", ref=ref).exists():
            again += 1
            continue
        _item(source="api", ref=ref, org=org, occurred_at=item["occurred_at"], text=text, lexicon=lexicon)
        kept += 1
    audit_record(actor=actor, action="governance.opinion_push", org=org, detail={"kept": kept, "again": again})
    return kept, again


@atomic_audited
def opinion_word_set(*, actor, word: str, weight: Decimal):
    """添加情感词 to the lexicon for everyone (an admin of the top union); weight 0 removes the word."""
    from gonghui.governance.models import OpinionWord

    top = Org.objects.filter(parent=None).order_by("pk").first()
    if top is None:
        raise ValidationError("尚未建立全国总工会。")
    access.require_write(actor, top, manage=True)
    word = (word or "").strip()
    if not word or len(word) > 20 or any(ch.isspace() for ch in word):
        raise field_error("word", "词语必填，不含空格，不超过 20 个字。")
    if weight is None or abs(weight) > 5:
        raise field_error("weight", "权重应在 -5 到 5 之间（0 表示删除该词）。")
    if weight == 0:
        OpinionWord.objects.filter(word=word).delete()
    else:
        OpinionWord.objects.update_or_create(word=word, defaults={"weight": weight})
    audit_record(actor=actor, action="governance.opinion_word_set", org=top, detail={"word": word,
                 "weight": str(weight)})  # fmt: skip


def opinion_spikes(*, today: dt.date) -> int:
    """负面舆情突增: for each union with negative items today, today's count against the 28 days before
    (opinion.spike); a spike is kept once and its union's cadres (or the nearest union above with some) are
    told through the message centre. Returns the spikes found."""
    from django.db import transaction
    from django.db.models import Count
    from django.db.models.functions import TruncDate

    from gonghui.contracts.services import cadres_to_tell
    from gonghui.governance import opinion
    from gonghui.governance.models import OpinionItem, OpinionSpike
    from gonghui.messages.services import notify

    start = today - dt.timedelta(days=opinion.SPIKE_DAYS)
    rows = (OpinionItem.objects.filter(sentiment="negative", occurred_at__date__gte=start,
                                       occurred_at__date__lte=today)
            .annotate(day=TruncDate("occurred_at")).values("org_id", "day").annotate(n=Count("pk")))  # fmt: skip
    counts: dict[int, dict[dt.date, int]] = {}
    for row in rows:
        counts.setdefault(row["org_id"], {})[row["day"]] = row["n"]
    found = 0
    for org_id, days in counts.items():
        n = days.get(today, 0)
        history = [days.get(start + dt.timedelta(days=i), 0) for i in range(opinion.SPIKE_DAYS)]
        result = opinion.spike(history, n)
        if not result.is_spike:
            continue
        with transaction.atomic():
            spike, created = OpinionSpike.objects.get_or_create(
                org_id=org_id, day=today,
                defaults={"count": n, "mean": Decimal(str(result.mean)), "sigma": Decimal(str(result.sigma))},
            )  # fmt: skip
            if not created:
                continue
            found += 1
            org = Org.objects.get(pk=org_id)
            from django.urls import reverse

            link = reverse("governance:opinion") + f"?org={org_id}"
            context = {"org": org.name, "day": today.isoformat(), "count": n, "mean": result.mean}
            for user in cadres_to_tell(org):
                notify(user=user, event="governance.opinion_spike", link=link, context=context)
    return found
