"""Writes of learning accounts: courses, completions (one by one, or a sheet imported all or nothing through
core.sheet_import), reading check-ins with the policy's credits, and the retention of old check-ins."""

import datetime as dt
import secrets
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone

from gonghui.core import crypto
from gonghui.core.audit import atomic_audited, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import field_error
from gonghui.core.identifiers import parse_id_number
from gonghui.core.sealed import id_number_index
from gonghui.core.sheet_import import SheetSpec, checked_for_import
from gonghui.core.spreadsheets import compact_text, parse_date
from gonghui.learning.credits import reading_credits
from gonghui.learning.models import CheckIn, Completion, Course, Source
from gonghui.learning.policy import reading_rule
from gonghui.members.models import Membership, Person
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.venues.models import Kind as VenueKind
from gonghui.venues.models import Venue

MAX_IMPORT_ROWS = 5000
ONE_DECIMAL = Decimal("0.1")

# ----- courses ---------------------------------------------------------------------------------------------------


def _amount(field: str, label: str, value, *, positive: bool = False, top: Decimal = Decimal("999.9")) -> Decimal:
    try:
        number = Decimal(str(value)).quantize(ONE_DECIMAL)
    except (InvalidOperation, ValueError):
        raise field_error(field, f"{label}须为数字（可保留一位小数）。") from None
    if number < 0 or (positive and number == 0) or number > top:
        limit = "大于 0" if positive else "不小于 0"
        raise field_error(field, f"{label}须{limit}且不超过 {top}。")
    return number


@atomic_audited
def course_create(*, actor, org: Org, title: str, provider: str, category: str, mode: str, hours, credits,
                  starts_on: dt.date, ends_on: dt.date) -> Course:  # fmt: skip
    """登记课程培训 at ``org`` (for the members of its subtree)."""
    access.require_write(actor, org)
    title, provider = (title or "").strip(), (provider or "").strip()
    errors = {}
    if not title:
        errors["title"] = "请填写课程名称。"
    if not provider:
        errors["provider"] = "请填写授课或承办单位。"
    if starts_on and ends_on and ends_on < starts_on:
        errors["ends_on"] = "结束日期不能早于开始日期。"
    if errors:
        raise ValidationError({k: ValidationError(v) for k, v in errors.items()})
    course = Course.objects.create(
        org=org, title=title, provider=provider, category=category, mode=mode, starts_on=starts_on, ends_on=ends_on,
        hours=_amount("hours", "学时", hours, positive=True), credits=_amount("credits", "学分", credits),
        created_by=actor if getattr(actor, "is_authenticated", False) else None)  # fmt: skip
    audit_record(actor=actor, action="learning.course_create", obj=course, org=org)
    return course


# ----- completions -----------------------------------------------------------------------------------------------


def _membership_in(course: Course, person: Person, field: str) -> Membership:
    """The person's active membership, which must be in the course's audience (the union's subtree)."""
    membership = (Membership.objects.filter(person=person, status=Membership.Status.ACTIVE)
                  .select_related("org").first())  # fmt: skip
    if membership is None or not membership.org.path.startswith(course.org.path):
        raise field_error(field, f"{person.name}不是{course.org.name}及其下属工会的在册会员，不能登记这门课程。")
    return membership


def _completion_fields(course: Course, completed_on, score, credits, today: dt.date) -> dict:
    errors = {}
    if completed_on is None:
        errors["completed_on"] = "请填写结业日期。"
    elif completed_on < course.starts_on:
        errors["completed_on"] = f"结业日期不能早于课程开始日期 {course.starts_on:%Y-%m-%d}。"
    elif completed_on > today:
        errors["completed_on"] = "结业日期不能晚于今天。"
    fields = {}
    for name, label, value, default in (("score", "成绩", score, None), ("credits", "学分", credits, course.credits)):
        if value in (None, ""):
            fields[name] = default
            continue
        try:
            fields[name] = _amount(name, label, value, top=Decimal(100) if name == "score" else Decimal("999.9"))
        except ValidationError as error:
            errors[name] = error.messages[0]
    if errors:
        raise ValidationError({k: ValidationError(v) for k, v in errors.items()})
    return {"completed_on": completed_on, "year": completed_on.year, **fields}


@atomic_audited
def completion_record(*, actor, course: Course, person: Person, completed_on: dt.date, score=None,
                      credits=None) -> Completion:  # fmt: skip
    """登记结业: a member of the course's audience completed it. The cadre writes for the member's union (the
    course's union covers its whole subtree)."""
    membership = _membership_in(course, person, "person")
    access.require_write(actor, membership.org)
    fields = _completion_fields(course, completed_on, score, credits, timezone.localdate())
    try:
        with transaction.atomic():
            completion = Completion.objects.create(
                course=course, person=person, org=membership.org, org_path=membership.org.path,
                key=secrets.token_urlsafe(12), source=Source.ENTRY,
                recorded_by=actor if getattr(actor, "is_authenticated", False) else None, **fields)  # fmt: skip
    except IntegrityError:
        raise field_error("person", f"{person.name}已有这门课程的结业记录。") from None
    audit_record(actor=actor, action="learning.completion_record", obj=completion, org=membership.org)
    return completion


IMPORT_HEADER = ("姓名", "身份证号码", "结业日期", "成绩", "学分")


def require_writer(actor) -> None:
    """A cadre with a write role on some union (the rows then say which members they may record): the read-only
    role gets the audited 403, a user without any grant the audited 403 of ``require_cadre``."""
    if actor is None:
        return
    access.require_cadre(actor)
    if not any(grant.role in access.WRITE_ROLES for grant in access.grants_of(actor)):
        raise access.deny(actor, access.ROLE_MESSAGE)


def completion_sheet(actor, course: Course) -> SheetSpec:
    """The completions sheet of ``course``: each row a member of the course's audience in the actor's writing
    scope, found by the full ID number (the name must match), not yet completed, not twice in the file."""
    require_writer(actor)
    today = timezone.localdate()
    done = set(Completion.objects.filter(course=course).values_list("person_id", flat=True))
    seen: set[int] = set()

    def check_row(values: dict[str, str]) -> dict:
        try:
            number = parse_id_number(compact_text(values["身份证号码"])).number
        except ValidationError as error:
            raise ValidationError(error.messages[0]) from None
        person = Person.objects.filter(id_number_bidx=id_number_index(number)).first()
        if person is None:
            raise ValidationError("没有这个身份证号码的会员。")
        if compact_text(values["姓名"]) != person.name:
            raise ValidationError("姓名与身份证号码对应的会员不一致。")
        membership = _membership_in(course, person, "file")
        if actor is not None and not access.can_write(actor, membership.org):
            raise ValidationError("这位会员不在您可以登记的工会中。")
        if person.pk in done:
            raise ValidationError("已有这门课程的结业记录。")
        if person.pk in seen:
            raise ValidationError("同一会员在表格中出现了两次。")
        try:
            completed_on = parse_date(values["结业日期"]) if values["结业日期"] else None
            fields = _completion_fields(course, completed_on, values["成绩"], values["学分"], today)
        except ValidationError as error:
            raise ValidationError("；".join(error.messages)) from None
        seen.add(person.pk)
        return {"person": person, "org": membership.org, "org_path": membership.org.path, **fields}

    return SheetSpec(header=IMPORT_HEADER, required=("姓名", "身份证号码", "结业日期"), check_row=check_row,
                     max_rows=MAX_IMPORT_ROWS, noun="条", what="结业记录")  # fmt: skip


@atomic_audited
def completions_import(*, actor, course: Course, upload) -> int:
    """导入结业记录: every row of the sheet or, when any row is wrong, none."""
    check = checked_for_import(upload, completion_sheet(actor, course))
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = [Completion(course=course, key=secrets.token_urlsafe(12), source=Source.IMPORT, recorded_by=user, **item)
            for item in check.items]  # fmt: skip
    try:
        with transaction.atomic():
            Completion.objects.bulk_create(rows)
    except IntegrityError:  # someone recorded one of these members meanwhile
        raise field_error("file", "导入期间有会员的结业记录被他人登记，未导入任何结业记录；请重新预检。") from None
    audit_record(actor=actor, action="learning.completions_import", obj=course, org=course.org,
                 detail={"count": len(rows)})  # fmt: skip
    return len(rows)


# ----- reading check-ins -----------------------------------------------------------------------------------------


def title_key(title: str) -> str:
    """A book's title for the once-a-day rule: no spaces, no 《》, case folded (《平凡的世界》 = 平凡的世界)."""
    return "".join(title.split()).strip("《》<>").casefold()


@atomic_audited
def checkin_create(*, actor, title: str, minutes, note: str = "", venue: Venue | None = None,
                   today: dt.date | None = None) -> CheckIn:  # fmt: skip
    """读书打卡 by the worker ``actor`` for today: credits by the province's rule, the day's total within its cap.
    The person's row is locked first, so two check-ins at once cannot both take the day's last credits."""
    today = today or timezone.localdate()
    person_id = getattr(actor, "person_id", None)
    membership = (Membership.objects.filter(person_id=person_id, status=Membership.Status.ACTIVE)
                  .select_related("org__region").first() if person_id else None)  # fmt: skip
    if membership is None:
        raise field_error("title", "读书打卡需要本人在册的会员身份。")
    rule = reading_rule(membership.org.region_id[:2])
    title = " ".join((title or "").split())
    errors = {}
    if not title_key(title):
        errors["title"] = "请填写书名。"
    elif len(title) > 100:
        errors["title"] = "书名不能超过 100 个字。"
    try:
        minutes = int(minutes)
    except (TypeError, ValueError):
        minutes = 0
    if not 1 <= minutes <= rule.max_minutes:
        errors["minutes"] = f"阅读时长须为 1 到 {rule.max_minutes} 分钟。"
    note = (note or "").strip()
    if len(note) > 500:
        errors["note"] = "读书心得不能超过 500 个字。"
    if venue is not None and (venue.kind != VenueKind.LIBRARY or not venue.is_active):
        errors["venue"] = "所选地点不是在用的职工书屋。"
    if errors:
        raise ValidationError({k: ValidationError(v) for k, v in errors.items()})
    Person.objects.select_for_update().filter(pk=person_id).first()
    key = title_key(title)
    already = CheckIn.objects.filter(person_id=person_id, title_key=key, read_on=today).first()
    if already is not None:
        raise field_error("title", f"今天已经为《{already.title.strip('《》')}》打过卡了，明天再来吧。")
    earned = CheckIn.objects.filter(person_id=person_id, read_on=today).aggregate(s=Sum("credits"))["s"] or 0
    credits = reading_credits(minutes, Decimal(earned), rule)
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                person_id=person_id, org=membership.org, org_path=membership.org.path, title=title, title_key=key,
                read_on=today, year=today.year, minutes=minutes, note_enc=crypto.encrypt(note) if note else "",
                venue=venue, credits=credits)  # fmt: skip
    except IntegrityError:
        raise field_error("title", f"今天已经为《{title.strip('《》')}》打过卡了，明天再来吧。") from None
    audit_record(actor=actor, action="learning.checkin", obj=checkin, org=membership.org)
    return checkin


def checkins_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention (learning_checkin): check-ins of days before ``cutoff`` are deleted, a committed batch at a time
    (the credits they gave go with them: a year that old is no longer asked for)."""

    def work(ids: list[int]) -> int:
        return CheckIn.objects.filter(pk__in=ids).delete()[0]

    return in_batches(CheckIn.objects.filter(read_on__lt=timezone.localtime(cutoff).date()), work, batch_size)
