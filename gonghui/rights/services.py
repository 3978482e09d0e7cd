"""Every write of requests and legal cases: keyword-only, one transaction each, audited, the actor checked here
(docs/decisions/0010). An anonymous request is filed with no actor on its case, steps, attachments or audit
events: only ``RightsRequest.filer`` knows who filed it, and only the filer's own pages read it."""

import datetime as dt
import json
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.cases import services as case_services
from gonghui.cases.kinds import TransitionRule
from gonghui.cases.models import Case
from gonghui.core import crypto
from gonghui.core.audit import acting_user, atomic_audited, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.identifiers import parse_phone, parse_uscc
from gonghui.core.masking import has_id_or_phone
from gonghui.core.sealed import phone_index
from gonghui.core.workdays import add_working_days, is_workday
from gonghui.members.models import Employer, Membership, Person
from gonghui.members.services import employer_resolve
from gonghui.messages.services import notify
from gonghui.orgs import access
from gonghui.orgs.models import Org, Region
from gonghui.rights import clocks
from gonghui.rights import selectors as sel
from gonghui.rights.cases import CLOSED, HANDLING, LEGAL, REPLIED, REQUEST, SUBMITTED
from gonghui.rights.models import (
    ClockReminder,
    LegalCase,
    LegalKind,
    LegalMilestone,
    Milestone,
    Outcome,
    RequestGroup,
    RequestReply,
    RightsRequest,
)
from gonghui.rights.policy import CATEGORIES, rights_policy

MAX_TEXT = 2000
MAX_FILES = 5


# ----- filing --------------------------------------------------------------------------------------------------


def _text(field: str, value: str, label: str, *, required: bool = True, limit: int = MAX_TEXT) -> str:
    value = (value or "").strip()
    if required and not value:
        raise field_error(field, f"请填写{label}。")
    if len(value) > limit:
        raise field_error(field, f"{label}不能超过 {limit} 字。")
    return value


def _employer(name: str, uscc: str, region: Region | None) -> tuple[Employer | None, str]:
    """The employer record (found or made) and the name as given; a credit code is checked by its check digit."""
    name = (name or "").strip()[:200]
    code = ""
    if (uscc or "").strip():
        try:
            code = parse_uscc(uscc)
        except ValidationError as error:
            raise field_error("employer_uscc", error.messages[0]) from None
    if not name and not code:
        raise field_error("employer_name", "请填写用人单位名称或统一社会信用代码。")
    if has_id_or_phone(name):
        raise field_error("employer_name", "单位名称中不能含身份证号码或手机号码。")
    employer = employer_resolve(name=name, uscc=code, region=region)
    return employer, name or employer.name


def _worker_region_and_form(user) -> tuple[Region | None, str]:
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    if person is None:
        return None, ""
    membership = (Membership.objects.filter(person=person, status=Membership.Status.ACTIVE)
                  .select_related("org__region").first())  # fmt: skip
    return (membership.org.region if membership else None), person.employment_form


def _route(employer: Employer | None, region: Region | None, employment_form: str) -> tuple[Org, str]:
    from gonghui.joining.routing import responsible_union

    org, rule = responsible_union(employer=employer, region=region, employment_form=employment_form)
    if org is None:
        raise field_error("region", "未找到负责该地区的工会，请选择用人单位所在地区或拨打 12351 热线。")
    return org, rule


def _due(category: str, start: dt.date) -> dt.date:
    return add_working_days(start, rights_policy().deadline_for(category))


def _set_deadline(request: RightsRequest, due: dt.date | None) -> None:
    Case.objects.filter(pk=request.case_id).update(deadline=due, reminded_for=None)
    RightsRequest.objects.filter(pk=request.pk).update(due_on=due)
    request.due_on = due
    request.case.deadline = due


@atomic_audited
def request_file(*, actor, category: str, description: str, employer_name: str = "", employer_uscc: str = "",
                 region: Region | None = None, anonymous: bool = False, uploads=(), hotline: bool = False,
                 caller_name: str = "", caller_phone: str = "") -> RightsRequest:  # fmt: skip
    """提交诉求: a worker for themself (``hotline=False``), or a hotline operator (a writer of some union) for a
    caller. Routed to the responsible union by the employer, with the category's deadline in working days;
    linked into a group when enough open requests of its category name the same employer."""
    if not getattr(actor, "is_authenticated", False):
        raise access.deny(actor, "请先登录。")
    policy = rights_policy()
    if category not in CATEGORIES:
        raise field_error("category", "请选择诉求类别。")
    text = _text("description", description, "诉求内容")
    if len(uploads) > MAX_FILES:
        raise field_error("files", f"附件最多 {MAX_FILES} 个。")
    filer, caller, employment_form = None, "", ""
    if hotline:
        if not access.grants_of(actor) or not any(g.role in access.WRITE_ROLES for g in access.grants_of(actor)):
            raise access.deny(actor, "只有工会工作人员可以代录热线诉求。")
        if not anonymous:
            name = _text("caller_name", caller_name, "来电人姓名", limit=50)
            try:
                phone = parse_phone(caller_phone)
            except ValidationError:
                raise field_error("caller_phone", "请填写来电人正确的手机号码，以便工会答复。") from None
            caller = crypto.encrypt(json.dumps({"name": name, "phone": phone}, ensure_ascii=False))
            person = Person.objects.filter(phone_bidx=phone_index(phone)).first()
            filer = User.objects.filter(person=person, is_active=True).first() if person else None
        if region is None:
            region = next((g.org.region for g in access.grants_of(actor) if g.role in access.WRITE_ROLES), None)
    else:
        if access.grants_of(actor) or actor.platform_role:
            raise access.deny(actor, "工会工作人员请通过“热线代录”登记职工诉求。")
        filer = actor
        home_region, employment_form = _worker_region_and_form(actor)
        region = region or home_region
    employer, shown_name = _employer(employer_name, employer_uscc, region)
    region = region or employer.region
    if anonymous and not policy.anonymous_allowed(category, region.code if region else ""):
        raise field_error("anonymous", f"“{CATEGORIES[category]}”类诉求须实名提交，工会需要核实您本人的情况。")
    org, rule = _route(employer, region, employment_form)
    opener = None if anonymous else actor
    case = case_services.case_open(actor=opener, kind=REQUEST, org=org, subject=f"职工诉求：{CATEGORIES[category]}",
                                   note="热线代录" if hotline else "")  # fmt: skip
    request = RightsRequest.objects.create(
        case=case, org=org, status=case.status, category=category, description_enc=crypto.encrypt(text),
        employer=employer, employer_name=shown_name, region=region, routing_rule=rule, anonymous=anonymous,
        via_hotline=hotline, filer=filer, caller_enc=caller,
    )  # fmt: skip
    _set_deadline(request, _due(category, timezone.localdate()))
    for upload in uploads:
        case_services.attachment_store(
            case,
            upload,
            document=case_services.OTHER_DOCUMENT,
            file_name=upload.name or "附件",
            uploaded_by=acting_user(opener),
            field="files",
        )
    audit_record(actor=opener, action="rights.request_file", obj=request, org=org,
                 detail={"category": category, "anonymous": anonymous, "hotline": hotline})  # fmt: skip
    _link_group(request)
    return request


def _link_group(request: RightsRequest) -> None:
    """群体诉求: the request joins the open group of its employer and category, or makes one with the other open
    requests once there are ``group_threshold`` of them (only for an employer known by its credit code)."""
    employer = request.employer
    if employer is None or not employer.uscc:
        return
    group = RequestGroup.objects.select_for_update().filter(employer=employer, category=request.category,
                                                              closed_at__isnull=True).first()  # fmt: skip
    if group is None:
        peers = RightsRequest.objects.filter(employer=employer, category=request.category, group__isnull=True)
        peers = peers.exclude(status=CLOSED)
        if peers.count() < rights_policy().group_threshold:
            return
        group = RequestGroup.objects.create(org=request.org, employer=employer, category=request.category)
        count = peers.update(group=group)
        audit_record(actor=None, action="rights.group_form", obj=group, org=group.org, detail={"requests": count})
    else:
        RightsRequest.objects.filter(pk=request.pk).update(group=group)
    request.group = group


# ----- the union's steps ---------------------------------------------------------------------------------------


def _writer(actor, request: RightsRequest) -> None:
    case_services.require_step(actor, request.case, TransitionRule(label="办理"))


def _move(actor, request: RightsRequest, to: str, note: str, version: int) -> RightsRequest:
    if request.version != version:
        raise ConflictError("该诉求已被他人办理，请刷新后查看。")
    case_services.case_transition(actor=actor, case=request.case, to=to, note=note, version=request.case.version)
    request.refresh_from_db()
    request.case.refresh_from_db()
    return request


def _tell_filer(request: RightsRequest, event: str, **context) -> None:
    if request.filer_id is not None:
        notify(user=request.filer, event=event, context={"org": request.org.name,
               "category": CATEGORIES[request.category], **context},
               link=reverse("rights:mine_detail", args=[request.pk]))  # fmt: skip


@atomic_audited
def request_accept(*, actor, request: RightsRequest, version: int) -> RightsRequest:
    """受理."""
    request = _move(actor, request, HANDLING, "", version)
    audit_record(actor=actor, action="rights.request_accept", obj=request, org=request.org)
    _tell_filer(request, "rights.accepted", deadline=f"{request.due_on:%Y年%m月%d日}" if request.due_on else "")
    return request


def _reply_one(actor, request: RightsRequest, text: str) -> None:
    RequestReply.objects.create(request=request, author=acting_user(actor), org=request.org,
                                text_enc=crypto.encrypt(text))  # fmt: skip
    if request.status in {SUBMITTED, HANDLING}:
        case_services.case_transition(actor=actor, case=request.case, to=REPLIED, note="已答复",
                                      version=request.case.version)  # fmt: skip
        request.refresh_from_db()
        _set_deadline(request, None)  # answered: no longer overdue
    _tell_filer(request, "rights.replied", text=text)


@atomic_audited
def request_reply(*, actor, request: RightsRequest, text: str, version: int) -> RightsRequest:
    """答复: the worker reads it on the phone (and in a message). For a request of a group, every request of the
    group gets the same reply (the group is handled as one)."""
    _writer(actor, request)
    text = _text("text", text, "答复内容")
    if request.version != version:
        raise ConflictError("该诉求已被他人办理，请刷新后查看。")
    if request.status == CLOSED:
        raise ValidationError("诉求已办结，不能再答复。")
    targets = [request]
    if request.group_id:
        targets = list(RightsRequest.objects.filter(group_id=request.group_id).exclude(status=CLOSED)
                       .select_related("case", "org", "filer"))  # fmt: skip
    for target in targets:
        _reply_one(actor, target, text)
    request.refresh_from_db()
    audit_record(actor=actor, action="rights.request_reply", obj=request, org=request.org,
                 detail={"requests": len(targets)})  # fmt: skip
    return request


@atomic_audited
def request_close(*, actor, request: RightsRequest, version: int, note: str = "") -> RightsRequest:
    """办结 by the union after its reply (every request of a group at once)."""
    _writer(actor, request)
    if request.status != REPLIED:
        raise ValidationError("请先答复职工，再办结。")
    targets = [request] if not request.group_id else list(
        RightsRequest.objects.filter(group_id=request.group_id, status=REPLIED).select_related("case"))  # fmt: skip
    if request.version != version:
        raise ConflictError("该诉求已被他人办理，请刷新后查看。")
    today = timezone.localdate()
    for target in targets:
        case_services.case_transition(actor=actor, case=target.case, to=CLOSED, note=note, version=target.case.version)
        RightsRequest.objects.filter(pk=target.pk).update(closed_on=today)
    if request.group_id and not RightsRequest.objects.filter(group_id=request.group_id).exclude(status=CLOSED).exists():
        RequestGroup.objects.filter(pk=request.group_id).update(closed_at=timezone.now())
    request.refresh_from_db()
    audit_record(actor=actor, action="rights.request_close", obj=request, org=request.org)
    _tell_filer(request, "rights.closed")
    return request


@atomic_audited
def request_reassign(*, actor, request: RightsRequest, org: Org, reason: str, version: int) -> RightsRequest:
    """改派 with a reason, by a writer of the union above the handling one, to a union they may write; the new
    union gets the category's full deadline."""
    reason = _text("reason", reason, "改派理由", limit=200)
    if request.version != version:
        raise ConflictError("该诉求已被他人办理，请刷新后查看。")
    old = request.org
    case_services.case_reassign(actor=actor, case=request.case, org=org, version=request.case.version,
                                note=f"由“{old.name}”改派至“{org.name}”：{reason}")  # fmt: skip
    request.refresh_from_db()
    RightsRequest.objects.filter(pk=request.pk).update(routing_rule="reassigned")
    request.routing_rule = "reassigned"
    if request.status in {SUBMITTED, HANDLING}:
        _set_deadline(request, _due(request.category, timezone.localdate()))
    audit_record(actor=actor, action="rights.request_reassign", obj=request, org=org, detail={"from_org": old.pk})
    return request


@atomic_audited
def group_representatives(*, actor, group: RequestGroup, request_ids: list[int]) -> RequestGroup:
    """推举代表: three to five of the group's named (not anonymous) workers, as the workers chose them."""
    access.require_write(actor, group.org)
    policy = rights_policy()
    ids = set(request_ids)
    if not policy.representatives_min <= len(ids) <= policy.representatives_max:
        raise field_error(
            "representatives", f"群体诉求应推举 {policy.representatives_min} 至 {policy.representatives_max} 名代表。"
        )
    chosen = RightsRequest.objects.filter(group=group, pk__in=ids)
    if chosen.count() != len(ids):
        raise field_error("representatives", "代表须是本群体诉求中的职工。")
    if chosen.filter(anonymous=True).exists():
        raise field_error("representatives", "匿名提交诉求的职工不能作为代表。")
    RightsRequest.objects.filter(group=group).update(representative=False)
    chosen.update(representative=True)
    audit_record(actor=actor, action="rights.group_representatives", obj=group, org=group.org,
                 detail={"count": len(ids)})  # fmt: skip
    return group


# ----- the worker's steps --------------------------------------------------------------------------------------


def _own(actor, request: RightsRequest, version: int) -> RightsRequest:
    if request.filer_id is None or request.filer_id != getattr(actor, "pk", None):
        raise Http404("诉求不存在")
    if request.version != version:
        raise ConflictError("诉求已有新的办理进展，请刷新后查看。")
    return request


@atomic_audited
def request_rate(*, actor, request: RightsRequest, satisfaction: int, version: int, comment: str = "") -> RightsRequest:
    """满意度评价并办结: the worker closes their answered request with a rating from 1 to 5."""
    request = _own(actor, request, version)
    if request.status != REPLIED:
        raise ValidationError("工会答复后才能评价。")
    if satisfaction not in range(1, 6):
        raise field_error("satisfaction", "请选择 1 至 5 分的满意度。")
    comment = _text("comment", comment, "评价", required=False, limit=200)
    case_services.case_transition(actor=None, case=request.case, to=CLOSED, version=request.case.version,
                                  note=f"职工评价 {satisfaction} 分" + (f"：{comment}" if comment else ""))  # fmt: skip
    RightsRequest.objects.filter(pk=request.pk).update(satisfaction=satisfaction, closed_on=timezone.localdate())
    request.refresh_from_db()
    audit_record(actor=None if request.anonymous else actor, action="rights.request_rate", obj=request,
                 org=request.org, detail={"satisfaction": satisfaction})  # fmt: skip
    return request


@atomic_audited
def request_follow_up(*, actor, request: RightsRequest, text: str, version: int) -> RightsRequest:
    """继续反映: not satisfied with the reply, the worker adds to it; the request goes back to the union with a
    new deadline."""
    request = _own(actor, request, version)
    text = _text("text", text, "补充内容")
    if request.status != REPLIED:
        raise ValidationError("工会答复后才能继续反映。")
    RequestReply.objects.create(request=request, from_worker=True, text_enc=crypto.encrypt(text))
    case_services.case_transition(actor=None, case=request.case, to=HANDLING, note="职工继续反映",
                                  version=request.case.version)  # fmt: skip
    request.refresh_from_db()
    _set_deadline(request, _due(request.category, timezone.localdate()))
    audit_record(actor=None if request.anonymous else actor, action="rights.request_follow_up", obj=request,
                 org=request.org)  # fmt: skip
    return request


@atomic_audited
def request_reopen(*, actor, request: RightsRequest, reason: str, version: int) -> RightsRequest:
    """重新办理: within the policy's days of its closure, the worker reopens the request."""
    request = _own(actor, request, version)
    reason = _text("reason", reason, "重新办理的理由")
    if not sel.may_reopen(request):
        raise ValidationError(f"诉求办结 {rights_policy().reopen_days} 日内才能申请重新办理。")
    RequestReply.objects.create(request=request, from_worker=True, text_enc=crypto.encrypt(reason))
    case_services.case_transition(actor=None, case=request.case, to=HANDLING, note="职工申请重新办理",
                                  version=request.case.version)  # fmt: skip
    RightsRequest.objects.filter(pk=request.pk).update(reopened=F("reopened") + 1, satisfaction=None, closed_on=None)
    request.refresh_from_db()
    _set_deadline(request, _due(request.category, timezone.localdate()))
    audit_record(actor=None if request.anonymous else actor, action="rights.request_reopen", obj=request,
                 org=request.org)  # fmt: skip
    return request


# ----- legal cases ---------------------------------------------------------------------------------------------


def _money(value, field: str) -> Decimal:
    try:
        amount = Decimal(str(value if value not in (None, "") else "0"))
    except InvalidOperation:
        raise field_error(field, "请填写正确的金额。") from None
    if not amount.is_finite() or amount < 0 or amount != amount.quantize(Decimal("0.01")) or amount >= 10**10:
        raise field_error(field, "金额应为不小于 0 的数，最多两位小数。")
    return amount


def _past(field: str, day: dt.date | None, label: str) -> None:
    if day is not None and day > timezone.localdate():
        raise field_error(field, f"{label}不能晚于今天。")


@atomic_audited
def legal_open(*, actor, org: Org, kind: str, handler: User, parties: str, claims: str, narrative: str = "",
               employer_name: str = "", employer_uscc: str = "", amount_claimed=0, wage_arrears: bool = False,
               known_on: dt.date | None = None, employment_ended_on: dt.date | None = None,
               request: RightsRequest | None = None) -> LegalCase:  # fmt: skip
    """立案: a writer of the union opens a case (from a request, which keeps the link) and assigns the lawyer or
    mediator."""
    access.require_write(actor, org)
    if kind not in LegalKind.values:
        raise field_error("kind", "请选择案件类型。")
    if request is not None:
        if not RightsRequest.objects.in_scope(actor).filter(pk=request.pk).exists():
            raise Http404("诉求不存在")
        employer_name = employer_name or request.employer_name
        employer_uscc = employer_uscc or (request.employer.uscc if request.employer and request.employer.uscc else "")
    if handler is None or not handler.is_active or not sel.handlers_for(org).filter(pk=handler.pk).exists():
        raise field_error("handler", "请选择本工会或上级工会的律师、调解员账号。")
    parties = _text("parties", parties, "当事人")
    claims = _text("claims", claims, "请求事项")
    narrative = _text("narrative", narrative, "案情", required=False, limit=5000)
    amount = _money(amount_claimed, "amount_claimed")
    _past("known_on", known_on, "知道权利被侵害之日")
    _past("employment_ended_on", employment_ended_on, "劳动关系终止日")
    employer, shown = _employer(employer_name, employer_uscc, org.region)
    case = case_services.case_open(actor=actor, kind=LEGAL, org=org,
                                   subject=f"{LegalKind(kind).label}：{shown}"[:200])  # fmt: skip
    legal = LegalCase.objects.create(
        case=case, org=org, kind=kind, request=request, handler=handler, employer=employer, employer_name=shown,
        parties_enc=crypto.encrypt(parties), claims_enc=crypto.encrypt(claims),
        narrative_enc=crypto.encrypt(narrative) if narrative else "", amount_claimed=amount,
        wage_arrears=wage_arrears, known_on=known_on, employment_ended_on=employment_ended_on,
    )  # fmt: skip
    Case.objects.filter(pk=case.pk).update(assignee=handler)
    audit_record(actor=actor, action="rights.legal_open", obj=legal, org=org,
                 detail={"kind": kind, "request": request.pk if request else None})  # fmt: skip
    notify(user=handler, event="rights.legal_assigned", context={"org": org.name, "kind": LegalKind(kind).label,
           "employer": shown}, link=reverse("rights:legal_detail", args=[legal.pk]))  # fmt: skip
    return legal


ORDER = ["known_on", "mediation_applied_on", "mediation_ended_on", "arbitration_applied_on",
         "arbitration_accepted_on", "award_served_on"]  # fmt: skip


def _require_handler(actor, legal: LegalCase) -> None:
    if not sel.legal_visible_to(actor).filter(pk=legal.pk).exists():
        raise Http404("案件不存在")
    if not sel.may_handle(actor, legal):
        raise access.deny(actor, "只有承办工会和承办律师（调解员）可以办理此案件。", legal.org)


@atomic_audited
def legal_milestone(*, actor, legal: LegalCase, kind: str, on: dt.date, note: str = "",
                    extension_days: int | None = None) -> LegalMilestone:  # fmt: skip
    """记录进展: a step of the procedure on a date; the clock events set the case's own date, in order."""
    _require_handler(actor, legal)
    legal = LegalCase.objects.select_for_update().get(pk=legal.pk)
    if legal.closed_on is not None:
        raise ValidationError("案件已结案。")
    if kind not in Milestone.values:
        raise field_error("kind", "请选择进展。")
    if on is None:
        raise field_error("on", "请填写日期。")
    _past("on", on, "进展日期")
    note = _text("note", note, "说明", required=False, limit=200)
    if has_id_or_phone(note):
        raise field_error("note", "说明中不能含身份证号码或手机号码。")
    fields = []
    if kind == Milestone.EXTENDED:
        if legal.arbitration_accepted_on is None:
            raise field_error("kind", "仲裁委员会受理后才能延期。")
        if extension_days is None or not 1 <= extension_days <= clocks.EXTENSION_MAX_DAYS:
            raise field_error("extension_days", f"仲裁延期最多 {clocks.EXTENSION_MAX_DAYS} 日。")
        legal.extension_days, fields = extension_days, ["extension_days"]
        note = note or f"延期 {extension_days} 日"
    elif kind in ORDER or kind == Milestone.EMPLOYMENT_ENDED:
        if getattr(legal, kind) is not None:
            raise field_error("kind", f"“{Milestone(kind).label}”已记录。")
        if kind in ORDER:
            earlier = [getattr(legal, f) for f in ORDER[: ORDER.index(kind)] if getattr(legal, f)]
            if earlier and on < max(earlier):
                raise field_error("on", f"“{Milestone(kind).label}”不能早于此前的进展（{max(earlier):%Y-%m-%d}）。")
        setattr(legal, kind, on)
        fields = [kind]
    if fields:
        legal.version += 1
        legal.save(update_fields=[*fields, "version"])
    row = LegalMilestone.objects.create(legal_case=legal, kind=kind, on=on, note=note, by=acting_user(actor))
    audit_record(actor=actor, action="rights.legal_milestone", obj=legal, org=legal.org, detail={"kind": kind})
    return row


@atomic_audited
def legal_close(*, actor, legal: LegalCase, outcome: str, amount_recovered, note: str = "",
                version: int) -> LegalCase:  # fmt: skip
    """结案 with the outcome and the amount recovered (a withdrawal with its reason)."""
    _require_handler(actor, legal)
    if outcome not in Outcome.values:
        raise field_error("outcome", "请选择结案方式。")
    amount = _money(amount_recovered, "amount_recovered")
    if legal.version != version:
        raise ConflictError("案件已被他人修改，请刷新后查看。")
    kernel_actor = actor if access.can_write(actor, legal.org) else None  # the lawyer holds no write grant
    if kernel_actor is None and outcome == "withdrawn" and not note.strip():
        raise field_error("note", "“撤回”须填写理由。", code="reason_required")
    case_services.case_transition(actor=kernel_actor, case=legal.case, to=outcome, note=note,
                                  version=legal.case.version)  # fmt: skip
    LegalCase.objects.filter(pk=legal.pk).update(outcome=outcome, amount_recovered=amount,
                                                 closed_on=timezone.localdate(), version=F("version") + 1)  # fmt: skip
    legal.refresh_from_db()
    audit_record(actor=actor, action="rights.legal_close", obj=legal, org=legal.org,
                 detail={"outcome": outcome, "recovered": str(amount)})  # fmt: skip
    return legal


def legal_read_narrative(*, actor, legal: LegalCase) -> dict[str, str] | None:
    """The parties, claims and narrative, decrypted for the handling union and the handler (audited); None for
    anyone else."""
    if not sel.may_read_narrative(actor, legal):
        return None
    audit_record(actor=actor, action="rights.legal_view", obj=legal, org=legal.org)
    gone = "（已按保存期限清除）" if legal.erased_on else ""
    return {name: crypto.decrypt(value) if value else gone
            for name, value in (("parties", legal.parties_enc), ("claims", legal.claims_enc),
                                ("narrative", legal.narrative_enc))}  # fmt: skip


# ----- daily jobs and retention --------------------------------------------------------------------------------


def clocks_remind(*, today: dt.date) -> int:
    """时限提醒: each running clock of an open case within ``clock_remind_days`` of its end tells the handler,
    once per clock and end date. Returns how many reminders were sent."""
    days, sent = rights_policy().clock_remind_days, 0
    for legal in LegalCase.objects.filter(closed_on__isnull=True).select_related("handler").iterator(chunk_size=500):
        for clock in clocks.clocks(legal.events(), is_workday):
            left = clock.days_left(today)
            if clock.done or not 0 <= left <= days:
                continue
            with transaction.atomic():
                _, made = ClockReminder.objects.get_or_create(legal_case=legal, clock=clock.key, due_on=clock.due_on)
                if made:
                    notify(user=legal.handler, event="rights.clock_near",
                           context={"clock": clock.name, "due": f"{clock.due_on:%Y年%m月%d日}", "days": left,
                                    "employer": legal.employer_name},
                           link=reverse("rights:legal_detail", args=[legal.pk]))  # fmt: skip
                    sent += 1
    return sent


def closed_requests_erase(*, cutoff: dt.date, batch_size: int) -> int:
    """Requests closed before ``cutoff``: the description, replies and hotline caller are erased."""

    def erase(ids: list) -> int:
        RequestReply.objects.filter(request_id__in=ids).delete()
        return RightsRequest.objects.filter(pk__in=ids).update(description_enc="", caller_enc="",
                                                               erased_on=timezone.localdate())  # fmt: skip

    rows = RightsRequest.objects.filter(closed_on__lt=cutoff, erased_on__isnull=True, status=CLOSED)
    return in_batches(rows, erase, batch_size)


def closed_legal_erase(*, cutoff: dt.date, batch_size: int) -> int:
    """Legal cases closed before ``cutoff``: parties, claims and narrative are erased (the amounts stay)."""

    def erase(ids: list) -> int:
        return LegalCase.objects.filter(pk__in=ids).update(parties_enc="", claims_enc="", narrative_enc="",
                                                           erased_on=timezone.localdate())  # fmt: skip

    return in_batches(LegalCase.objects.filter(closed_on__lt=cutoff, erased_on__isnull=True), erase, batch_size)
