"""Every write of the case kernel: keyword-only, one transaction each, audited. Each service checks the
actor's access itself: outside their scope a case does not exist (404); a step they may not take is an
audited 403."""

import datetime as dt
import hashlib
import json
import secrets
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import Grant
from gonghui.cases import selectors
from gonghui.cases.kinds import OWNER, CaseKind, TransitionRule, kind_of
from gonghui.cases.models import Case, CaseAttachment, CaseClock, CaseStep, Objection, PublicNotice
from gonghui.core import crypto, files
from gonghui.core.audit import acting_user, atomic_audited, audit_record
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.identifiers import parse_phone
from gonghui.core.masking import has_id_or_phone
from gonghui.core.uploads import check_document
from gonghui.core.workdays import add_working_days
from gonghui.messages.services import notify
from gonghui.orgs import access
from gonghui.orgs.models import Org

NOT_FOUND = "事项不存在"
OTHER_DOCUMENT = "other"


# ----- access ----------------------------------------------------------------------------------------------------


def _require_write(actor, org: Org, *, manage: bool = False, message: str = "您的角色没有办理此事项的权限。") -> None:
    """404 when no grant covers ``org``; a refusal when the covering grant may not write (or manage) there."""
    grant = access.grant_covering(actor, org)
    if grant is None:
        raise Http404(NOT_FOUND)
    if grant.role not in ({Grant.Role.ADMIN} if manage else access.WRITE_ROLES):
        raise access.deny(actor, message, org)


def require_step(actor, case: Case, rule: TransitionRule) -> None:
    """The actor may take ``rule``'s step on ``case``: 404 outside their scope, an audited 403 otherwise.
    ``None`` is the system (a daily job, a command); a request always passes its user, anonymous or not."""
    if actor is None:
        return
    if rule.level == OWNER:
        if not selectors.may_take(actor, case, rule):
            raise access.deny(actor, "只能由提交人本人办理。", case.org)
        return
    if access.grant_covering(actor, case.org) is None:
        raise Http404(NOT_FOUND)
    if not selectors.may_take(actor, case, rule):
        raise access.deny(actor, f"“{rule.label}”须由{rule.who}的工作人员办理。", case.org)


def require_writer(actor, case: Case) -> None:
    """A writer of the handling union (or above): publishes notices, answers objections, adds documents."""
    require_step(actor, case, TransitionRule(label="办理"))


# ----- open and move ---------------------------------------------------------------------------------------------


def _start_clocks(case: Case, kind: CaseKind, today: dt.date) -> None:
    CaseClock.objects.filter(case=case, stopped_on__isnull=True).exclude(name__in=[
        c.name for c in kind.clocks if c.status == case.status]).update(stopped_on=today)  # fmt: skip
    for clock in kind.clocks:
        if clock.status == case.status and not case.clocks.filter(name=clock.name, stopped_on__isnull=True).exists():
            CaseClock.objects.create(case=case, name=clock.name, started_on=today, due_on=clock.deadline.due(today),
                                     working=clock.deadline.working)  # fmt: skip


def _mirrored(case: Case, kind: CaseKind) -> Case:
    if kind.mirror is not None:
        kind.mirror(case)
    return case


@atomic_audited
def case_open(*, actor, kind: str, org: Org, subject: str, note: str = "") -> Case:
    """立项: a new case of ``kind`` at ``org`` in the kind's first status with its deadline. A cadre opens it
    with a write role on ``org``; kinds opened for an applicant (``opened_by_cadre=False``) are opened by
    the app's own service on the applicant's behalf."""
    declared = kind_of(kind)
    if declared.opened_by_cadre:
        _require_write(actor, org)
    if not subject.strip():
        raise field_error("subject", "请填写事由。")
    if has_id_or_phone(subject):
        raise field_error("subject", "事由中不能含身份证号码或手机号码。")
    today = timezone.localdate()
    case = Case.objects.create(
        org=org, kind=kind, status=declared.initial, subject=subject.strip()[:200], opened_by=acting_user(actor),
        deadline=declared.deadline_from(declared.initial, today),
    )  # fmt: skip
    CaseStep.objects.create(case=case, actor=acting_user(actor), to_status=case.status, note=note[:500])
    _start_clocks(case, declared, today)
    audit_record(actor=actor, action="case.open", obj=case, org=org, detail={"kind": kind})
    return case


def _locked(case: Case, version: int) -> Case:
    fresh = Case.objects.select_for_update().get(pk=case.pk)
    fresh.org = case.org if case.org_id == fresh.org_id else Org.objects.get(pk=fresh.org_id)
    if fresh.version != version:
        raise ConflictError("该事项已被他人办理，请刷新后查看。")
    return fresh


def _blocked_by_notice(case: Case, today: dt.date) -> str:
    """Why the case may not move on while a notice is open or an objection is unanswered; "" if it may."""
    notice = case.notices.filter(closes_on__gte=today).order_by("-closes_on").first()
    if notice is not None:
        return f"公示期至 {notice.closes_on:%Y-%m-%d}，公示期满后才能继续办理。"
    if Objection.objects.filter(notice__case=case, answered_at__isnull=True).exists():
        return "公示收到的异议尚未全部答复，答复后才能继续办理。"
    return ""


def missing_documents(case: Case, kind: CaseKind) -> list[str]:
    present = set(case.attachments.values_list("document", flat=True))
    return [label for code, label in kind.required_documents.items() if code not in present]


def _check_move(case: Case, kind: CaseKind, to: str, rule: TransitionRule | None, note: str) -> TransitionRule:
    if rule is None:
        now, target = kind.status_label(case.status), kind.status_label(to)
        raise field_error("to", f"{kind.name}不能从“{now}”转为“{target}”。", code="not_allowed")
    if rule.reason_required and not note.strip():
        raise field_error("note", f"“{rule.label}”须填写理由。", code="reason_required")
    if blocked := _blocked_by_notice(case, timezone.localdate()):
        raise ValidationError(blocked, code="notice")
    if rule.requires_documents and (missing := missing_documents(case, kind)):
        raise ValidationError(f"还缺少以下材料：{'、'.join(missing)}。", code="documents")
    return rule


@atomic_audited
def case_transition(*, actor, case: Case, to: str, note: str = "", version: int, generic: bool = False) -> Case:
    """办理一步: moves ``case`` to ``to`` if the kind's table allows it, the actor may take the step, the
    version is the one read, a refusal or return has its reason, and no 公示 holds it; writes the step,
    restarts the deadline of the new status, starts or stops its clocks. ``generic``: asked through the
    case pages or API, which may not move kinds that have business of their own on their app's pages."""
    kind = kind_of(case.kind)
    rule = kind.rule(case.status, to)
    require_step(actor, case, rule or TransitionRule(label="办理"))
    if generic and kind.app_page is not None:
        raise ValidationError(f"{kind.name}请在业务页面办理。", code="app_page")
    case = _locked(case, version)
    _check_move(case, kind, to, kind.rule(case.status, to), note)
    today, previous = timezone.localdate(), case.status
    case.status, case.version, case.reminded_for = to, case.version + 1, None
    case.deadline = kind.deadline_from(to, today, case.deadline)
    case.closed_at = timezone.now() if to in kind.closed else None
    case.save(update_fields=["status", "version", "reminded_for", "deadline", "closed_at"])
    CaseStep.objects.create(case=case, actor=acting_user(actor), from_status=previous, to_status=to,
                            note=note.strip()[:500])  # fmt: skip
    _start_clocks(case, kind, today)
    audit_record(actor=actor, action="case.transition", obj=case, org=case.org,
                 detail={"kind": case.kind, "from": previous, "to": to})  # fmt: skip
    _tell_owner(case, kind, actor, note.strip())
    return _mirrored(case, kind)


def _owner_link(case: Case, kind: CaseKind) -> str:
    return kind.owner_page(case) if kind.owner_page is not None else ""


def _submitter(case: Case, kind: CaseKind):
    """The worker who submitted the case for themself (a cadre who entered it on someone's behalf is not)."""
    if kind.opened_by_cadre or case.opened_by_id is None:
        return None
    return None if access.grants_of(case.opened_by) else case.opened_by


def _tell_owner(case: Case, kind: CaseKind, actor, note: str) -> None:
    """The worker who submitted a case hears of a step someone else took: it now waits for them, it is
    closed (with the reason), or its status changed."""
    if not kind.owner_messages or case.opened_by_id == getattr(actor, "pk", None):
        return
    if (submitter := _submitter(case, kind)) is None:
        return
    if case.status in kind.awaits_owner:
        event = "cases.action_needed"
    elif case.closed_at is not None:
        event = "cases.closed"
    else:
        event = "cases.step"
    context = {"kind": kind.name, "status": kind.status_label(case.status), "org": case.org.name,
               "note": f"说明：{note}" if note else "",
               "deadline": f"请在 {case.deadline:%Y年%m月%d日} 前办理。" if case.deadline else ""}  # fmt: skip
    notify(user=submitter, event=event, context=context, link=_owner_link(case, kind))


def _require_write_all(actor, org_ids) -> None:
    if actor is not None:
        for org in Org.objects.filter(pk__in=set(org_ids)):
            _require_write(actor, org)


@atomic_audited
def cases_open_bulk(*, actor, kind: str, org_ids: list[int], subject: str, note: str = "") -> list[Case]:
    """立项 in bulk (a daily job): one case of ``kind`` per entry of ``org_ids``, in the kind's first status
    with its deadline and first step, written with bulk inserts and audited once with the count. Returns
    the cases, saved, in the order of ``org_ids``."""
    declared = kind_of(kind)
    if declared.opened_by_cadre:
        _require_write_all(actor, org_ids)
    if not subject.strip() or has_id_or_phone(subject):
        raise field_error("subject", "事由不能为空，也不能含身份证号码或手机号码。")
    today, now, opener = timezone.localdate(), timezone.now(), acting_user(actor)
    deadline = declared.deadline_from(declared.initial, today)
    cases = Case.objects.bulk_create(
        Case(org_id=org_id, kind=kind, status=declared.initial, subject=subject.strip()[:200], opened_by=opener,
             opened_at=now, deadline=deadline)
        for org_id in org_ids
    )  # fmt: skip
    CaseStep.objects.bulk_create(
        CaseStep(case=case, actor=opener, at=now, to_status=declared.initial, note=note[:500]) for case in cases
    )
    CaseClock.objects.bulk_create(
        CaseClock(case=case, name=clock.name, started_on=today, due_on=clock.deadline.due(today),
                  working=clock.deadline.working)
        for case in cases for clock in declared.clocks if clock.status == declared.initial
    )  # fmt: skip
    if cases:
        audit_record(actor=actor, action="case.open_bulk", obj=None, org=None,
                     detail={"kind": kind, "count": len(cases)})  # fmt: skip
    return cases


@atomic_audited
def cases_close_bulk(*, actor, kind: str, case_ids: list[int], to: str, note: str) -> list[int]:
    """办结 in bulk: every open case of ``kind`` among ``case_ids`` whose status the table lets go to the closed
    status ``to`` moves there with one step each (bulk insert), the cases in one statement, audited once with
    the count. The others are left as they are. Returns the ids of the cases closed."""
    declared = kind_of(kind)
    if to not in declared.closed:
        raise field_error("to", f"“{declared.status_label(to)}”不是办结状态。", code="not_allowed")
    sources = [status for status in declared.transitions if declared.rule(status, to)]
    if any(declared.rule(status, to).reason_required for status in sources) and not note.strip():
        raise field_error("note", "办结须填写理由。", code="reason_required")
    rows = list(
        Case.objects.select_for_update()
        .filter(pk__in=case_ids, kind=kind, closed_at__isnull=True, status__in=sources)
        .values_list("pk", "status", "org_id")
    )
    _require_write_all(actor, [org_id for _, _, org_id in rows])
    now, closer, ids = timezone.now(), acting_user(actor), [pk for pk, _, _ in rows]
    CaseStep.objects.bulk_create(
        CaseStep(case_id=pk, actor=closer, at=now, from_status=status, to_status=to, note=note.strip()[:500])
        for pk, status, _ in rows
    )  # fmt: skip
    Case.objects.filter(pk__in=ids).update(status=to, version=F("version") + 1, deadline=None, reminded_for=None,
                                           closed_at=now)  # fmt: skip
    CaseClock.objects.filter(case_id__in=ids, stopped_on__isnull=True).update(stopped_on=timezone.localdate())
    if ids:
        audit_record(actor=actor, action="case.close_bulk", obj=None, org=None,
                     detail={"kind": kind, "to": to, "count": len(ids)})  # fmt: skip
    return ids


@atomic_audited
def case_reassign(*, actor, case: Case, org: Org, version: int, note: str = "") -> Case:
    """改派: a writer of the upper level hands the case to another union they may write; the new union gets a
    full deadline of its own and the escalation is cleared."""
    kind = kind_of(case.kind)
    require_step(actor, case, TransitionRule(label="改派", level=1))
    _require_write(actor, org)
    case = _locked(case, version)
    if org.pk == case.org_id:
        raise field_error("org", "改派的工会与当前承办工会相同。")
    old = case.org
    case.org, case.escalated_to, case.escalated_at, case.reminded_for = org, None, None, None
    case.deadline = kind.deadline_from(case.status, timezone.localdate(), case.deadline)
    case.version += 1
    case.save(update_fields=["org", "escalated_to", "escalated_at", "reminded_for", "deadline", "version"])
    CaseStep.objects.create(case=case, actor=acting_user(actor), from_status=case.status, to_status=case.status,
                            note=(note or f"由“{old.name}”改派至“{org.name}”")[:500])  # fmt: skip
    audit_record(actor=actor, action="case.reassign", obj=case, org=org, detail={"from_org": old.pk})
    return _mirrored(case, kind)


# ----- 公示 and objections --------------------------------------------------------------------------------------


def _public_text(**values: str) -> dict[str, str]:
    labels = {"person_name": "姓名", "unit": "单位", "decision": "拟决定事项"}
    for name, value in values.items():
        if not value.strip():
            raise field_error(name, f"请填写{labels[name]}。")
        if has_id_or_phone(value):
            raise field_error(name, "公示内容只能有姓名、单位和拟决定事项，不能含身份证号码或手机号码。")
    return {name: value.strip() for name, value in values.items()}


@atomic_audited
def notice_publish(*, actor, case: Case, audience: str, person_name: str, unit: str, decision: str,
                   days: int | None = None) -> PublicNotice:  # fmt: skip
    """公示: open from today for ``days`` working days (the kind's default, 5 unless it says otherwise)."""
    require_writer(actor, case)
    if case.closed_at is not None:
        raise ValidationError("事项已办结，不能再公示。")
    if audience not in PublicNotice.Audience.values:
        raise field_error("audience", "请选择公示范围。")
    days = kind_of(case.kind).notice_days if days is None else days
    if not 1 <= days <= 30:
        raise field_error("days", "公示期应为 1 至 30 个工作日。")
    text = _public_text(person_name=person_name[:50], unit=unit[:100], decision=decision[:200])
    today = timezone.localdate()
    notice = PublicNotice.objects.create(
        case=case, audience=audience, opens_on=today, closes_on=add_working_days(today, days),
        token=secrets.token_urlsafe(16), published_by=acting_user(actor), **text,
    )  # fmt: skip
    audit_record(actor=actor, action="case.notice_publish", obj=notice, org=case.org, detail={"days": days})
    return notice


def may_see_notice(user, notice: PublicNotice) -> bool:
    """A public notice: anyone; a subtree notice: the members of the handling union's subtree and its cadres."""
    if notice.audience == PublicNotice.Audience.PUBLIC:
        return True
    from gonghui.members.models import Membership

    org = notice.case.org
    if access.grant_covering(user, org) is not None:
        return True
    person = getattr(user, "person_id", None) if getattr(user, "is_authenticated", False) else None
    return (
        bool(person)
        and Membership.objects.filter(
            person_id=person, status=Membership.Status.ACTIVE, org__path__startswith=org.path
        ).exists()
    )


@atomic_audited
def objection_submit(*, actor, notice: PublicNotice, text: str, name: str, phone: str) -> Objection:
    """提出异议 while the notice is open; the objector's name and phone are encrypted together."""
    if not may_see_notice(actor, notice):
        raise Http404("公示不存在")
    if not notice.is_open_on(timezone.localdate()):
        raise ValidationError("公示期已结束，不能再提出异议。")
    if not text.strip():
        raise field_error("text", "请填写异议内容。")
    if not name.strip():
        raise field_error("name", "请填写异议人姓名。")
    try:
        number = parse_phone(phone)
    except ValidationError:
        raise field_error("phone", "请填写正确的手机号码，以便工会答复。") from None
    identity = crypto.encrypt(json.dumps({"name": name.strip()[:50], "phone": number}, ensure_ascii=False))
    objection = Objection.objects.create(notice=notice, text=text.strip()[:2000], objector_enc=identity)
    audit_record(actor=actor, action="case.objection_submit", obj=objection, org=notice.case.org)
    return objection


@atomic_audited
def objection_answer(*, actor, objection: Objection, answer: str) -> Objection:
    """答复异议 (once): by a writer of the handling union or above."""
    require_writer(actor, objection.notice.case)
    if not answer.strip():
        raise field_error("answer", "请填写答复内容。")
    if not Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
        answer=answer.strip()[:2000], answered_by=acting_user(actor), answered_at=timezone.now()
    ):
        raise ConflictError("该异议已答复。")
    objection.refresh_from_db()
    audit_record(actor=actor, action="case.objection_answer", obj=objection, org=objection.notice.case.org)
    return objection


# ----- attachments -----------------------------------------------------------------------------------------------


@atomic_audited
def attachment_add(*, actor, case: Case, document: str, file, file_name: str) -> CaseAttachment:
    """上传材料: checked by its content (PDF, image or workbook), stored encrypted, 0600 in a 0700 folder
    (core.files)."""
    require_writer(actor, case)
    kind = kind_of(case.kind)
    if document not in kind.required_documents and document != OTHER_DOCUMENT:
        raise field_error("document", "请选择材料类别。")
    attachment = attachment_store(case, file, document=document, file_name=file_name, uploaded_by=acting_user(actor))
    audit_record(actor=actor, action="case.attachment_add", obj=attachment, org=case.org,
                 detail={"document": document, "kind": attachment.file_kind})  # fmt: skip
    return attachment


def attachment_store(case: Case, file, *, document: str, file_name: str, uploaded_by, field: str = "file"
                     ) -> CaseAttachment:  # fmt: skip
    """The file checked by its content and stored encrypted as one of the case's materials; no access check or
    audit (the calling service does both; an anonymous filing's material names no uploader). A refused file is
    a 400 on ``field``."""
    try:
        checked = check_document(file)
    except ValidationError as error:
        raise field_error(field, error.messages[0], code=error.code or "invalid") from None
    relative = files.new_relative(Path("cases") / str(case.pk), checked.kind)
    digest, size = hashlib.sha256(), 0
    with files.create(relative) as out:
        while chunk := file.read(1024 * 1024):
            digest.update(chunk)
            size += len(chunk)
            out.write(chunk)
    return CaseAttachment.objects.create(
        case=case, document=document, file_name=Path(file_name).name[:200], file_path=str(relative),
        file_kind=checked.kind, size=size, sha256=digest.hexdigest(), uploaded_by=uploaded_by,
    )  # fmt: skip


# ----- the daily job ---------------------------------------------------------------------------------------------


def _escalate(case: Case, kind: CaseKind) -> int:
    with transaction.atomic():
        done = Case.objects.filter(pk=case.pk, escalated_to__isnull=True, closed_at__isnull=True).update(
            escalated_to=case.org.parent, escalated_at=timezone.now()
        )
        if done:
            case.refresh_from_db()
            CaseStep.objects.create(case=case, from_status=case.status, to_status=case.status,
                                    note=f"超过办理期限，升级至“{case.org.parent.name}”")  # fmt: skip
            audit_record(actor=None, action=f"{kind.code}.escalate", obj=case, org=case.org.parent,
                         detail={"deadline": case.deadline.isoformat()})  # fmt: skip
            _mirrored(case, kind)
    return done


def cases_escalate_overdue(*, today: dt.date, kind: str | None = None) -> int:
    """升级: open cases past their deadline go on the to-do list of the handling union's parent, once.
    Audited as ``<kind>.escalate``; returns how many."""
    overdue = Case.objects.open().filter(deadline__lt=today, escalated_to__isnull=True, org__parent__isnull=False)
    overdue = overdue.filter(kind=kind) if kind else overdue
    escalated = 0
    for case in overdue.select_related("org__parent").order_by("pk").iterator(chunk_size=500):
        declared = kind_of(case.kind)
        escalated += _escalate(case, declared) if declared.escalate else 0
    return escalated


def cases_remind(*, today: dt.date) -> int:
    """提醒: open cases whose deadline is within their kind's reminder days get, once per deadline, an audit
    event ``case.remind`` for the handling union, a message to the case's assignee, and one to its submitter
    when the case waits for them; returns how many cases were reminded."""
    reminded = 0
    soon = Case.objects.open().filter(deadline__gte=today).exclude(reminded_for=F("deadline"))
    for case in soon.select_related("org").order_by("pk").iterator(chunk_size=500):
        if case.deadline - dt.timedelta(days=kind_of(case.kind).remind_days_before) > today:
            continue
        with transaction.atomic():
            if Case.objects.filter(pk=case.pk, deadline=case.deadline).update(reminded_for=case.deadline):
                audit_record(actor=None, action="case.remind", obj=case, org=case.org,
                             detail={"deadline": case.deadline.isoformat()})  # fmt: skip
                _remind_people(case, kind_of(case.kind))
                reminded += 1
    return reminded


def _remind_people(case: Case, kind: CaseKind) -> None:
    context = {"kind": kind.name, "status": kind.status_label(case.status), "org": case.org.name,
               "deadline": f"{case.deadline:%Y年%m月%d日}"}  # fmt: skip
    if case.assignee_id is not None:
        notify(user=case.assignee, event="cases.deadline_near_handler", context=context,
               link=reverse("cases:detail", args=[case.pk]))  # fmt: skip
    if case.status in kind.awaits_owner and (submitter := _submitter(case, kind)) is not None:
        notify(user=submitter, event="cases.deadline_near", context=context, link=_owner_link(case, kind))


def cases_daily(*, today: dt.date) -> int:
    """The daily job: reminders before deadlines, then escalation after them."""
    return cases_remind(today=today) + cases_escalate_overdue(today=today)
