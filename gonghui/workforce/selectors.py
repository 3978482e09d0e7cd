"""Reads of the workforce area, limited to the user's scope (``in_scope``): competitions, events and their
ranking, a judge's sheet, model workers and their care, rounds and nominations, studios; the overview figures
for the user's scope and (``*_under``) for one union's subtree."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from gonghui.assistance.selectors import files_visible_to
from gonghui.members.selectors import member_search
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.workforce import scoring
from gonghui.workforce.cases import ADOPTED_STATUSES
from gonghui.workforce.models import (
    PLAN_YEARS,
    Appeal,
    CareItem,
    Competition,
    Competitor,
    Entry,
    Event,
    ExclusionItem,
    Innovation,
    Judge,
    Level,
    ModelWorker,
    Nomination,
    Publicity,
    Recusal,
    RestBatch,
    RestEnrolment,
    Score,
    SelectionRound,
    Studio,
    StudioAlliance,
    StudioEvaluation,
    StudioLevel,
    UnitCheck,
)
from gonghui.workforce.policy import workforce_policy


def competitions_visible_to(user, *, year: int | None = None, q: str = "") -> QuerySet[Competition]:
    rows = Competition.objects.in_scope(user).select_related("org").annotate(n_events=Count("events"))
    if year:
        rows = rows.filter(year=year)
    if q:
        rows = rows.filter(name__contains=q)
    return rows.order_by("-year", "-id")


def events_of(competition: Competition) -> QuerySet[Event]:
    return competition.events.annotate(n_entries=Count("entries")).order_by("held_on", "pk")


@dataclass
class Row:
    entry: Entry
    result: scoring.Result
    rank: int | None
    members: list = field(default_factory=list)  # (competitor, practical, total)
    prize: str = ""
    honour: str = ""

    @property
    def honour_label(self) -> str:
        return {"technician": "全国技术能手候选", "grade": "职业技能等级证书"}.get(self.honour, "")


@dataclass
class Board:
    rows: list[Row]
    ties: list
    incomplete: int
    judges: int


def ranking(event: Event) -> Board:
    """The event's results from the scores: each competitor's practical (trimmed mean of their panel, judges who
    withdrew left out), total, the entry's result (a team's is the sum), ranks, prize tiers and honours."""
    competition = event.competition
    policy = workforce_policy()
    judges = list(event.judges.filter(role=Judge.Role.JUDGE).values_list("pk", flat=True))
    recused = defaultdict(set)
    for judge_id, entry_id in Recusal.objects.filter(judge__event=event).values_list("judge_id", "entry_id"):
        recused[entry_id].add(judge_id)
    given = {(j, c): v for j, c, v in Score.objects.filter(judge__event=event).values_list("judge_id", "competitor_id",
                                                                                         "value")}  # fmt: skip
    entries = list(event.entries.prefetch_related("competitors__person").order_by("number"))
    results, members = [], {}
    for entry in entries:
        mine = []
        for competitor in entry.competitors.all():
            panel = [given.get((j, competitor.pk)) for j in judges if j not in recused[entry.pk]]
            practical = scoring.practical(panel)
            total = scoring.total(competitor.theory, practical, competition.theory_weight)
            mine.append((competitor, practical, total))
        members[entry.pk] = mine
        parts = [scoring.Result(c.pk, t, p, c.seconds) for c, p, t in mine]
        results.append(scoring.team(entry.pk, parts))  # an individual is a team of one
    ranked = scoring.rank(results)
    complete = sum(1 for r in ranked if r.rank is not None)
    sizes = scoring.tier_sizes(complete, competition.award_shares)
    by_pk = {e.pk: e for e in entries}
    rows = []
    for item in ranked:
        tier = scoring.tier_of(item.rank, sizes)
        rows.append(Row(by_pk[item.result.key], item.result, item.rank, members[item.result.key],
                        prize=scoring.TIER_NAMES[tier] if tier is not None else "",
                        honour=scoring.honour_of(item.rank, top=policy.technician_top,
                                                 certificate_until=policy.certificate_until)))  # fmt: skip
    return Board(rows, scoring.top_ties(ranked), len(ranked) - complete, len(judges))


def judgings_of(user) -> QuerySet[Judge]:
    """The events the user judges or arbitrates (their own appointments: no grant needed)."""
    return (Judge.objects.filter(user=user).select_related("event__competition")
            .order_by("-event__held_on", "pk"))  # fmt: skip


def own_judge(user, pk: int) -> Judge:
    """The user's own appointment ``pk`` (404 for anyone else's)."""
    judge = judgings_of(user).filter(pk=pk).first()
    if judge is None:
        raise Http404("裁判不存在")
    return judge


@dataclass
class SheetLine:
    competitor: Competitor
    score: Score | None


def sheet(judge: Judge) -> list[SheetLine]:
    """The judge's score sheet: each competitor on their panel with the score given so far."""
    from gonghui.workforce.services import panel_of

    scores = {s.competitor_id: s for s in Score.objects.filter(judge=judge)}
    return [SheetLine(c, scores.get(c.pk)) for c in panel_of(judge)]


def withdrawn_entries(judge: Judge) -> QuerySet[Entry]:
    return Entry.objects.filter(recusals__judge=judge).order_by("number")


def appeals_of(event: Event) -> QuerySet[Appeal]:
    return Appeal.objects.filter(entry__event=event).select_related("entry").order_by("lodged_at")


def is_arbiter(user, event: Event) -> bool:
    return Judge.objects.filter(event=event, user=user, role=Judge.Role.ARBITER).exists()


def model_workers_visible_to(user, *, q: str = "", hardship: bool = False,
                             publicised: bool = False) -> QuerySet[ModelWorker]:  # fmt: skip
    """The model workers in the user's scope; ``publicised``: only those the overview's 先进典型宣传（全国） counts."""
    rows = ModelWorker.objects.in_scope(user).select_related("org", "person").prefetch_related("honours")
    if q:
        rows = rows.filter(person__name__contains=q)
    if hardship:
        rows = rows.filter(in_hardship=True)
    if publicised:
        rows = rows.filter(pk__in=_publicised_nationally(Publicity.objects.all()).values("model_worker_id"))
    return rows.order_by("-created_at", "-id")


def care_visible_to(user, *, year: int, kind: str = "", pending: bool = False) -> QuerySet[CareItem]:
    rows = CareItem.objects.in_scope(user).filter(year=year).select_related("model_worker__person",
                                                                          "model_worker__org")  # fmt: skip
    if kind:
        rows = rows.filter(kind=kind)
    if pending:
        rows = rows.filter(done_on__isnull=True)
    return rows.order_by("done_on", "model_worker__person__name", "kind", "pk")


def rounds_visible_to(user) -> QuerySet[SelectionRound]:
    return SelectionRound.objects.in_scope(user).select_related("org").order_by("-year", "-id")


def nominations_of(user, round_: SelectionRound) -> QuerySet[Nomination]:
    """The round's nominations the user sees: those of unions in their scope, and all of them for the round's
    own organisers (who review them)."""
    rows = Nomination.objects.filter(round=round_).select_related("org", "person", "case")
    if access.grant_covering(user, round_.org) is None:
        rows = rows.filter(pk__in=Nomination.objects.in_scope(user).values("pk"))
    return rows.order_by("org__path", "pk")


def studios_visible_to(user, *, level: str = "", q: str = "") -> QuerySet[Studio]:
    rows = Studio.objects.in_scope(user).select_related("org").annotate(n_achievements=Count("achievements"))
    if level:
        rows = rows.filter(level=level)
    if q:
        rows = rows.filter(name__contains=q)
    return rows.order_by("level", "-named_year", "-id")


# ----- overview figures: the user's scope, and one union's subtree ----------------------------------------------


def model_worker_person_ids() -> QuerySet:
    """The people in the registry: the group 劳模 other apps limit an audience to (``WorkforceConfig``)."""
    return ModelWorker.objects.values("person_id")


def model_workers_count(user) -> int:
    return ModelWorker.objects.in_scope(user).count()


def model_workers_count_under(org) -> int:
    return ModelWorker.objects.filter(org__path__startswith=org.path).count()


def studios_count(user) -> int:
    return Studio.objects.in_scope(user).count()


def studios_count_under(org) -> int:
    return Studio.objects.filter(org__path__startswith=org.path).count()


def national_studios_count(user) -> int:
    return Studio.objects.in_scope(user).filter(level=StudioLevel.NATIONAL_DEMO).count()


def national_studios_count_under(org) -> int:
    return Studio.objects.filter(org__path__startswith=org.path, level=StudioLevel.NATIONAL_DEMO).count()


def _publicised_nationally(rows: QuerySet[Publicity]) -> QuerySet[Publicity]:
    """The national publicity entries of the plan period (the index on level and year)."""
    first, last = PLAN_YEARS
    return rows.filter(level=Level.NATIONAL, year__gte=first, year__lte=last)


def publicised_count(user) -> int:
    """先进典型宣传（全国）: the model workers in the user's scope publicised at national level in the plan period,
    each once however often."""
    return _publicised_nationally(Publicity.objects.in_scope(user)).aggregate(n=Count("model_worker", distinct=True))[
        "n"
    ]


def publicised_count_under(org) -> int:
    rows = _publicised_nationally(Publicity.objects.filter(model_worker__org__path__startswith=org.path))
    return rows.aggregate(n=Count("model_worker", distinct=True))["n"]


def publicised_per_org() -> dict[int, int]:
    """Each union's own share: a person is a model worker once (kept by one union), so the shares add up."""
    rows = _publicised_nationally(Publicity.objects.all())
    return dict(rows.values_list("model_worker__org_id").annotate(n=Count("model_worker", distinct=True)))


def studios_by_level(user) -> list[dict]:
    """Studios per level in the user's scope (the plan's targets count them)."""
    counts = dict(Studio.objects.in_scope(user).values_list("level").annotate(n=Count("id")))
    return [{"level": level, "label": label, "count": counts.get(level, 0)} for level, label in StudioLevel.choices]


def benefit_total(studio: Studio) -> Decimal:
    return sum((a.benefit_wan or Decimal(0) for a in studio.achievements.all()), Decimal(0))


# ----- 五小 innovations and 合理化建议 --------------------------------------------------------------------------------


def innovations_visible_to(user, *, status: str = "", kind: str = "", year: int | None = None,
                           q: str = "") -> QuerySet[Innovation]:  # fmt: skip
    """The innovations of the unions in the user's scope; ``year`` is the year submitted."""
    rows = Innovation.objects.in_scope(user).select_related("org", "person", "case")
    if status:
        rows = rows.filter(status=status)
    if kind:
        rows = rows.filter(kind=kind)
    if year:
        rows = rows.filter(submitted_on__year=year)
    if q:
        rows = rows.filter(title__contains=q)
    return rows.order_by("-submitted_on", "-id")


def innovation_for_read(user, pk: int) -> Innovation:
    access.require_cadre(user)
    return Innovation.objects.get_for_read(user, pk)


def own_innovations(user) -> QuerySet[Innovation]:
    """The worker's own ideas (theirs as the proposer, whoever typed them in)."""
    if not getattr(user, "person_id", None):
        return Innovation.objects.none()
    return Innovation.objects.filter(person_id=user.person_id).select_related("org", "case").order_by("-id")


def own_innovation(user, pk: int) -> Innovation:
    innovation = own_innovations(user).filter(pk=pk).first()
    if innovation is None:
        raise Http404("该建议不存在")
    return innovation


def _adopted_this_year():
    return Innovation.objects.filter(adopted_on__year=timezone.localdate().year, status__in=ADOPTED_STATUSES)


def innovations_adopted_count(user) -> int:
    """本年采纳的五小创新和合理化建议 in the user's scope."""
    return _adopted_this_year().filter(pk__in=Innovation.objects.in_scope(user).values("pk")).count()


def innovations_adopted_count_under(org) -> int:
    return _adopted_this_year().filter(org__path__startswith=org.path).count()


def innovations_adopted_per_org() -> dict[int, int]:
    return dict(_adopted_this_year().values_list("org_id").annotate(n=Count("id")))


def _yuan(fen) -> Decimal:
    return (Decimal(fen or 0) / 100).quantize(Decimal("0.01"))


def innovations_benefit(user) -> Decimal:
    """The yearly benefit (元) assessed for the ideas adopted this year in the user's scope."""
    rows = _adopted_this_year().filter(pk__in=Innovation.objects.in_scope(user).values("pk"))
    return _yuan(rows.aggregate(n=Sum("benefit_fen"))["n"])


def innovations_benefit_under(org) -> Decimal:
    return _yuan(_adopted_this_year().filter(org__path__startswith=org.path).aggregate(n=Sum("benefit_fen"))["n"])


def innovations_benefit_per_org() -> dict[int, Decimal]:
    rows = _adopted_this_year().filter(benefit_fen__isnull=False).values_list("org_id").annotate(n=Sum("benefit_fen"))
    return {org_id: _yuan(fen) for org_id, fen in rows}


# ----- a unit nominee's exclusion checks -------------------------------------------------------------------------


@dataclass(frozen=True)
class Prefill:
    """What the platform's records say about one exclusion item: ``present`` True/False when they settle it,
    None when they do not (the union answers from its own evidence); ``source`` names the record."""

    present: bool | None
    source: str


def unit_union(employer) -> Org | None:
    """The employer's own union in the tree, if it has one (active first)."""
    return Org.objects.filter(employer=employer).order_by("status", "pk").first()


def exclusion_prefill(nomination: Nomination, today=None) -> dict[str, Prefill]:
    """Each exclusion item as the records have it: the unit's union (orgs), its congress term in office
    (democracy) and collective contract in force (contracts), wage-arrears requests and legal cases against it
    within the policy's years (rights). Social insurance and accidents are not on the platform."""
    from gonghui.contracts.selectors import in_force_for
    from gonghui.democracy.selectors import term_in_office
    from gonghui.rights.selectors import wage_arrears_since

    today = today or timezone.localdate()
    years = workforce_policy().exclusion_years
    since = (today.replace(day=28) if (today.month, today.day) == (2, 29) else today).replace(year=today.year - years)
    employer = nomination.employer
    found: dict[str, Prefill] = {
        ExclusionItem.SOCIAL_INSURANCE: Prefill(None, "平台没有社会保险缴费记录，请附社保经办机构的缴费证明。"),
        ExclusionItem.ACCIDENT: Prefill(None, "平台没有安全生产事故记录，请附应急管理部门的证明。"),
    }
    requests, legal = wage_arrears_since(employer, since)
    if requests or legal:
        found[ExclusionItem.WAGE_ARREARS] = Prefill(
            True, f"职工诉求：{since:%Y-%m-%d} 以来有 {requests} 件拖欠工资诉求、{legal} 件追索劳动报酬的案件。"
        )
    else:
        found[ExclusionItem.WAGE_ARREARS] = Prefill(
            None, f"职工诉求：{since:%Y-%m-%d} 以来没有针对该单位的拖欠工资诉求或案件（平台外的情况请附人社部门证明）。"
        )
    union = unit_union(employer)
    if union is None:
        found[ExclusionItem.NO_UNION] = Prefill(True, "组织库：该单位没有登记的工会组织。")
        found[ExclusionItem.NO_DEMOCRACY] = Prefill(None, "该单位没有登记的工会，查不到职代会和集体合同。")
        return found
    found[ExclusionItem.NO_UNION] = Prefill(False, f"组织库：{union.name}（{union.get_status_display()}）。")
    term, contract = term_in_office(union, today), in_force_for(union)
    parts = [f"职代会：{term.congress.name}第{term.number}届（至 {term.ends_on:%Y-%m-%d}）" if term else
             "职代会：没有在任期内的届次",
             f"集体合同：{contract.title}（{contract.get_status_display()}，至 {contract.expires_on:%Y-%m-%d}）"
             if contract else "集体合同：没有生效的合同"]  # fmt: skip
    found[ExclusionItem.NO_DEMOCRACY] = Prefill(False if term and contract else None, "；".join(parts) + "。")
    return found


@dataclass
class CheckRow:
    item: str
    label: str
    prefill: Prefill
    answer: UnitCheck | None


def unit_checks(nomination: Nomination) -> list[CheckRow]:
    """The exclusion items of a unit nominee: what the records say and what the union answered."""
    prefill = exclusion_prefill(nomination)
    answers = {c.item: c for c in nomination.checks.all()}
    return [CheckRow(code, label, prefill[code], answers.get(code)) for code, label in ExclusionItem.choices]


def nomination_for_read(user, pk: int) -> Nomination:
    """A nomination of a union in the user's scope, or one of a round the user organises."""
    access.require_cadre(user)
    row = (Nomination.objects.filter(pk=pk).select_related("round__org", "org", "person", "employer", "case")
           .first())  # fmt: skip
    if row is None or (access.grant_covering(user, row.org) is None
                       and access.grant_covering(user, row.round.org) is None):  # fmt: skip
        raise Http404("推荐不存在")
    return row


def quota_union(org: Org, name: str) -> Org:
    """The one union called ``name`` in ``org``'s subtree (a round's quota line), or a field error."""
    from django.core.exceptions import ValidationError

    found = list(Org.objects.filter(name=name.strip(), path__startswith=org.path)[:2])
    if len(found) != 1:
        raise ValidationError({"quotas": ValidationError(f"在{org.name}及其下级中找不到唯一的“{name}”。")})
    return found[0]


def employer_named(text: str):
    """The employer a cadre typed: by its 统一社会信用代码 (18 characters) or its exact full name (one only)."""
    from django.core.exceptions import ValidationError

    from gonghui.members.models import Employer

    text = text.strip()
    rows = Employer.objects.filter(uscc=text.upper()) if len(text) == 18 and text.isalnum() else \
        Employer.objects.filter(name=text)  # fmt: skip
    found = list(rows[:2])
    if len(found) != 1:
        message = (
            "找不到该单位，请核对统一社会信用代码或单位全称。"
            if not found
            else "有多个同名单位，请填写统一社会信用代码。"
        )
        raise ValidationError({"employer": ValidationError(message)})
    return found[0]


# ----- studio alliances, evaluations, per-org shares of the studio figures ---------------------------------------


def alliances_visible_to(user) -> QuerySet[StudioAlliance]:
    return (StudioAlliance.objects.in_scope(user).select_related("org", "lead")
            .prefetch_related("studios").order_by("-formed_year", "-id"))  # fmt: skip


def studios_for_alliance(user) -> QuerySet[Studio]:
    return Studio.objects.in_scope(user).select_related("org").order_by("level", "name")


def evaluations_of(studio: Studio) -> QuerySet[StudioEvaluation]:
    return studio.evaluations.order_by("-year")


def model_workers_per_org() -> dict[int, int]:
    return dict(ModelWorker.objects.values_list("org_id").annotate(n=Count("id")))


def studios_per_org() -> dict[int, int]:
    return dict(Studio.objects.values_list("org_id").annotate(n=Count("id")))


def national_studios_per_org() -> dict[int, int]:
    return dict(Studio.objects.filter(level=StudioLevel.NATIONAL_DEMO).values_list("org_id").annotate(n=Count("id")))


# ----- 疗休养 batches ---------------------------------------------------------------------------------------------


def rest_batches_visible_to(user, *, year: int | None = None, q: str = "") -> QuerySet[RestBatch]:
    rows = (
        RestBatch.objects.in_scope(user)
        .select_related("org")
        .annotate(n_enrolled=Count("enrolments"), n_attended=Count("enrolments", filter=Q(enrolments__attended=True)))
    )
    if year:
        rows = rows.filter(starts_on__year=year)
    if q:
        rows = rows.filter(place__contains=q)
    return rows.order_by("-starts_on", "-id")


def rest_enrolments_of(batch: RestBatch) -> QuerySet[RestEnrolment]:
    return batch.enrolments.select_related("model_worker__person", "model_worker__org").order_by(
        "model_worker__person__name", "pk")  # fmt: skip


def rest_candidates(batch: RestBatch) -> QuerySet[ModelWorker]:
    """Model workers of the batch union's subtree whose 疗休养 of the batch's year is due and not yet booked."""
    due = CareItem.objects.filter(year=batch.year, kind="rest", done_on__isnull=True, rest_enrolment__isnull=True)
    return (ModelWorker.objects.filter(org__path__startswith=batch.org.path, care__in=due)
            .select_related("person", "org").order_by("person__name", "pk"))  # fmt: skip


ENTRANT_CHOICES = 10


def entrant_candidates(user, competition, q: str) -> list:
    """报名 by name: the members' name or pinyin prefix search (members.selectors.member_search), within the
    user's scope and the competition's union's subtree, at most ten."""
    return list(member_search(user, q=q, org=competition.org).select_related("person", "org")[:ENTRANT_CHOICES])


def hardship_file_of(user, model_worker: ModelWorker):
    """The newest hardship file of the model worker's person that ``user`` may read (the assistance app's scope),
    or None."""
    return files_visible_to(user).filter(person_id=model_worker.person_id).first()


def model_worker_for_read(user, pk: int) -> ModelWorker:
    return ModelWorker.objects.get_for_read(user, pk)


def care_of(model_worker: ModelWorker) -> QuerySet[CareItem]:
    return model_worker.care.order_by("-year", "kind")


def publicity_of(model_worker: ModelWorker) -> QuerySet[Publicity]:
    return model_worker.publicity.order_by("-published_on", "-pk")
