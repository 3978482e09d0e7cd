"""Writes of the workforce area (docs/architecture.md rule 1): competitions and their events, entries, judges,
withdrawals, scores and their signing, appeals and certificates; model workers, their honours and yearly care;
selection rounds, nominations and their 两审三公示; innovation studios. Each checks its actor and audits itself."""

import datetime as dt
import hashlib
import secrets
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from gonghui.cases import services as case_services
from gonghui.cases.models import PublicNotice
from gonghui.core import crypto, files
from gonghui.core.audit import acting_user, atomic_audited, audit_record, audited_refusal
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.masking import has_id_or_phone
from gonghui.core.uploads import check_document
from gonghui.finance.models import Entry as LedgerEntry
from gonghui.finance.services import payment_post
from gonghui.members.models import Employer, Membership, Person
from gonghui.members.selectors import current_membership
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.workforce import grading, quotas, scoring, selectors
from gonghui.workforce.cases import (
    AWARDED,
    I_ADOPTED,
    I_ASSESSED,
    I_REWARDED,
    INNOVATION,
    NOMINATION,
    NOTICE1,
    NOTICES,
)
from gonghui.workforce.models import (
    UNIT_TITLES,
    Achievement,
    Appeal,
    CareItem,
    CareKind,
    Certificate,
    Competition,
    Competitor,
    Entry,
    Event,
    ExclusionItem,
    Grade,
    HonourAward,
    Innovation,
    InnovationKind,
    Judge,
    Level,
    ModelWorker,
    Nomination,
    Publicity,
    Recusal,
    Relation,
    RestBatch,
    RestEnrolment,
    Score,
    ScoreChange,
    SelectionRound,
    Stage,
    Studio,
    StudioAlliance,
    StudioEvaluation,
    StudioLevel,
    Title,
    UnitCheck,
    title_level,
)
from gonghui.workforce.policy import workforce_policy

MAX_SCORE = Decimal(100)
EVIDENCE_KINDS = {"pdf", "png", "jpg"}


def _text(value: str, field: str, label: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise field_error(field, f"请填写{label}。")
    if len(value) > limit:
        raise field_error(field, f"{label}不能超过 {limit} 个字。")
    if has_id_or_phone(value):
        raise field_error(field, f"{label}中不能含身份证号码或手机号码。")
    return value


def _decimal(value, field: str, label: str, *, low=Decimal(0), high=MAX_SCORE) -> Decimal:
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        raise field_error(field, f"{label}应为数字。") from None
    if not number.is_finite() or not low <= number <= high:
        raise field_error(field, f"{label}应在 {low} 至 {high} 之间。")
    return number.quantize(Decimal("0.01"))


def _year(year, field: str = "year") -> int:
    this_year = timezone.localdate().year
    if not isinstance(year, int) or not 1950 <= year <= this_year + 1:
        raise field_error(field, f"年度应在 1950 至 {this_year + 1} 之间。")
    return year


def person_in_reach(actor, person_id: int) -> Person:
    """A person with a membership in the actor's scope (the system reaches everyone), or a field error."""
    rows = Person.objects.filter(pk=person_id)
    if actor is not None:
        rows = rows.filter(memberships__in=Membership.objects.in_scope(actor))
    person = rows.first()
    if person is None:
        raise field_error("person_ids", "找不到该会员，或不在您的管理范围内。")
    return person


# ----- competitions -----------------------------------------------------------------------------------------------


@atomic_audited
def competition_create(*, actor, org: Org, name: str, year: int, theory_weight=None, award_shares=None) -> Competition:
    """登记竞赛 at ``org`` (a write role on it) with its weights (theory ≤ 30%) and award shares."""
    access.require_write(actor, org)
    policy = workforce_policy()
    weight = _decimal(policy.theory_weight if theory_weight is None else theory_weight, "theory_weight", "理论权重",
                      high=scoring.MAX_THEORY_WEIGHT)  # fmt: skip
    shares = list(policy.award_shares if award_shares is None else award_shares)
    if len(shares) > 5 or any(not isinstance(s, int) or s < 0 for s in shares) or sum(shares) > 100:
        raise field_error("award_shares", "获奖比例应为不超过 5 个非负整数，合计不超过 100%。")
    competition = Competition.objects.create(org=org, name=_text(name, "name", "竞赛名称", 100), year=_year(year),
                                             theory_weight=weight, award_shares=shares)  # fmt: skip
    audit_record(actor=actor, action="workforce.competition_create", obj=competition, org=org)
    return competition


@atomic_audited
def competition_update(*, actor, competition: Competition, version: int, name: str, year: int, theory_weight,
                       award_shares) -> Competition:  # fmt: skip
    """修改竞赛: name, year, weights and shares; the weights and shares are frozen once certificates are issued."""
    access.require_write(actor, competition.org)
    weight = _decimal(theory_weight, "theory_weight", "理论权重", high=scoring.MAX_THEORY_WEIGHT)
    shares = list(award_shares)
    if len(shares) > 5 or any(not isinstance(s, int) or s < 0 for s in shares) or sum(shares) > 100:
        raise field_error("award_shares", "获奖比例应为不超过 5 个非负整数，合计不超过 100%。")
    certified = Certificate.objects.filter(competitor__entry__event__competition=competition).exists()
    if certified and (weight != competition.theory_weight or shares != list(competition.award_shares)):
        raise field_error("theory_weight", "证书已颁发，权重和获奖比例不能再修改。")
    fields = {"name": _text(name, "name", "竞赛名称", 100), "year": _year(year), "theory_weight": weight,
              "award_shares": shares}  # fmt: skip
    if not Competition.objects.filter(pk=competition.pk, version=version).update(**fields, version=version + 1):
        raise ConflictError("该竞赛已被他人修改，请刷新后重试。")
    competition.refresh_from_db()
    audit_record(actor=actor, action="workforce.competition_update", obj=competition, org=competition.org)
    return competition


@atomic_audited
def event_add(*, actor, competition: Competition, occupation: str, grade: str, held_on: dt.date,
              stage: str = Stage.FINAL, team_size: int = 1) -> Event:  # fmt: skip
    """增加竞赛项目: an occupation at a level; individuals or teams of three."""
    access.require_write(actor, competition.org)
    if grade not in Grade.values:
        raise field_error("grade", "请选择职业技能等级。")
    if stage not in Stage.values:
        raise field_error("stage", "请选择比赛阶段。")
    if team_size not in (1, 3):
        raise field_error("team_size", "个人赛每队 1 人，团体赛每队 3 人。")
    occupation = _text(occupation, "occupation", "职业（工种）", 50)
    event = Event.objects.create(competition=competition, occupation=occupation, grade=grade, stage=stage,
                                 team_size=team_size, held_on=held_on)  # fmt: skip
    audit_record(actor=actor, action="workforce.event_add", obj=event, org=competition.org)
    return event


@atomic_audited
def entry_register(*, actor, event: Event, name: str, unit: str, person_ids: list[int]) -> Entry:
    """报名: one person (individual events) or three (team events), each at most once in the event."""
    access.require_write(actor, event.competition.org)
    if event.ended_at is not None:
        raise ValidationError("比赛已结束，不能再报名。")
    ids = list(dict.fromkeys(person_ids))
    if len(ids) != len(person_ids):
        raise field_error("person_ids", "同一选手不能重复填写。")
    if len(ids) != event.team_size:
        raise field_error("person_ids", f"该项目每队 {event.team_size} 人。")
    people = [person_in_reach(actor, pk) for pk in ids]
    if Competitor.objects.filter(entry__event=event, person__in=people).exists():
        raise field_error("person_ids", "有选手已报名该项目。")
    number = (Entry.objects.filter(event=event).order_by("-number").values_list("number", flat=True).first() or 0) + 1
    entry = Entry.objects.create(event=event, number=number, name=_text(name, "name", "选手或队名", 50),
                                 unit=_text(unit, "unit", "单位", 100))  # fmt: skip
    Competitor.objects.bulk_create([Competitor(entry=entry, person=p) for p in people])
    audit_record(actor=actor, action="workforce.entry_register", obj=entry, org=event.competition.org,
                 detail={"people": len(people)})  # fmt: skip
    return entry


@atomic_audited
def theory_record(*, actor, competitor: Competitor, theory=None, seconds: int | None = None) -> Competitor:
    """登记理论成绩和实操用时 (the exam's and the timekeeper's figures); locked once certificates are issued."""
    event = competitor.entry.event
    access.require_write(actor, event.competition.org)
    if Certificate.objects.filter(competitor__entry__event=event).exists():
        raise ValidationError("证书已颁发，成绩不能再修改。")
    if theory is not None:
        competitor.theory = _decimal(theory, "theory", "理论成绩")
    if seconds is not None:
        if not isinstance(seconds, int) or not 0 < seconds <= 24 * 3600:
            raise field_error("seconds", "实操用时应为 1 至 86400 秒。")
        competitor.seconds = seconds
    competitor.save(update_fields=["theory", "seconds"])
    audit_record(actor=actor, action="workforce.theory_record", obj=competitor, org=event.competition.org)
    return competitor


@atomic_audited
def judge_appoint(*, actor, event: Event, user, name: str, role: str = Judge.Role.JUDGE) -> Judge:
    """聘任裁判或仲裁委员 for an event."""
    access.require_write(actor, event.competition.org)
    if role not in Judge.Role.values:
        raise field_error("role", "请选择裁判或仲裁委员。")
    if user is None or not user.is_active:
        raise field_error("username", "没有这个账号。")
    try:
        with transaction.atomic():
            judge = Judge.objects.create(event=event, user=user, name=_text(name, "name", "姓名", 50), role=role)
    except IntegrityError:
        raise field_error("username", "该账号已是本项目的裁判。") from None
    audit_record(actor=actor, action="workforce.judge_appoint", obj=judge, org=event.competition.org,
                 detail={"role": role})  # fmt: skip
    return judge


def _as_judge(actor, judge: Judge) -> None:
    """Only the judge themself scores, signs and declares (an audited refusal otherwise)."""
    if actor is None:
        return
    if getattr(actor, "pk", None) != judge.user_id:
        raise audited_refusal(actor=actor, message="只有裁判本人可以评分、签字和声明回避。",
                              org=judge.event.competition.org)  # fmt: skip


@atomic_audited
def recusal_declare(*, actor, judge: Judge, entry: Entry, relation: str) -> Recusal:
    """回避声明 by the judge: from now on they never score the entry; scores they gave it (not signed) are void."""
    _as_judge(actor, judge)
    if entry.event_id != judge.event_id:
        raise field_error("entry_id", "该选手不在本项目。")
    if relation not in Relation.values:
        raise field_error("relation", "请选择与选手的关系。")
    scores = Score.objects.filter(judge=judge, competitor__entry=entry)
    if scores.filter(signed=True).exists():
        raise ValidationError("评分已签字，不能再声明回避，请向裁判长报告。")
    recusal, created = Recusal.objects.get_or_create(judge=judge, entry=entry, defaults={"relation": relation})
    voided = scores.delete()[0]
    if created:
        audit_record(actor=actor, action="workforce.recusal_declare", obj=recusal, org=judge.event.competition.org,
                     detail={"relation": relation, "voided": voided})  # fmt: skip
    return recusal


@atomic_audited
def score_set(*, actor, judge: Judge, competitor: Competitor, value, reason: str = "") -> Score:
    """评分: the judge's practical score of a competitor (0-100). Refused for an entry the judge withdrew from;
    once the judge has signed, every change needs a reason and is recorded."""
    _as_judge(actor, judge)
    org = judge.event.competition.org
    if judge.role != Judge.Role.JUDGE:
        raise ValidationError("仲裁委员不评分。")
    if competitor.entry.event_id != judge.event_id:
        raise Http404("选手不存在")
    if Recusal.objects.filter(judge=judge, entry_id=competitor.entry_id).exists():
        raise audited_refusal(actor=actor, message="您已声明回避该选手，不能为其评分。", org=org,
                              detail={"entry": competitor.entry_id})  # fmt: skip
    if Certificate.objects.filter(competitor__entry__event_id=judge.event_id).exists():
        raise ValidationError("证书已颁发，成绩不能再修改。")
    value = _decimal(value, "value", "评分")
    judge = Judge.objects.select_for_update().get(pk=judge.pk)
    score = Score.objects.filter(judge=judge, competitor=competitor).first()
    locked = judge.signed_at is not None
    if locked and not reason.strip():
        raise field_error("reason", "评分已签字锁定，修改须填写理由。", code="reason_required")
    if score is None:
        score = Score.objects.create(judge=judge, competitor=competitor, value=value, signed=locked)
        old = None
    else:
        old = score.value
        score.value = value
        score.save(update_fields=["value", "updated_at"])
    if locked:
        ScoreChange.objects.create(score=score, old=old if old is not None else value, new=value,
                                   reason=_text(reason, "reason", "理由", 200), by=acting_user(actor))  # fmt: skip
        audit_record(actor=actor, action="workforce.score_change", obj=score, org=org,
                     detail={"old": str(old), "new": str(value), "reason": reason.strip()[:200]})  # fmt: skip
    else:
        audit_record(actor=actor, action="workforce.score_set", obj=score, org=org)
    return score


def panel_of(judge: Judge) -> list[Competitor]:
    """The competitors the judge must score: every competitor of the event but those they withdrew from."""
    recused = Recusal.objects.filter(judge=judge).values("entry_id")
    return list(Competitor.objects.filter(entry__event_id=judge.event_id).exclude(entry_id__in=recused)
                .select_related("entry", "person").order_by("entry__number", "pk"))  # fmt: skip


@atomic_audited
def sheet_sign(*, actor, judge: Judge) -> Judge:
    """签字确认: the judge locks their scores; every competitor on their panel must be scored."""
    _as_judge(actor, judge)
    if judge.role != Judge.Role.JUDGE:
        raise ValidationError("仲裁委员不评分。")
    judge = Judge.objects.select_for_update().get(pk=judge.pk)
    if judge.signed_at is not None:
        raise ConflictError("您已签字确认。")
    scored = set(Score.objects.filter(judge=judge).values_list("competitor_id", flat=True))
    missing = [c for c in panel_of(judge) if c.pk not in scored]
    if missing:
        raise ValidationError(f"还有 {len(missing)} 名选手未评分，全部评分后才能签字。")
    judge.signed_at = timezone.now()
    judge.save(update_fields=["signed_at"])
    Score.objects.filter(judge=judge).update(signed=True)
    audit_record(actor=actor, action="workforce.sheet_sign", obj=judge, org=judge.event.competition.org)
    return judge


@atomic_audited
def event_end(*, actor, event: Event, at: dt.datetime | None = None) -> Event:
    """比赛结束: the moment the appeals window (2 hours) opens from."""
    access.require_write(actor, event.competition.org)
    if event.ended_at is not None:
        raise ConflictError("比赛已结束。")
    event.ended_at = at or timezone.now()
    event.save(update_fields=["ended_at"])
    audit_record(actor=actor, action="workforce.event_end", obj=event, org=event.competition.org)
    return event


@atomic_audited
def appeal_lodge(*, actor, entry: Entry, text: str, at: dt.datetime | None = None) -> Appeal:
    """申诉: by a competitor of the entry or recorded by the organiser, within 2 hours after the event."""
    event, org = entry.event, entry.event.competition.org
    own = actor is not None and entry.competitors.filter(person_id=getattr(actor, "person_id", None) or 0).exists()
    if not own:
        access.require_write(actor, org)
    at = at or timezone.now()
    hours = workforce_policy().appeal_hours
    if not scoring.appeal_open(event.ended_at, at, hours):
        raise ValidationError(f"申诉应在比赛结束后 {hours} 小时内提出。" if event.ended_at else "比赛尚未结束。")
    appeal = Appeal.objects.create(entry=entry, text=_text(text, "text", "申诉事由", 1000), lodged_at=at,
                                   lodged_by=acting_user(actor))  # fmt: skip
    audit_record(actor=actor, action="workforce.appeal_lodge", obj=appeal, org=org)
    return appeal


@atomic_audited
def appeal_rule(*, actor, appeal: Appeal, upheld: bool, ruling: str) -> Appeal:
    """仲裁: a member of the event's arbitration panel rules, once; the ruling is final."""
    event = appeal.entry.event
    if actor is not None and not Judge.objects.filter(event=event, user=actor, role=Judge.Role.ARBITER).exists():
        raise audited_refusal(actor=actor, message="只有本项目的仲裁委员可以裁决申诉。", org=event.competition.org)
    ruling = _text(ruling, "ruling", "仲裁结论", 1000)
    status = Appeal.Status.UPHELD if upheld else Appeal.Status.REJECTED
    if not Appeal.objects.filter(pk=appeal.pk, status=Appeal.Status.PENDING).update(
        status=status, ruling=ruling, ruled_by=acting_user(actor), ruled_at=timezone.now()
    ):
        raise ConflictError("该申诉已裁决。")
    appeal.refresh_from_db()
    audit_record(actor=actor, action="workforce.appeal_rule", obj=appeal, org=event.competition.org,
                 detail={"status": status})  # fmt: skip
    return appeal


@atomic_audited
def certificates_issue(*, actor, event: Event) -> int:
    """颁发证书 for the prize tiers and the places that earn a certificate, once the event has ended, every judge
    has signed, every appeal is ruled and no tie remains in the top 3. Returns how many were issued."""
    from gonghui.workforce.selectors import ranking

    access.require_write(actor, event.competition.org)
    if event.ended_at is None:
        raise ValidationError("比赛尚未结束。")
    if event.judges.filter(role=Judge.Role.JUDGE, signed_at__isnull=True).exists():
        raise ValidationError("还有裁判未签字确认评分。")
    if Appeal.objects.filter(entry__event=event, status=Appeal.Status.PENDING).exists():
        raise ValidationError("还有申诉未裁决。")
    if Certificate.objects.filter(competitor__entry__event=event).exists():
        raise ConflictError("证书已颁发。")
    board = ranking(event)
    if board.ties:
        raise ValidationError("前三名不得并列，请先由组委会裁定并列名次。")
    if board.incomplete:
        raise ValidationError("还有选手成绩不完整。")
    made = []
    for row in board.rows:
        if not row.prize and not row.honour:
            continue
        text = "、".join(filter(None, (row.prize, row.honour_label)))
        title = f"{event.competition.name} {event.occupation} 第{row.rank}名 {text}"[:100]
        made += [Certificate(competitor=c, title=title, place=row.rank, key=secrets.token_urlsafe(12))
                 for c in row.entry.competitors.all()]  # fmt: skip
    Certificate.objects.bulk_create(made)
    audit_record(actor=actor, action="workforce.certificates_issue", obj=event, org=event.competition.org,
                 detail={"count": len(made)})  # fmt: skip
    return len(made)


# ----- model workers -----------------------------------------------------------------------------------------------


@atomic_audited
def model_worker_add(*, actor, org: Org, person: Person, employer_name: str, occupation: str = "", health: str = "",
                     in_hardship: bool = False) -> ModelWorker:  # fmt: skip
    """劳模登记: a person once in the registry, kept by ``org``; health notes encrypted."""
    access.require_write(actor, org)
    if ModelWorker.objects.filter(person=person).exists():
        raise field_error("person_id", "该职工已在劳模名册中。")
    worker = ModelWorker.objects.create(
        org=org, person=person, employer_name=_text(employer_name, "employer_name", "工作单位", 100),
        occupation=(occupation or "").strip()[:50], health_enc=crypto.encrypt(health.strip()) if health.strip() else "",
        in_hardship=in_hardship,
    )  # fmt: skip
    audit_record(actor=actor, action="workforce.model_worker_add", obj=worker, org=org)
    return worker


@atomic_audited
def honour_add(*, actor, model_worker: ModelWorker, title: str, year: int, conferred_by: str) -> HonourAward:
    """登记荣誉称号 (its level follows the title), once per title and year."""
    access.require_write(actor, model_worker.org)
    if title not in Title.values:
        raise field_error("title", "请选择荣誉称号。")
    try:
        with transaction.atomic():
            honour = HonourAward.objects.create(model_worker=model_worker, title=title, level=title_level(title),
                                                year=_year(year), conferred_by=_text(conferred_by, "conferred_by",
                                                                                     "授予单位", 100))  # fmt: skip
    except IntegrityError:
        raise field_error("title", "该称号在这一年度已经登记。") from None
    audit_record(actor=actor, action="workforce.honour_add", obj=model_worker, org=model_worker.org,
                 detail={"title": title, "year": year})  # fmt: skip
    return honour


def _link(value: str) -> str:
    """An optional web address of the report or programme: http(s) only, at most 300 characters."""
    value = (value or "").strip()
    if not value:
        return ""
    if len(value) > 300:
        raise field_error("link", "链接不能超过 300 个字符。")
    try:
        URLValidator(schemes=["http", "https"])(value)
    except ValidationError:
        raise field_error("link", "链接应为以 http:// 或 https:// 开头的网址。") from None
    return value


@atomic_audited
def publicity_add(*, actor, model_worker: ModelWorker, level: str, campaign: str, published_on: dt.date,
                  link: str = "") -> Publicity:  # fmt: skip
    """登记先进典型宣传: by a writer of the union that keeps the model worker; the day not in the future, once per
    campaign (or medium) and year."""
    access.require_write(actor, model_worker.org)
    if level not in Level.values:
        raise field_error("level", "请选择宣传层级。")
    campaign = _text(campaign, "campaign", "宣传活动或媒体", 100)
    if not isinstance(published_on, dt.date):
        raise field_error("published_on", "请填写宣传日期。")
    if published_on > timezone.localdate():
        raise field_error("published_on", "宣传日期不能晚于今天。")
    if published_on.year < 1950:
        raise field_error("published_on", "宣传日期不能早于 1950 年。")
    link = _link(link)
    taken = f"{model_worker.person.name}在 {published_on.year} 年的“{campaign}”宣传已经登记。"
    if Publicity.objects.filter(model_worker=model_worker, campaign=campaign, year=published_on.year).exists():
        raise field_error("campaign", taken)
    try:
        with transaction.atomic():
            row = Publicity.objects.create(model_worker=model_worker, level=level, campaign=campaign,
                                           published_on=published_on, year=published_on.year, link=link,
                                           created_by=acting_user(actor))  # fmt: skip
    except IntegrityError:  # the same entry by someone else in the meantime
        raise field_error("campaign", taken) from None
    audit_record(actor=actor, action="workforce.publicity_add", obj=model_worker, org=model_worker.org,
                 detail={"publicity": row.pk, "level": level, "year": row.year})  # fmt: skip
    return row


@atomic_audited
def publicity_remove(*, actor, publicity: Publicity) -> None:
    """删除先进典型宣传 (entered by mistake): by a writer of the union that keeps the model worker."""
    model_worker = publicity.model_worker
    access.require_write(actor, model_worker.org)
    detail = {"publicity": publicity.pk, "level": publicity.level, "year": publicity.year,
              "campaign": publicity.campaign}  # fmt: skip
    publicity.delete()
    audit_record(actor=actor, action="workforce.publicity_remove", obj=model_worker, org=model_worker.org,
                 detail=detail)  # fmt: skip


@atomic_audited
def model_worker_register(*, actor, title: str, year: int, conferred_by: str, **worker) -> ModelWorker:
    """劳模登记 with the first honour, both or neither (the registration page)."""
    model_worker = model_worker_add(actor=actor, **worker)
    honour_add(actor=actor, model_worker=model_worker, title=title, year=year, conferred_by=conferred_by)
    return model_worker


def _care_missing(workers, year: int) -> list[CareItem]:
    have = set(CareItem.objects.filter(model_worker__in=workers, year=year).values_list("model_worker_id", "kind"))
    return [CareItem(model_worker_id=w, year=year, kind=kind) for w in workers.values_list("pk", flat=True)
            for kind in CareKind.values if (w, kind) not in have]  # fmt: skip


@atomic_audited
def care_year_open(*, actor, org: Org, year: int) -> int:
    """关爱计划: the year's to-do (health check, 疗休养, festival visit, subsidy) for every model worker of ``org``'s
    subtree that lacks it. Safe to run twice."""
    access.require_write(actor, org)
    workers = ModelWorker.objects.filter(org__path__startswith=org.path)
    made = CareItem.objects.bulk_create(_care_missing(workers, _year(year)), ignore_conflicts=True)
    audit_record(actor=actor, action="workforce.care_year_open", org=org, detail={"year": year, "count": len(made)})
    return len(made)


def care_daily(*, today: dt.date) -> int:
    """The daily job: every model worker has this year's care to-do (safe to run twice)."""
    made = CareItem.objects.bulk_create(_care_missing(ModelWorker.objects.all(), today.year), ignore_conflicts=True)
    return len(made)


@atomic_audited
def care_done(*, actor, item: CareItem, done_on: dt.date, amount=None) -> CareItem:
    """关爱落实: the day it was done and, for a subsidy or a visit, the amount paid — booked at once in the keeping
    union's ledger on the kind's account (``policy.care_accounts``) against the bank, in this transaction: a day
    in a closed month refuses the whole."""
    access.require_write(actor, item.model_worker.org)
    if done_on > timezone.localdate():
        raise field_error("done_on", "完成日期不能晚于今天。")
    if done_on.year != item.year:
        raise field_error("done_on", f"完成日期应在 {item.year} 年内。")
    amount = None if amount in (None, "") else _decimal(amount, "amount", "金额", high=Decimal(1_000_000))
    if item.kind == CareKind.SUBSIDY and amount is None:
        raise field_error("amount", "请填写专项补助金额。")
    changed = CareItem.objects.filter(pk=item.pk, done_on__isnull=True).update(
        done_on=done_on, amount=amount, done_by=acting_user(actor)
    )
    if not changed:
        raise ConflictError("该项已登记完成。")
    item.refresh_from_db()
    if amount:
        org = item.model_worker.org
        item.entry = payment_post(
            actor=actor, org=org, date=done_on, code=workforce_policy().care_accounts[item.kind],
            amount_fen=int(amount * 100), source=LedgerEntry.Source.CARE, source_key=f"care:{item.pk}",
            memo=f"{item.get_kind_display()} {item.year}（劳模名册 {item.model_worker_id}）",
        )  # fmt: skip
        item.save(update_fields=["entry"])
    audit_record(actor=actor, action="workforce.care_done", obj=item, org=item.model_worker.org,
                 detail={"kind": item.kind})  # fmt: skip
    return item


# ----- selection rounds -----------------------------------------------------------------------------------------


@atomic_audited
def round_create(*, actor, org: Org, name: str, title: str, year: int, notice_days: int = 5,
                 quotas_by_org: dict | None = None, share_rules: list | None = None) -> SelectionRound:  # fmt: skip
    """发布评选: quotas per subtree (a union id in reach → a number) and share rules are data of the round."""
    access.require_write(actor, org)
    if title not in Title.values:
        raise field_error("title", "请选择荣誉称号。")
    least = workforce_policy().min_notice_days
    if not isinstance(notice_days, int) or not least <= notice_days <= 30:
        raise field_error("notice_days", f"公示期应为 {least} 至 30 个工作日。")
    clean_quotas = {}
    for key, number in (quotas_by_org or {}).items():
        sub = Org.objects.filter(pk=int(key), path__startswith=org.path).first()
        if sub is None:
            raise field_error("quotas", "名额只能分配给本单位及下级工会。")
        if not isinstance(number, int) or number < 0:
            raise field_error("quotas", "名额应为非负整数。")
        clean_quotas[str(sub.pk)] = number
    try:
        rules = [quotas.rule_from(rule) for rule in share_rules or []]
    except ValueError as error:
        raise field_error("share_rules", str(error)) from None
    stored = [{"category": r.category, "at_least": r.at_least, "percent": str(r.percent)} for r in rules]
    row = SelectionRound.objects.create(org=org, name=_text(name, "name", "评选名称", 100), title=title,
                                        year=_year(year), notice_days=notice_days, quotas=clean_quotas,
                                        share_rules=stored)  # fmt: skip
    audit_record(actor=actor, action="workforce.round_create", obj=row, org=org)
    return row


@atomic_audited
def nomination_add(*, actor, round: SelectionRound, org: Org, unit: str, categories: list[str], deeds: str,  # noqa: A002
                   person: Person | None = None, employer: Employer | None = None) -> Nomination:  # fmt: skip
    """推荐人选 onto ``org``'s list (a union in the round's subtree); submitted later with the whole list. A unit's
    title (五一劳动奖状) nominates an employer, which answers the exclusion checks before the list goes."""
    access.require_write(actor, org)
    if not org.path.startswith(round.org.path):
        raise field_error("org_id", "推荐工会不在本次评选的范围内。")
    if round.title in UNIT_TITLES and (employer is None or person is not None):
        raise field_error("employer", f"{round.get_title_display()}推荐的是单位，请填写单位的统一社会信用代码或全称。")
    if round.title not in UNIT_TITLES and (person is None or employer is not None):
        raise field_error("person_id", f"{round.get_title_display()}推荐的是个人，请填写推荐人选。")
    if any(c not in quotas.CATEGORIES for c in categories):
        raise field_error("categories", "人员类别无效。")
    if employer is not None and categories:
        raise field_error("categories", "推荐单位不分人员类别。")
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(round=round, org=org, person=person, employer=employer,
                                                   unit=_text(unit, "unit", "工作单位", 100),
                                                   categories=sorted(set(categories)),
                                                   deeds=_text(deeds, "deeds", "主要事迹", 2000))  # fmt: skip
    except IntegrityError:
        raise field_error("person_id" if person else "employer",
                          f"{'该职工' if person else '该单位'}已被推荐参加本次评选。") from None  # fmt: skip
    audit_record(actor=actor, action="workforce.nomination_add", obj=nomination, org=org)
    return nomination


def list_check(round: SelectionRound, org: Org) -> list[str]:  # noqa: A002
    """Why ``org``'s draft list for the round may not be submitted (empty: it may): each quota of a union
    above or at ``org`` and the round's share rules."""
    drafts = list(Nomination.objects.filter(round=round, org=org, case__isnull=True)
                  .select_related("employer").prefetch_related("checks"))  # fmt: skip
    nominees = [frozenset(n.categories) for n in drafts]
    rules = [quotas.rule_from(r) for r in round.share_rules]
    found = quotas.problems(nominees, rules, quota=None)
    found += exclusion_problems(drafts)
    for key, number in round.quotas.items():
        holder = Org.objects.filter(pk=int(key)).first()
        if holder is None or not org.path.startswith(holder.path):
            continue
        already = Nomination.objects.filter(round=round, org__path__startswith=holder.path, case__isnull=False).count()
        found += [f"{holder.name}：{p}" for p in quotas.problems(nominees, [], quota=number, already=already)
                  if p.startswith("超出名额")]  # fmt: skip
    return found


@atomic_audited
def list_submit(*, actor, round: SelectionRound, org: Org) -> int:  # noqa: A002
    """报送名单: the quotas and share rules checked first; each nominee becomes a case at the round's union in its
    grassroots notice (公示, the round's days). Returns how many were submitted."""
    access.require_write(actor, org)
    SelectionRound.objects.select_for_update().get(pk=round.pk)  # one submission at a time per round (quotas)
    if problems := list_check(round, org):
        raise ValidationError(problems)
    drafts = list(Nomination.objects.filter(round=round, org=org, case__isnull=True)
                  .select_related("person", "employer"))  # fmt: skip
    for nomination in drafts:
        case = case_services.case_open(actor=actor, kind=NOMINATION, org=round.org,
                                       subject=f"{round.name}推荐人选")  # fmt: skip
        nomination.case, nomination.status = case, NOTICE1
        nomination.save(update_fields=["case", "status"])
        _publish(nomination, NOTICE1)
    audit_record(actor=actor, action="workforce.list_submit", obj=round, org=org, detail={"count": len(drafts)})
    return len(drafts)


def exclusion_problems(drafts: list[Nomination]) -> list[str]:
    """Why unit nominees of a draft list may not go: an exclusion item not yet answered with evidence, or one
    answered as present (the unit is excluded)."""
    found = []
    for nomination in drafts:
        if nomination.employer_id is None:
            continue
        answered = {c.item: c for c in nomination.checks.all()}
        missing = [label for code, label in ExclusionItem.choices if code not in answered]
        name = nomination.employer.name
        if missing:
            found.append(f"{name}：以下排除情形尚未核查并上传证明材料：{'、'.join(missing)}。")
        if present := [c.get_item_display() for c in answered.values() if c.present]:
            found.append(f"{name}：存在排除情形（{'、'.join(present)}），不能推荐。")
    return found


def _publish(nomination: Nomination, status: str) -> PublicNotice:
    round_ = nomination.round
    return case_services.notice_publish(
        actor=None, case=nomination.case, audience=PublicNotice.Audience.PUBLIC, person_name=nomination.nominee,
        unit=nomination.unit, decision=f"拟推荐为{round_.year}年{round_.get_title_display()}（{NOTICES[status]}）",
        days=round_.notice_days,
    )  # fmt: skip


@atomic_audited
def nomination_advance(*, actor, nomination: Nomination, to: str, note: str = "", version: int) -> Nomination:
    """Moves a nomination's case (the kernel checks the table, the actor, the notice and the objections); entering
    a notice publishes it; the award registers the title with the person in the model worker registry."""
    if nomination.case is None:
        raise ValidationError("名单尚未报送。")
    case = case_services.case_transition(actor=actor, case=nomination.case, to=to, note=note, version=version)
    nomination.refresh_from_db()
    if to in NOTICES:
        _publish(nomination, to)
    if to == AWARDED and nomination.person_id:  # a unit's award is its nomination, now 已授予
        round_ = nomination.round
        worker = ModelWorker.objects.filter(person=nomination.person).first() or ModelWorker.objects.create(
            org=nomination.org, person=nomination.person, employer_name=nomination.unit
        )
        HonourAward.objects.get_or_create(model_worker=worker, title=round_.title, year=round_.year,
                                          defaults={"level": title_level(round_.title),
                                                    "conferred_by": round_.org.name})  # fmt: skip
    audit_record(actor=actor, action="workforce.nomination_advance", obj=nomination, org=case.org,
                 detail={"to": to})  # fmt: skip
    return nomination


# ----- studios -----------------------------------------------------------------------------------------------------


@atomic_audited
def studio_create(*, actor, org: Org, name: str, level: str, leader_name: str, field: str, host_employer: str,
                  named_year: int, members: int = 0, leader: ModelWorker | None = None) -> Studio:  # fmt: skip
    """命名创新工作室."""
    access.require_write(actor, org)
    if level not in StudioLevel.values:
        raise field_error("level", "请选择工作室级别。")
    if not isinstance(members, int) or not 0 <= members <= 1000:
        raise field_error("members", "成员人数应在 0 至 1000 之间。")
    studio = Studio.objects.create(
        org=org, name=_text(name, "name", "名称", 100), level=level, leader=leader,
        leader_name=_text(leader_name, "leader_name", "领衔人", 50), field=_text(field, "field", "领域", 50),
        host_employer=_text(host_employer, "host_employer", "依托单位", 100), members=members,
        named_year=_year(named_year, "named_year"),
    )  # fmt: skip
    audit_record(actor=actor, action="workforce.studio_create", obj=studio, org=org)
    return studio


@atomic_audited
def studio_update(*, actor, studio: Studio, name: str, level: str, leader_name: str, field: str, host_employer: str,
                  named_year: int, members: int, leader: ModelWorker | None = None) -> Studio:  # fmt: skip
    """修改工作室: the same rules as naming it; the naming union stays."""
    access.require_write(actor, studio.org)
    if level not in StudioLevel.values:
        raise field_error("level", "请选择工作室级别。")
    if not isinstance(members, int) or not 0 <= members <= 1000:
        raise field_error("members", "成员人数应在 0 至 1000 之间。")
    studio.name, studio.level, studio.leader, studio.members = _text(name, "name", "名称", 100), level, leader, members
    studio.leader_name = _text(leader_name, "leader_name", "领衔人", 50)
    studio.field = _text(field, "field", "领域", 50)
    studio.host_employer = _text(host_employer, "host_employer", "依托单位", 100)
    studio.named_year = _year(named_year, "named_year")
    studio.save()
    audit_record(actor=actor, action="workforce.studio_update", obj=studio, org=studio.org)
    return studio


@atomic_audited
def achievement_add(*, actor, studio: Studio, kind: str, title: str, year: int, benefit_wan=None) -> Achievement:
    """登记工作室成果."""
    access.require_write(actor, studio.org)
    if kind not in Achievement.Kind.values:
        raise field_error("kind", "请选择成果类别。")
    benefit = None if benefit_wan in (None, "") else _decimal(benefit_wan, "benefit_wan", "经济效益",
                                                               high=Decimal(10**8))  # fmt: skip
    achievement = Achievement.objects.create(studio=studio, kind=kind, title=_text(title, "title", "成果名称", 100),
                                             year=_year(year), benefit_wan=benefit)  # fmt: skip
    audit_record(actor=actor, action="workforce.achievement_add", obj=studio, org=studio.org)
    return achievement


# ----- 五小 innovations and 合理化建议 --------------------------------------------------------------------------------


def _innovation_create(*, actor, org: Org, person: Person, kind: str, title: str, problem: str, proposal: str,
                       unit: str, channel: str) -> Innovation:  # fmt: skip
    if kind not in InnovationKind.values:
        raise field_error("kind", "请选择类别（小发明、小创造、小革新、小设计、小建议或合理化建议）。")
    fields = {"title": _text(title, "title", "名称", 100), "problem": _text(problem, "problem", "现状和问题", 2000),
              "proposal": _text(proposal, "proposal", "建议或方案", 2000),
              "unit": _text(unit, "unit", "单位或部门", 100)}  # fmt: skip
    case = case_services.case_open(actor=actor, kind=INNOVATION, org=org,
                                   subject=f"{InnovationKind(kind).label}：{fields['title']}")  # fmt: skip
    innovation = Innovation.objects.create(org=org, person=person, kind=kind, channel=channel, case=case,
                                           status=case.status, submitted_on=timezone.localdate(), **fields)  # fmt: skip
    audit_record(actor=actor, action="workforce.innovation_submit", obj=innovation, org=org,
                 detail={"kind": kind, "channel": channel})  # fmt: skip
    return innovation


@atomic_audited
def innovation_submit(*, actor, kind: str, title: str, problem: str, proposal: str, unit: str) -> Innovation:
    """职工提交 from the phone: to the union of the worker's membership in force (its review panel decides)."""
    person = Person.objects.filter(pk=getattr(actor, "person_id", None)).first()
    membership = current_membership(person) if person is not None else None
    if membership is None:
        raise ValidationError("您目前没有有效的会籍，不能通过工会提交五小创新或合理化建议。")
    return _innovation_create(actor=actor, org=membership.org, person=person, kind=kind, title=title, problem=problem,
                              proposal=proposal, unit=unit, channel=Innovation.Channel.PHONE)  # fmt: skip


@atomic_audited
def innovation_enter(*, actor, org: Org, person: Person, kind: str, title: str, problem: str, proposal: str,
                     unit: str) -> Innovation:  # fmt: skip
    """干部录入 a worker's idea (handed in on paper) at ``org`` (a write role); the worker is a member of its
    subtree."""
    access.require_write(actor, org)
    if not Membership.objects.filter(person=person, status=Membership.Status.ACTIVE,
                                     org__path__startswith=org.path).exists():  # fmt: skip
        raise field_error("id_number", f"该职工不是{org.name}及其下级工会的在册会员。")
    return _innovation_create(actor=actor, org=org, person=person, kind=kind, title=title, problem=problem,
                              proposal=proposal, unit=unit, channel=Innovation.Channel.CADRE)  # fmt: skip


@atomic_audited
def innovation_advance(*, actor, innovation: Innovation, to: str, version: int, note: str = "",
                       benefit_fen: int | None = None, reward_fen: int | None = None) -> Innovation:  # fmt: skip
    """Moves the case (the kernel checks the table, the actor's role, the version and the reason): adopting records
    the day; 核定效益 needs the yearly benefit in fen (0 for an idea with no money benefit) and how it was assessed;
    发放奖励 needs the reward in fen (more than 0). The worker hears of each step (the kernel's message)."""
    fields: dict = {}
    if to == I_ADOPTED:
        fields["adopted_on"] = timezone.localdate()
    elif to == I_ASSESSED:
        if benefit_fen is None or not isinstance(benefit_fen, int) or benefit_fen < 0:
            raise field_error("benefit", "请填写核定的年经济效益（元，没有经济效益填 0）。")
        fields |= {"benefit_fen": benefit_fen, "benefit_note": _text(note, "note", "核定说明", 200)}
    elif to == I_REWARDED:
        if reward_fen is None or not isinstance(reward_fen, int) or reward_fen <= 0:
            raise field_error("reward", "请填写奖励金额（元，大于 0）。")
        fields |= {"reward_fen": reward_fen, "rewarded_on": timezone.localdate()}
    case = case_services.case_transition(actor=actor, case=innovation.case, to=to, note=note, version=version)
    if fields:
        Innovation.objects.filter(pk=innovation.pk).update(**fields)
    innovation.refresh_from_db()
    audit_record(actor=actor, action="workforce.innovation_advance", obj=innovation, org=case.org,
                 detail={"to": to, **{k: v for k, v in fields.items() if k.endswith("_fen")}})  # fmt: skip
    return innovation


# ----- a unit nominee's exclusion checks -------------------------------------------------------------------------


@atomic_audited
def unit_check_answer(*, actor, nomination: Nomination, item: str, present: bool, note: str, file,
                      file_name: str) -> UnitCheck:  # fmt: skip
    """核查排除情形: the nominating union answers one item for its unit nominee with a note and evidence (a PDF or
    an image, checked by content, stored encrypted); what the platform's records said is kept with the answer.
    Answering again replaces the answer and its file. Only while the list is a draft."""
    access.require_write(actor, nomination.org)
    if nomination.employer_id is None:
        raise ValidationError("只有推荐单位需要核查排除情形。")
    if item not in ExclusionItem.values:
        raise field_error("item", "请选择核查事项。")
    note = _text(note, "note", "核查说明", 300)
    if file is None:
        raise field_error("file", "请上传证明材料（PDF 文件或 PNG、JPEG 图片）。")
    try:
        checked = check_document(file)
    except ValidationError as error:
        raise field_error("file", error.messages[0], code=error.code or "invalid") from None
    if checked.kind not in EVIDENCE_KINDS:
        raise field_error("file", "证明材料请上传 PDF 文件或 PNG、JPEG 图片。")
    locked = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if locked.case_id is not None:
        raise ValidationError("名单已报送，核查结果不能再修改。")
    relative = files.new_relative(Path("workforce") / "checks" / str(nomination.pk), checked.kind)
    digest = hashlib.sha256()
    with files.create(relative) as out:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
            out.write(chunk)
    source = selectors.exclusion_prefill(nomination)[item].source
    old = UnitCheck.objects.filter(nomination=nomination, item=item).first()
    if old is not None:
        transaction.on_commit(lambda path=old.evidence_file: files.remove(path))
    check, _ = UnitCheck.objects.update_or_create(
        nomination=nomination, item=item,
        defaults={"present": present, "source": source[:300], "note": note, "evidence_file": str(relative),
                  "evidence_name": Path(file_name).name[:200], "evidence_sha256": digest.hexdigest(),
                  "answered_by": acting_user(actor)},
    )  # fmt: skip
    audit_record(actor=actor, action="workforce.unit_check", obj=nomination, org=nomination.org,
                 detail={"item": item, "present": present, "sha256": digest.hexdigest()})  # fmt: skip
    return check


# ----- studio alliances and yearly evaluations ---------------------------------------------------------------------


@atomic_audited
def alliance_create(*, actor, org: Org, name: str, field: str, formed_year: int, lead: Studio,
                    members: list[Studio]) -> StudioAlliance:  # fmt: skip
    """组建工作室联盟 at ``org`` (a write role): at least two studios of its subtree, the lead among them."""
    access.require_write(actor, org)
    studios = {s.pk: s for s in members}
    studios[lead.pk] = lead
    if len(studios) < 2:
        raise field_error("studios", "联盟至少由两个工作室组成。")
    outside = [s.name for s in studios.values() if not s.org.path.startswith(org.path)]
    if outside:
        raise field_error("studios", f"以下工作室不在{org.name}及其下级工会命名的范围内：{'、'.join(outside)}。")
    alliance = StudioAlliance.objects.create(org=org, name=_text(name, "name", "联盟名称", 100),
                                             field=_text(field, "field", "领域", 50), lead=lead,
                                             formed_year=_year(formed_year, "formed_year"))  # fmt: skip
    alliance.studios.set(studios.values())
    audit_record(actor=actor, action="workforce.alliance_create", obj=alliance, org=org,
                 detail={"studios": len(studios)})  # fmt: skip
    return alliance


@atomic_audited
def studio_evaluate(*, actor, studio: Studio, year: int, score, evaluator: str, evaluated_on: dt.date
                    ) -> StudioEvaluation:  # fmt: skip
    """年度考核: the score (0-100) and its grade by the policy's thresholds; once per studio and year."""
    access.require_write(actor, studio.org)
    policy = workforce_policy()
    value = _decimal(score, "score", "考核得分")
    if evaluated_on > timezone.localdate():
        raise field_error("evaluated_on", "考核日期不能晚于今天。")
    if evaluated_on.year < _year(year):
        raise field_error("evaluated_on", "考核日期不能早于考核年度。")
    grade = grading.grade_of(value, excellent=policy.studio_excellent, passing=policy.studio_pass)
    evaluator = _text(evaluator, "evaluator", "考核组织", 100)
    try:
        with transaction.atomic():
            row = StudioEvaluation.objects.create(studio=studio, year=year, score=value, grade=grade,
                                                  evaluator=evaluator, evaluated_on=evaluated_on,
                                                  recorded_by=acting_user(actor))  # fmt: skip
    except IntegrityError:
        raise field_error("year", f"该工作室 {year} 年度的考核已经登记。") from None
    audit_record(actor=actor, action="workforce.studio_evaluate", obj=studio, org=studio.org,
                 detail={"year": year, "score": str(value), "grade": grade})  # fmt: skip
    return row


# ----- 疗休养 batches (decision 0038, 2026-11-30) -----------------------------------------------------------------


@atomic_audited
def rest_batch_create(*, actor, org: Org, place: str, starts_on: dt.date, ends_on: dt.date, capacity: int) -> RestBatch:
    """组织疗休养: a batch of ``org`` (a write role) within one calendar year, at least one place."""
    access.require_write(actor, org)
    place = _text(place, "place", "疗休养地点", 100)
    if ends_on < starts_on:
        raise field_error("ends_on", "结束日期不能早于开始日期。")
    if ends_on.year != starts_on.year:
        raise field_error("ends_on", "一个批次的起止日期应在同一年内（疗休养是当年的关爱项目）。")
    _year(starts_on.year, "starts_on")
    if not isinstance(capacity, int) or not 1 <= capacity <= 1000:
        raise field_error("capacity", "名额应在 1 至 1000 之间。")
    batch = RestBatch.objects.create(org=org, place=place, starts_on=starts_on, ends_on=ends_on, capacity=capacity)
    audit_record(actor=actor, action="workforce.rest_batch_create", obj=batch, org=org,
                 detail={"capacity": capacity, "year": batch.year})  # fmt: skip
    return batch


@atomic_audited
def rest_enrol(*, actor, batch: RestBatch, model_worker: ModelWorker) -> RestEnrolment:
    """报名疗休养: a model worker of the batch union's subtree whose care to-do of the batch's year includes a
    疗休养 not yet done. The batch row is locked while the places are counted, so two cadres enrolling at once
    never exceed the capacity."""
    access.require_write(actor, batch.org)
    batch = RestBatch.objects.select_for_update().select_related("org").get(pk=batch.pk)
    if batch.attendance_marked_at is not None or timezone.localdate() > batch.ends_on:
        raise field_error("model_worker", "该批次疗休养已结束，不能再报名。")
    if not model_worker.org.path.startswith(batch.org.path):
        raise field_error("model_worker", f"{model_worker.person.name}不是{batch.org.name}及其下级工会管理的劳模。")
    item = CareItem.objects.filter(model_worker=model_worker, year=batch.year, kind=CareKind.REST).first()
    if item is None:
        raise field_error("model_worker", f"{model_worker.person.name} {batch.year} 年的关爱计划中没有疗休养，"
                                          "请先生成年度关爱计划。")  # fmt: skip
    if item.done_on is not None:
        raise field_error("model_worker", f"{model_worker.person.name} {batch.year} 年的疗休养已经完成。")
    taken = RestEnrolment.objects.filter(care_item=item).select_related("batch").first()
    if taken is not None:
        raise field_error("model_worker", f"{model_worker.person.name}已报名{taken.batch}批次，每年只安排一次疗休养。")
    if batch.enrolments.count() >= batch.capacity:
        raise field_error("model_worker", f"该批次 {batch.capacity} 个名额已满。")
    try:
        with transaction.atomic():
            row = RestEnrolment.objects.create(batch=batch, model_worker=model_worker, care_item=item,
                                               enrolled_by=acting_user(actor))  # fmt: skip
    except IntegrityError:
        raise ConflictError("这位劳模刚刚已被报名，请刷新后查看。") from None
    audit_record(actor=actor, action="workforce.rest_enrol", obj=batch, org=batch.org,
                 detail={"model_worker": model_worker.pk})  # fmt: skip
    return row


@atomic_audited
def rest_attendance(*, actor, batch: RestBatch, attended: set[int]) -> int:
    """登记参加情况, once, from the batch's last day: the enrolments in ``attended`` (their ids) went, the others
    did not. Each one who went has their year's 疗休养 care item done on the batch's last day. Returns how many
    went."""
    access.require_write(actor, batch.org)
    batch = RestBatch.objects.select_for_update().select_related("org").get(pk=batch.pk)
    if batch.attendance_marked_at is not None:
        raise ConflictError("该批次的参加情况已经登记。")
    if timezone.localdate() < batch.ends_on:
        raise field_error("attended", f"疗休养到 {batch.ends_on:%Y-%m-%d} 结束，结束后才能登记参加情况。")
    rows = list(batch.enrolments.select_related("care_item", "model_worker__org"))
    unknown = set(attended) - {r.pk for r in rows}
    if unknown:
        raise field_error("attended", "所选人员不在该批次中。")
    if not rows:
        raise field_error("attended", "该批次没有报名人员。")
    went = 0
    for row in rows:
        row.attended = row.pk in attended
        row.save(update_fields=["attended"])
        if row.attended:
            went += 1
            CareItem.objects.filter(pk=row.care_item_id, done_on__isnull=True).update(
                done_on=batch.ends_on, done_by=acting_user(actor))  # fmt: skip
    RestBatch.objects.filter(pk=batch.pk).update(attendance_marked_at=timezone.now())
    audit_record(actor=actor, action="workforce.rest_attendance", obj=batch, org=batch.org,
                 detail={"enrolled": len(rows), "attended": went})  # fmt: skip
    return went


# ----- a model worker in hardship, flagged to the hardship app ---------------------------------------------------


@atomic_audited
def hardship_flag(*, actor, model_worker: ModelWorker, note: str, version: int) -> ModelWorker:
    """标记生活困难: a cadre writing for the model worker's union records the hardship with a note (encrypted).
    The hardship file itself is the assistance app's (its household, the member's separate consent and the means
    test are asked there); the model worker's page links the person's file in the cadre's scope when there is
    one (``selectors.hardship_file_of``)."""
    access.require_write(actor, model_worker.org)
    note = _text(note, "note", "困难情况说明", 500)
    changed = ModelWorker.objects.filter(pk=model_worker.pk, version=version).update(
        in_hardship=True, hardship_note_enc=crypto.encrypt(note), hardship_flagged_on=timezone.localdate(),
        hardship_flagged_by=acting_user(actor), version=version + 1,
    )  # fmt: skip
    if not changed:
        raise ConflictError("该劳模的信息已被他人修改，请刷新后重试。")
    model_worker.refresh_from_db()
    file = selectors.hardship_file_of(actor, model_worker) if actor is not None else None
    audit_record(actor=actor, action="workforce.hardship_flag", obj=model_worker, org=model_worker.org,
                 detail={"hardship_file": file.pk if file else None})  # fmt: skip
    return model_worker
