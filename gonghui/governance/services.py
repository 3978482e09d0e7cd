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
from gonghui.core.sheet_import import SheetCheck, SheetSpec, check_sheet, checked_for_import
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
    from gonghui.governance.risk import weight_defaults

    top = Org.objects.filter(parent=None).order_by("pk").first()
    if top is None:
        raise ValidationError("尚未建立全国总工会。")
    access.require_write(actor, top, manage=True)
    for key, weight in weights.items():
        if key not in weight_defaults():
            raise field_error(key, "没有这个风险信号。")
        if key.startswith("threshold_"):
            if weight is None or weight <= 0 or weight > 100000:
                raise field_error(key, "预警阈值应大于 0，且不超过 100000。")
        elif weight is None or weight < 0 or weight > 1000:
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


# 统计年报 (decision 0041) ------------------------------------------------------------------------------------

FIRST_YEAR = 2000


def _store(folder: str, suffix: str, content: bytes) -> str:
    from gonghui.core import files

    relative = files.new_relative(folder, suffix)
    with files.create(relative) as out:
        out.write(content)
    return relative


@atomic_audited
def _year_report_check(actor, org: Org, year: int, today: dt.date):
    from gonghui.governance.models import YearReport

    access.require_write(actor, org)
    if not isinstance(year, int) or year < FIRST_YEAR or year > today.year:
        raise field_error("year", f"年度应在 {FIRST_YEAR} 年到 {today.year} 年之间。")
    existing = YearReport.objects.select_for_update().filter(org=org, year=year).first()
    if existing is not None and year < today.year:
        raise ValidationError(f"{year}年度已经结束，该年报已于 {existing.as_of:%Y-%m-%d} 定稿，不能重新生成。",
                              code="closed_year")  # fmt: skip
    return existing


def year_report_generate(*, actor, org: Org, year: int, today: dt.date | None = None):
    """生成统计年报 at once (the demo, the tests): the report of ``org``'s subtree for ``year``, kept with its xlsx
    and PDF (encrypted). A year not yet over may be generated again (the latest replaces the earlier); a closed
    year's report is final. Cadres ask for it through ``year_report_request`` (a long job)."""
    from django.db import transaction
    from django.utils import timezone

    from gonghui.governance import yearly

    today = today or timezone.localdate()
    with transaction.atomic():
        _year_report_check(actor, org, year, today)
        return _year_report_keep(actor, org, year, today, yearly.compute(org, year, today=today))


def _year_report_keep(actor, org: Org, year: int, today: dt.date, values: dict):
    """Keep the computed values as the report of (org, year) with its files (in the caller's transaction)."""
    from django.db import transaction
    from django.utils import timezone

    from gonghui.core import files
    from gonghui.governance import yearly
    from gonghui.governance.models import YearReport

    existing = YearReport.objects.select_for_update().filter(org=org, year=year).first()
    folder = f"governance/year_reports/{org.pk}"
    made = [_store(folder, "xlsx", yearly.xlsx_bytes(values))]
    try:
        made.append(_store(folder, "pdf", yearly.pdf_bytes(values)))
        fields = {"as_of": today, "values": values, "xlsx_file": made[0], "pdf_file": made[1],
                  "created_by": actor if getattr(actor, "pk", None) else None,
                  "created_at": timezone.now()}  # fmt: skip
        if existing is None:
            report = YearReport.objects.create(org=org, year=year, **fields)
        else:
            old = [existing.xlsx_file, existing.pdf_file]
            for name, value in fields.items():
                setattr(existing, name, value)
            existing.version += 1
            existing.save()
            report = existing
            transaction.on_commit(lambda: [files.remove(path) for path in old])
        audit_record(actor=actor, action="governance.year_report_generate", obj=report, org=org,
                     detail={"year": year, "version": report.version})  # fmt: skip
    except BaseException:  # nothing saved: the files made for it go too
        for path in made:
            files.remove(path)
        raise
    return report


def year_report_request(*, actor, org: Org, year: int, today: dt.date | None = None):
    """申请生成统计年报 (decision 0044): the checks at once (role, year, a closed year's report is final), then a long
    job (core.jobs) computes the sections and keeps the report; the page shows its progress. One running job per
    union and year: asking again while it runs opens the running one."""
    from django.db import transaction
    from django.utils import timezone

    from gonghui.core import jobs
    from gonghui.governance.models import YearReportJob
    from gonghui.governance.tasks import year_report_task

    today = today or timezone.localdate()
    with transaction.atomic():
        _year_report_check(actor, org, year, today)
        running = (
            YearReportJob.objects.select_for_update()
            .filter(org=org, year=year, status=YearReportJob.Status.RUNNING)
            .first()
        )
        if running is not None:
            return running
        job = YearReportJob.objects.create(
            org=org, year=year, as_of=today, requested_by=actor if getattr(actor, "pk", None) else None
        )
        jobs.enqueue_job(job, year_report_task)
    return job


def year_report_run(*, job_id: int):
    """The task body: claim the job, compute the sections not yet done (each kept, the lease renewed after each),
    then keep the report. A closed year's report made meanwhile by another job fails this one with the reason."""
    from django.db import transaction
    from django.utils import timezone

    from gonghui.core import jobs
    from gonghui.governance import yearly
    from gonghui.governance.models import YearReport, YearReportJob

    job = YearReportJob.objects.select_related("org", "requested_by").get(pk=job_id)
    lease = jobs.claim(job, YearReportJob.Status.RUNNING)
    if lease is None:
        return job
    with lease:
        sections = list(job.values.get("sections", []))
        for index in range(len(sections), YearReportJob.STEPS):
            section = yearly.compute_section(job.org, job.year, index)
            with transaction.atomic():
                lease.beat()
                sections.append(section)
                YearReportJob.objects.filter(pk=job.pk).update(values={"sections": sections}, steps_done=index + 1)
        with transaction.atomic():
            lease.beat()
            existing = YearReport.objects.select_for_update().filter(org=job.org, year=job.year).first()
            if existing is not None and job.year < job.as_of.year:
                YearReportJob.objects.filter(pk=job.pk).update(
                    status=YearReportJob.Status.FAILED, finished_at=timezone.now(), report=existing,
                    error=f"{job.year}年度的年报已经定稿，不能重新生成。")  # fmt: skip
                return job
            values = yearly.assemble(job.org, job.year, job.as_of, sections)
            report = _year_report_keep(job.requested_by, job.org, job.year, job.as_of, values)
            YearReportJob.objects.filter(pk=job.pk).update(status=YearReportJob.Status.DONE, report=report,
                                                           finished_at=timezone.now())  # fmt: skip
    job.refresh_from_db()
    return job


# 劳动关系风险预警 (decision 0041) ------------------------------------------------------------------------------

REGIONAL_TYPES = ("province", "city", "county", "township")


def _employer_values(today: dt.date) -> dict[int, dict[str, Decimal]]:
    """Each employer's signals: rights requests of the last 12 months (group and overdue ones too), open
    wage-arrears cases, union funds and dues owed."""
    from gonghui.dues.selectors import arrears_by_employer as dues_arrears
    from gonghui.finance.selectors import arrears_yuan_by_employer
    from gonghui.rights.selectors import signals_by_employer_under, wage_arrears_cases_by_employer

    values: dict[int, dict[str, Decimal]] = {}

    def put(employer_id, key, value):
        if employer_id and value:
            values.setdefault(int(employer_id), {})[key] = Decimal(value)

    for top in Org.objects.filter(parent=None):
        for signal in signals_by_employer_under(top, since=today - dt.timedelta(days=365)):
            if signal.key.isdigit():
                put(signal.key, "requests", signal.requests)
                put(signal.key, "group_requests", signal.group_requests)
                put(signal.key, "overdue", signal.overdue)
    for employer_id, n in wage_arrears_cases_by_employer().items():
        put(employer_id, "wage_cases", n)
    for employer_id, owed in arrears_yuan_by_employer().items():
        put(employer_id, "funds_arrears", owed)
    for employer_id, owed in dues_arrears().items():
        put(employer_id, "dues_arrears", owed)
    return values


def responsible_union(employer) -> Org | None:
    """The union an employer's alert goes to: its own union; else the regional union of its region (the nearest
    level that has one); else the national federation."""
    own = (Org.objects.filter(employer=employer).exclude(status=Org.Status.REVOKED)
           .order_by("depth", "pk").first())  # fmt: skip
    if own is not None:
        return own
    code = employer.region_id or ""
    for cut in (len(code), 6, 4, 2):
        if 0 < cut <= len(code):
            found = (Org.objects.filter(region_id=code[:cut], org_type__in=REGIONAL_TYPES)
                     .exclude(status=Org.Status.REVOKED).order_by("depth", "pk").first())  # fmt: skip
            if found is not None:
                return found
    return Org.objects.filter(parent=None).order_by("pk").first()


def _region_values(today: dt.date) -> dict[int, tuple[dict[str, Decimal], int]]:
    """Each regional union's rollup values of this month (its whole subtree) and its members."""
    from gonghui.governance.models import FigureMonth
    from gonghui.governance.risk import SIGNALS
    from gonghui.governance.targets import month_of

    rows = (FigureMonth.objects.filter(month=month_of(today), key__in=[*SIGNALS, "members"],
                                       org__org_type__in=REGIONAL_TYPES)
            .values_list("org_id", "key", "value"))  # fmt: skip
    found: dict[int, dict[str, Decimal]] = {}
    for org_id, key, value in rows:
        found.setdefault(org_id, {})[key] = value
    return {pk: (v, int(v.get("members", 0))) for pk, v in found.items()}


def _raise(*, subject: str, key: str, name: str, org: Org, risk, threshold: Decimal, today: dt.date,
           employer=None) -> bool:  # fmt: skip
    """One alert as a case, unless one is open for the subject or the last one closed had a score as high."""
    from django.db import IntegrityError, transaction
    from django.urls import reverse

    from gonghui.cases.services import case_open
    from gonghui.contracts.services import cadres_to_tell
    from gonghui.governance.cases import RISK_ALERT
    from gonghui.governance.models import RiskAlert
    from gonghui.governance.risk import reasons_text
    from gonghui.messages.services import notify

    if RiskAlert.objects.filter(subject_key=key, closed_at__isnull=True).exists():
        return False
    last = RiskAlert.objects.filter(subject_key=key).order_by("-closed_at").first()
    if last is not None and last.score >= risk.score:
        return False  # closed with a note at this level already: raised again only if the risk grows
    reasons = reasons_text(risk)
    try:
        with transaction.atomic():
            case = case_open(actor=None, kind=RISK_ALERT, org=org, subject=f"劳动关系风险预警：{name}"[:200],
                             note=f"风险分 {risk.score}（阈值 {threshold}）：{reasons}"[:500])  # fmt: skip
            RiskAlert.objects.create(
                subject=subject, subject_key=key, employer=employer, name=name[:200], org=org, score=risk.score,
                threshold=threshold, reasons=[[r.label, str(r.rate), str(r.points)] for r in risk.reasons],
                case=case, status=case.status, raised_on=today,
            )  # fmt: skip
            link = reverse("cases:detail", args=[case.pk])
            context = {"name": name, "score": str(risk.score), "reasons": reasons}
            for user in cadres_to_tell(org):
                notify(user=user, event="governance.risk_alert", link=link, context=context)
    except IntegrityError:  # raised meanwhile by another run
        return False
    return True


def _employer_scores_keep(scored: dict, today: dt.date) -> None:
    """Every employer's score above 0, kept at its responsible union for the overview (replacing the last run's)."""
    from django.db import transaction

    from gonghui.governance.models import EmployerScore
    from gonghui.governance.risk import reasons_text
    from gonghui.members.models import Employer

    rows = []
    for employer in Employer.objects.filter(pk__in=[pk for pk, r in scored.items() if r.score > 0]).order_by("pk"):
        org = responsible_union(employer)
        if org is not None:
            risk = scored[employer.pk]
            rows.append(EmployerScore(employer=employer, org=org, score=risk.score, reasons=reasons_text(risk),
                                      computed_on=today))  # fmt: skip
    with transaction.atomic():
        EmployerScore.objects.all().delete()
        EmployerScore.objects.bulk_create(rows, batch_size=2000)


def risk_alerts_raise(*, today: dt.date) -> int:
    """Daily job (after the rollup): every employer and regional union whose score reaches the threshold gets one
    alert as a case at its responsible union, with the reasons. Returns the alerts raised."""
    from gonghui.governance.risk import employer_score, score
    from gonghui.governance.selectors import risk_weights
    from gonghui.members.models import Employer

    weights = risk_weights()
    raised = 0
    limit = weights["threshold_employer"]
    scored = {pk: employer_score(values, weights) for pk, values in _employer_values(today).items()}
    _employer_scores_keep(scored, today)
    over = {pk: risk for pk, risk in scored.items() if risk.score >= limit}
    for employer in Employer.objects.filter(pk__in=list(over)).order_by("pk"):
        org = responsible_union(employer)
        if org is not None:
            raised += _raise(subject="employer", key=f"employer:{employer.pk}", name=employer.name, org=org,
                             risk=over[employer.pk], threshold=limit, today=today, employer=employer)  # fmt: skip
    limit = weights["threshold_region"]
    regions = _region_values(today)
    over = {pk: risk for pk, (values, members) in regions.items()
            if (risk := score(values, members, weights)).score >= limit}  # fmt: skip
    for org in Org.objects.filter(pk__in=list(over)).order_by("path"):
        raised += _raise(subject="region", key=f"region:{org.pk}", name=org.name, org=org, risk=over[org.pk],
                         threshold=limit, today=today)  # fmt: skip
    return raised


# 网上舆论：从 xlsx 导入 (decision 0041) --------------------------------------------------------------------------

OPINION_IMPORT_HEADER = ("编号", "发生时间", "内容")


def _opinion_time(value) -> dt.datetime:
    from django.utils import timezone

    from gonghui.core.spreadsheets import cell_text, parse_date

    if isinstance(value, dt.datetime):
        moment = value
    else:
        text = cell_text(value).strip().replace("/", "-")
        noon = dt.time(12)  # a date alone: noon
        moment = dt.datetime.fromisoformat(text) if ":" in text else dt.datetime.combine(parse_date(value), noon)
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    if moment > timezone.now() + dt.timedelta(minutes=5):
        raise ValueError("future")
    return moment


def _opinion_sheet() -> SheetSpec:
    """The import's sheet (编号 | 发生时间 | 内容) on the one checked-import mechanism (core.sheet_import); its row
    check remembers the 编号 already read, so a repeat within one file is an error."""
    from gonghui.governance.policy import governance_policy

    seen: set[str] = set()

    def check_row(values: dict[str, str]) -> dict:
        ref, text = values["编号"].strip(), " ".join(values["内容"].split())
        problems = []
        if not ref or len(ref) > 64:
            problems.append("编号必填，且不超过 64 个字符")
        elif ref in seen:
            problems.append("编号与前面的行重复")
        seen.add(ref)
        try:
            moment = _opinion_time(values["发生时间"])
        except (ValueError, ValidationError):
            problems.append("发生时间无法识别或晚于现在（格式如 2026-05-01 09:30）")
        if not text:
            problems.append("内容不能为空")
        elif len(text) > 1000:
            problems.append("内容不超过 1000 个字")
        if problems:
            raise ValidationError("；".join(problems) + "。")
        return {"id": ref, "occurred_at": moment, "text": text}

    return SheetSpec(header=OPINION_IMPORT_HEADER, required=OPINION_IMPORT_HEADER, check_row=check_row,
                     max_rows=governance_policy().opinion_import_max_rows, noun="条", what="条目")  # fmt: skip


def opinion_import_check(upload) -> SheetCheck:
    """Read and check an uploaded sheet of opinion items (.xlsx or .csv, the first sheet): nothing is written."""
    return check_sheet(upload, _opinion_sheet())


@atomic_audited
def opinion_import(*, actor, org: Org, upload) -> tuple[int, int]:
    """导入 a checked sheet of items for ``org`` (a write role): all rows or, if any is wrong, none. Each text is
    masked before it is analysed or kept; an item already imported for the union (same 编号) is skipped.
    Returns (kept, already kept)."""
    from gonghui.governance.models import OpinionItem

    access.require_write(actor, org)
    check = checked_for_import(upload, _opinion_sheet())
    lexicon = _lexicon()
    kept = again = 0
    for item in check.items:
        ref = f"{org.pk}:{item['id']}"
        if OpinionItem.objects.filter(source="import", ref=ref).exists():
            again += 1
            continue
        kept += bool(_item(source="import", ref=ref, org=org, occurred_at=item["occurred_at"], text=item["text"],
                           lexicon=lexicon))  # fmt: skip
    audit_record(actor=actor, action="governance.opinion_import", org=org, detail={"kept": kept, "again": again})
    return kept, again


def opinion_items_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention: delete opinion items that happened before ``cutoff`` (the spikes found stay)."""
    from gonghui.core.batches import in_batches
    from gonghui.governance.models import OpinionItem

    def work(ids: list[int]) -> int:
        return OpinionItem.objects.filter(pk__in=ids).delete()[0]

    return in_batches(OpinionItem.objects.filter(occurred_at__lt=cutoff), work, batch_size)
