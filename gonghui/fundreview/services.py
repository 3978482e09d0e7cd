"""Every write of fund review: keyword-only, one transaction each, audited, the actor checked by the service.

The committee's one rule of composition (docs/domain.md 3.3; 《工会经费审查委员会工作条例》): the union's chair,
the vice-chair in charge of finance and its finance staff (accountant, cashier) may not sit on it. The platform
knows them from two sources (decision 0042): the union's register of posts (``Officer``, by person and by work
account), and the ledger itself — a member's work account that kept this union's books within the policy's
period. (A cadre's account is never a worker's: accounts.services refuses grants to a worker account, so the
link between a committee member and the account they confirm with is recorded on the member.)"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import Grant
from gonghui.core.audit import acting_user, audit_record
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.masking import has_id_or_phone
from gonghui.fundreview.models import Committee, CommitteeMember, Finding, Officer, Plan, Report
from gonghui.fundreview.policy import fundreview_policy
from gonghui.members.models import Membership, Person
from gonghui.orgs import access
from gonghui.orgs.models import Org

# ----- who may sit on the committee --------------------------------------------------------------------------


def _ledger_keepers(org: Org, since: dt.datetime) -> set[int]:
    """Accounts that kept ``org``'s books since ``since``: entries, declarations, collections, spending, budgets,
    month closings, assets."""
    from gonghui.finance.models import Budget, Collection, Entry, FixedAsset, FundDeclaration, Period, Spending

    sources = ((Entry, "created_by", "created_at"), (FundDeclaration, "declared_by", "declared_at"),
               (Collection, "recorded_by", "recorded_at"), (Spending, "requested_by", "requested_at"),
               (Budget, "set_by", "set_at"), (Period, "closed_by", "closed_at"),
               (FixedAsset, "recorded_by", "recorded_at"))  # fmt: skip
    users: set[int] = set()
    for model, user_field, at_field in sources:
        rows = model.objects.filter(org=org, **{f"{at_field}__gte": since, f"{user_field}__isnull": False})
        users |= set(rows.values_list(user_field, flat=True).distinct())
    return users


def excluded_because(org: Org, person: Person, *, account=None, on: dt.date | None = None) -> str:
    """Why ``person`` (signing in with ``account``, if given) may not sit on ``org``'s review committee on
    ``on`` (today), in Chinese; "" if they may."""
    on = on or timezone.localdate()
    current = Officer.objects.filter(org=org, since__lte=on).filter(Q(until__isnull=True) | Q(until__gte=on))
    mine = Q(person=person) | Q(account=account) if account is not None else Q(person=person)
    post = current.filter(mine).order_by("since").first()
    if post is not None:
        return (
            f"{person.name}现任本会{post.get_post_display()}（{post.since:%Y-%m-%d}起），工会主席、分管财务的副主席"
            f"和财务人员不得担任经费审查委员会委员。"
        )
    if account is not None:
        days = fundreview_policy().ledger_activity_days
        if account.pk in _ledger_keepers(org, timezone.now() - dt.timedelta(days=days)):
            return (
                f"账号“{account.username}”近 {days} 天内经办过本会的财务记账，属于财务人员，"
                f"不得担任经费审查委员会委员。"
            )
    return ""


def _is_member_of(org: Org, person: Person) -> bool:
    return Membership.objects.filter(person=person, status=Membership.Status.ACTIVE,
                                     org__path__startswith=org.path).exists()  # fmt: skip


# ----- the register of posts ---------------------------------------------------------------------------------


@transaction.atomic
def officer_record(*, actor, org: Org, person: Person, post: str, since: dt.date, until: dt.date | None = None,
                   account=None) -> Officer:  # fmt: skip
    """登记工会负责人或财务人员: who holds a post that bars them from the review committee. A person already on
    the current committee cannot take such a post until they leave it."""
    access.require_write(actor, org)
    if post not in Officer.Post.values:
        raise field_error("post", "请选择职务。")
    if until is not None and until < since:
        raise field_error("until", "任职截止日期不能早于起始日期。")
    on = max(since, timezone.localdate())
    mine = Q(person=person) | Q(account=account) if account is not None else Q(person=person)
    sitting = CommitteeMember.objects.filter(mine, committee__org=org, committee__term_start__lte=on,
                                             committee__term_end__gte=on).exists()  # fmt: skip
    if sitting:
        raise field_error("person", f"{person.name}是本会现任经费审查委员会委员，须先退出委员会才能担任"
                                    f"{Officer.Post(post).label}。")  # fmt: skip
    officer = Officer.objects.create(org=org, person=person, post=post, since=since, until=until, account=account,
                                     recorded_by=acting_user(actor))  # fmt: skip
    audit_record(actor=actor, action="fundreview.officer.record", obj=officer, org=org, detail={"post": post})
    return officer


# ----- the committee -----------------------------------------------------------------------------------------


@transaction.atomic
def committee_create(*, actor, org: Org, term_start: dt.date, term_end: dt.date, elected_on: dt.date) -> Committee:
    """组建经费审查委员会 for one term (elected with the union committee, for the same term)."""
    access.require_write(actor, org)
    if term_end <= term_start:
        raise field_error("term_end", "任期截止日期应晚于起始日期。")
    years = round((term_end - term_start).days / 365.25)
    allowed = fundreview_policy().term_years
    if years not in allowed:
        raise field_error("term_end", f"任期应与工会委员会相同，为 {'或'.join(map(str, allowed))} 年。")
    if elected_on > term_start + dt.timedelta(days=31) or elected_on > timezone.localdate():
        raise field_error("elected_on", "选举日期应在任期开始前后且不晚于今天。")
    overlap = Committee.objects.filter(org=org, term_start__lt=term_end, term_end__gt=term_start).first()
    if overlap is not None:
        raise field_error("term_start", f"任期与已登记的{overlap}重叠。")
    committee = Committee.objects.create(org=org, term_start=term_start, term_end=term_end, elected_on=elected_on,
                                         created_by=acting_user(actor))  # fmt: skip
    audit_record(actor=actor, action="fundreview.committee.create", obj=committee, org=org,
                 detail={"term": f"{term_start:%Y-%m-%d}~{term_end:%Y-%m-%d}"})  # fmt: skip
    return committee


@transaction.atomic
def member_add(*, actor, committee: Committee, person: Person, role: str = CommitteeMember.Role.MEMBER,
               account=None) -> CommitteeMember:  # fmt: skip
    """增补委员: a member of the union (or a union below it), not its chair, finance vice-chair or finance staff;
    one 主任 per committee. ``account``: the cadre account the member confirms rectification with (a write
    role on the union, not an account that kept its books)."""
    org = committee.org
    access.require_write(actor, org)
    if role not in CommitteeMember.Role.values:
        raise field_error("role", "请选择职务。")
    if not _is_member_of(org, person):
        raise field_error("person", f"{person.name}不是本会会员，经费审查委员会委员须从本会会员中选举产生。")
    if account is not None and not access.can_write(account, org):
        raise field_error("account", f"账号“{account.username}”没有{org.name}的办理权限，不能用于确认整改。")
    if account is not None and committee.members.filter(account=account).exists():
        raise field_error("account", f"账号“{account.username}”已由本届另一名委员使用。")
    if reason := excluded_because(org, person, account=account, on=max(committee.term_start, timezone.localdate())):
        raise field_error("person", reason)
    if committee.members.filter(person=person).exists():
        raise field_error("person", f"{person.name}已是本届委员会委员。")
    if role == CommitteeMember.Role.DIRECTOR and committee.members.filter(role=role).exists():
        raise field_error("role", "本届委员会已有主任，请先调整现任主任的职务。")
    try:
        with transaction.atomic():
            member = CommitteeMember.objects.create(committee=committee, person=person, role=role, account=account)
    except IntegrityError as error:
        raise ConflictError("委员名单已被他人修改，请刷新后重试。") from error
    audit_record(actor=actor, action="fundreview.member.add", obj=member, org=org, detail={"role": role})
    return member


@transaction.atomic
def member_remove(*, actor, member: CommitteeMember) -> None:
    """委员退出委员会 (e.g. to take a finance post)."""
    org = member.committee.org
    access.require_write(actor, org)
    audit_record(actor=actor, action="fundreview.member.remove", obj=member, org=org, detail={"role": member.role})
    member.delete()


def committee_of(org: Org, on: dt.date) -> Committee | None:
    """The union's committee whose term covers ``on``."""
    return Committee.objects.filter(org=org, term_start__lte=on, term_end__gte=on).order_by("-term_start").first()


def sits_on(user, org: Org, *, on: dt.date | None = None) -> bool:
    """``user`` is the work account of a member of ``org``'s committee of ``on`` (today)."""
    if not getattr(user, "is_authenticated", False):
        return False
    committee = committee_of(org, on or timezone.localdate())
    return bool(committee and committee.members.filter(account=user).exists())


# ----- plans and findings ------------------------------------------------------------------------------------


@transaction.atomic
def plan_create(*, actor, org: Org, year: int, scope: str, title: str, planned_on: dt.date) -> Plan:
    """制定审查计划 of the union's committee for ``year``."""
    access.require_write(actor, org)
    if scope not in Plan.Scope.values:
        raise field_error("scope", "请选择审查类型。")
    title = title.strip()
    if not title:
        raise field_error("title", "请填写审查事项。")
    if has_id_or_phone(title):
        raise field_error("title", "审查事项中不能含身份证号码或手机号码。")
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise field_error("year", "审查年度不正确。")
    committee = committee_of(org, planned_on)
    if committee is None:
        raise field_error(
            "planned_on", f"{org.name}在 {planned_on:%Y-%m-%d} 没有在任的经费审查委员会，请先组建委员会。"
        )
    if not committee.members.filter(role=CommitteeMember.Role.DIRECTOR).exists():
        raise field_error("planned_on", "经费审查委员会尚未确定主任，请先增补主任。")
    plan = Plan.objects.create(org=org, committee=committee, year=year, scope=scope, title=title[:100],
                               planned_on=planned_on, created_by=acting_user(actor))  # fmt: skip
    audit_record(actor=actor, action="fundreview.plan.create", obj=plan, org=org, detail={"year": year, "scope": scope})
    return plan


@transaction.atomic
def plan_complete(*, actor, plan: Plan, conclusion: str, done_on: dt.date, version: int) -> Plan:
    """审查完成: the conclusion is recorded; no finding is added afterwards."""
    access.require_write(actor, plan.org)
    plan = Plan.objects.select_for_update().get(pk=plan.pk)
    if plan.version != version:
        raise ConflictError()
    if plan.status == Plan.Status.DONE:
        raise field_error("conclusion", "该审查已经完成。")
    if not conclusion.strip():
        raise field_error("conclusion", "请填写审查结论。")
    if has_id_or_phone(conclusion):
        raise field_error("conclusion", "审查结论中不能含身份证号码或手机号码。")
    if done_on > timezone.localdate() or done_on < plan.planned_on:
        raise field_error("done_on", "完成日期应在计划实施日期之后、不晚于今天。")
    plan.status, plan.conclusion, plan.done_on, plan.version = (
        Plan.Status.DONE,
        conclusion.strip(),
        done_on,
        version + 1,
    )
    plan.save(update_fields=["status", "conclusion", "done_on", "version"])
    audit_record(actor=actor, action="fundreview.plan.complete", obj=plan, org=plan.org)
    return plan


@transaction.atomic
def finding_record(*, actor, plan: Plan, title: str, detail: str, severity: str, requirement: str,
                   amount_fen: int = 0, code: str = "", deadline: dt.date | None = None) -> Finding:  # fmt: skip
    """记录审查发现的问题 and open its rectification case, due on ``deadline`` (the policy's default from today)."""
    from gonghui.cases.models import Case
    from gonghui.cases.services import case_open
    from gonghui.fundreview import cases

    org = plan.org
    access.require_write(actor, org)
    plan = Plan.objects.select_for_update().select_related("org").get(pk=plan.pk)
    if plan.status == Plan.Status.DONE:
        raise field_error("title", "该审查已经完成，不能再记录问题。")
    if severity not in Finding.Severity.values:
        raise field_error("severity", "请选择严重程度。")
    values = {"title": title.strip(), "detail": detail.strip(), "requirement": requirement.strip()}
    labels = {"title": "问题", "detail": "问题描述", "requirement": "整改要求"}
    for name, value in values.items():
        if not value:
            raise field_error(name, f"请填写{labels[name]}。")
        if has_id_or_phone(value):
            raise field_error(name, f"{labels[name]}中不能含身份证号码或手机号码。")
    if amount_fen < 0:
        raise field_error("amount", "涉及金额不能为负数。")
    today = timezone.localdate()
    deadline = deadline or today + dt.timedelta(days=fundreview_policy().rectification_days)
    if deadline <= today:
        raise field_error("deadline", "整改期限应晚于今天。")
    finding = Finding.objects.create(plan=plan, org=org, title=values["title"][:100], detail=values["detail"],
                                     severity=severity, amount_fen=amount_fen, code=code.strip()[:16],
                                     requirement=values["requirement"][:300], deadline=deadline,
                                     recorded_by=acting_user(actor))  # fmt: skip
    finding.case = case_open(actor=actor, kind=cases.RECTIFICATION, org=org, subject=cases.SUBJECT,
                             note=values["title"][:100])  # fmt: skip
    Case.objects.filter(pk=finding.case.pk).update(deadline=deadline)
    finding.case.deadline = deadline
    finding.save(update_fields=["case"])
    audit_record(actor=actor, action="fundreview.finding.record", obj=finding, org=org,
                 detail={"severity": severity, "amount": amount_fen})  # fmt: skip
    return finding


def _locked_finding(finding: Finding) -> Finding:
    return Finding.objects.select_for_update(of=("self",)).select_related("org", "case").get(pk=finding.pk)


@transaction.atomic
def rectification_respond(*, actor, finding: Finding, response: str, version: int) -> Finding:
    """报送整改情况: the union's finance side reports what it did; the committee then confirms or sends back."""
    from gonghui.cases.services import case_transition

    access.require_write(actor, finding.org)
    finding = _locked_finding(finding)
    if finding.status != Finding.Status.RECTIFYING:
        raise ConflictError("该问题不在整改中，请刷新后查看。")
    response = response.strip()
    if not response:
        raise field_error("response", "请填写整改情况。")
    if has_id_or_phone(response):
        raise field_error("response", "整改情况中不能含身份证号码或手机号码。")
    case_transition(actor=actor, case=finding.case, to=Finding.Status.RESPONDED, note=response[:500], version=version)
    finding.refresh_from_db()
    finding.response, finding.responded_by, finding.responded_at = response, acting_user(actor), timezone.now()
    finding.save(update_fields=["response", "responded_by", "responded_at"])
    audit_record(actor=actor, action="fundreview.rectification.respond", obj=finding, org=finding.org)
    return finding


@transaction.atomic
def rectification_close(*, actor, finding: Finding, accept: bool, version: int, note: str = "") -> Finding:
    """整改销号 (``accept``) or 退回重新整改 (with the reason): only a member of the union's current review
    committee, never the one who reported the rectification."""
    from gonghui.cases.services import case_transition

    access.require_write(actor, finding.org)
    finding = _locked_finding(finding)
    if finding.status != Finding.Status.RESPONDED:
        raise ConflictError("该问题尚未报送整改情况或已经销号，请刷新后查看。")
    if actor is not None and not sits_on(actor, finding.org):
        raise field_error("to", "整改销号须由本会经费审查委员会委员确认。")
    if actor is not None and finding.responded_by_id == actor.pk:
        raise field_error("to", "报送整改情况的人不能自己确认销号。")
    to = Finding.Status.CLOSED if accept else Finding.Status.RECTIFYING
    case_transition(actor=actor, case=finding.case, to=to, note=note, version=version)
    finding.refresh_from_db()
    if accept:
        finding.closed_by, finding.closed_on = acting_user(actor), timezone.localdate()
        finding.save(update_fields=["closed_by", "closed_on"])
    audit_record(actor=actor, action="fundreview.rectification.close", obj=finding, org=finding.org,
                 detail={"accepted": accept})  # fmt: skip
    return finding


def rectifications_overdue_remind(*, today: dt.date) -> int:
    """The daily job: a finding whose rectification deadline has passed tells the union's own cadres (the write
    grants on it) through the message centre, once per deadline. Returns how many findings were reminded."""
    from gonghui.messages.services import notify

    done = 0
    overdue = (Finding.objects.exclude(status=Finding.Status.CLOSED).filter(deadline__lt=today)
               .exclude(overdue_notified_for=F("deadline")).select_related("org").order_by("pk"))  # fmt: skip
    for finding in overdue.iterator(chunk_size=500):
        with transaction.atomic():
            if not Finding.objects.filter(pk=finding.pk, deadline=finding.deadline).exclude(
                    overdue_notified_for=finding.deadline).update(overdue_notified_for=finding.deadline):  # fmt: skip
                continue
            grants = Grant.objects.filter(org=finding.org, role__in=access.WRITE_ROLES, user__is_active=True)
            context = {"org": finding.org.name, "title": finding.title, "deadline": f"{finding.deadline:%Y年%m月%d日}"}
            link = reverse("fundreview:finding", args=[finding.pk])
            for grant in grants.select_related("user").order_by("pk"):
                notify(user=grant.user, event="fundreview.overdue", context=context, link=link)
            audit_record(actor=None, action="fundreview.rectification.overdue", obj=finding, org=finding.org,
                         detail={"deadline": finding.deadline.isoformat()})  # fmt: skip
            done += 1
    return done


# ----- the yearly report -------------------------------------------------------------------------------------


@transaction.atomic
def report_issue(*, actor, org: Org, year: int) -> Report:
    """签发年度审查工作报告 to the members' assembly: generated from the year's plans, findings and their
    rectification as they stand, and kept as issued (once per union and year)."""
    from gonghui.fundreview import reports

    access.require_write(actor, org)
    if year > timezone.localdate().year:
        raise field_error("year", "不能签发未来年度的报告。")
    Org.objects.select_for_update().filter(pk=org.pk).first()
    if Report.objects.filter(org=org, year=year).exists():
        raise field_error("year", f"{org.name}{year}年度的审查工作报告已经签发，不能重复签发。")
    plans = Plan.objects.filter(org=org, year=year)
    if not plans.exists():
        raise field_error("year", f"{org.name}{year}年度没有审查计划，无法生成报告。")
    committee = plans.order_by("planned_on").last().committee
    report = Report.objects.create(org=org, committee=committee, year=year, issued_by=acting_user(actor),
                                   content=reports.content_of(org, year, committee))  # fmt: skip
    audit_record(actor=actor, action="fundreview.report.issue", obj=report, org=org, detail={"year": year})
    return report


def report_downloaded(*, actor, report: Report, kind: str) -> None:
    """A download of an issued report (it names the committee's members): audited."""
    audit_record(actor=actor, action="fundreview.report.download", obj=report, org=report.org,
                 detail={"kind": kind, "year": report.year})  # fmt: skip
