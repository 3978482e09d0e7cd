"""Every write to people, employers and memberships. Keyword-only, one transaction each, audited."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import Grant
from gonghui.cases.models import Case
from gonghui.cases.services import case_transition, cases_close_bulk, cases_open_bulk
from gonghui.core import crypto
from gonghui.core.audit import acting_user, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.identifiers import parse_uscc
from gonghui.core.pinyin import name_keys
from gonghui.core.sealed import NO_PHONE, SealedIdNumber, SealedPhone, seal_id_number, seal_phone, store_in
from gonghui.members import access as members_access
from gonghui.members import ecard
from gonghui.members.cases import LAPSE
from gonghui.members.cases import SUBJECT as LAPSE_SUBJECT
from gonghui.members.models import Employer, LapseWarning, Membership, Person, TransferRequest
from gonghui.members.policy import membership_policy
from gonghui.members.signals import membership_change
from gonghui.messages.services import notify
from gonghui.orgs import access
from gonghui.orgs.counts import member_counts_add
from gonghui.orgs.models import MEMBER_HOLDING_TYPES, Org, OrgType, Region
from gonghui.orgs.provinces import InProvince, province_of, province_of_path

PERSON_FIELDS = (
    "name", "ethnicity", "education", "employment_form", "is_migrant", "job_title", "employer",
)  # fmt: skip


def employer_resolve(*, name: str, uscc: str = "", region=None) -> Employer | None:
    """The employer with this credit code (or, without one, this exact name), created if new."""
    name = name.strip()
    if not name and not uscc:
        return None
    if uscc:
        code = parse_uscc(uscc)
        employer, _ = Employer.objects.get_or_create(uscc=code, defaults={"name": name or code, "region": region})
        return employer
    employer = Employer.objects.filter(name=name, uscc__isnull=True).first()
    return employer or Employer.objects.create(name=name, region=region)


def _sealed_phone(phone: str | SealedPhone) -> SealedPhone:
    if isinstance(phone, SealedPhone):
        return phone
    return seal_phone(phone) if phone.strip() else NO_PHONE


@dataclass(frozen=True)
class EmployerNamed:
    """An employer as a form or an API call names it. The service that takes it finds or creates the record
    inside its own transaction (employer_of), so a refused write keeps no new employer."""

    name: str = ""
    uscc: str = ""
    region: Region | None = None


def employer_of(employer: Employer | EmployerNamed | None) -> Employer | None:
    """The employer record: an EmployerNamed is resolved (created if new); a record or None passes as is."""
    if isinstance(employer, EmployerNamed):
        return employer_resolve(name=employer.name, uscc=employer.uscc, region=employer.region)
    return employer


def _set_name(person: Person, name: str) -> None:
    person.name = name.strip()
    if not person.name:
        raise field_error("name", "请填写姓名。")
    person.name_pinyin, person.name_initials = name_keys(person.name)


def _refuse_second_membership(*, actor, person: Person) -> None:
    current = person.memberships.filter(status=Membership.Status.ACTIVE).select_related("org").first()
    if current is None:
        return
    visible = access.grant_covering(actor, current.org) is not None
    where = f"“{current.org.name}”" if visible else "其他工会"
    raise field_error("id_number", f"此人已是{where}的会员，同一时间只能有一个有效会籍；如需转会请办理会员关系接转。",
                      code="already_member")  # fmt: skip


def new_card_number(org: Org, year: int) -> str:
    """Member card number: 6-digit area, 4-digit year, 7 random digits (17 digits, unlike ID and phone)."""
    return f"{org.region_id[:6].ljust(6, '0')}{year}{secrets.randbelow(10**7):07d}"


def _create_membership(*, org: Org, person: Person, joined_on: dt.date, card_number: str) -> Membership:
    for _ in range(5):
        number = card_number or new_card_number(org, joined_on.year)
        try:
            with transaction.atomic():
                return Membership.objects.create(person=person, org=org, card_number=number, joined_on=joined_on)
        except IntegrityError:
            if card_number:
                if Membership.objects.filter(card_number=card_number).exists():
                    raise field_error("card_number", f"会员证号 {card_number} 已被使用。") from None
                raise
    raise RuntimeError("could not allocate a member card number")


@transaction.atomic
def member_create(
    *,
    actor,
    org: Org,
    name: str,
    id_number: str | SealedIdNumber,
    phone: str | SealedPhone = "",
    ethnicity: str = "汉族",
    education: str = "",
    employment_form: str = "standard",
    is_migrant: bool = False,
    employer: Employer | EmployerNamed | None = None,
    job_title: str = "",
    joined_on: dt.date | None = None,
    card_number: str = "",
) -> Membership:
    """入会登记: a person joins ``org``; an existing person without an active membership re-joins.
    ``id_number`` and ``phone`` as typed, or sealed already (a join application's, carried over as they are)."""
    access.require_write(actor, org)
    if org.org_type not in MEMBER_HOLDING_TYPES:
        raise field_error("org", f"{org.get_org_type_display()}不直接发展会员，请选择基层工会或乡镇（街道）工会。")
    if org.status == Org.Status.REVOKED:
        raise field_error("org", f"“{org.name}”已撤销，不能登记会员。")
    identity = id_number if isinstance(id_number, SealedIdNumber) else seal_id_number(id_number)
    person = Person.objects.filter(id_number_bidx=identity.index).first()
    if person is not None:
        _refuse_second_membership(actor=actor, person=person)
    else:
        person = Person()
        store_in(person, identity)
    _set_name(person, name)
    store_in(person, _sealed_phone(phone))
    person.ethnicity, person.education, person.employment_form = ethnicity, education, employment_form
    person.is_migrant, person.employer, person.job_title = is_migrant, employer_of(employer), job_title
    person.full_clean(exclude=["id_number_enc", "phone_enc"])
    person.save()
    joined_on = joined_on or dt.date.today()
    with membership_change(person_ids=[person.pk], since=joined_on, org_ids={org.pk}):
        membership = _create_membership(org=org, person=person, joined_on=joined_on, card_number=card_number.strip())
    member_counts_add({org: 1})
    audit_record(actor=actor, action="member.create", obj=person, org=org, detail={"card": membership.card_number})
    return membership


@transaction.atomic
def member_update(
    *, actor, person: Person, version: int, id_number: str | None = None, phone: str | None = None, **changes
) -> Person:
    """Correct a person's record; ``version`` is the one the editor read (409 if it moved on)."""
    members_access.require_person_write(actor, person)
    unknown = set(changes) - set(PERSON_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if "name" in changes:
        _set_name(person, changes.pop("name"))
    if "employer" in changes:
        changes["employer"] = employer_of(changes["employer"])
    for field, value in changes.items():
        setattr(person, field, value)
    if id_number is not None:
        store_in(person, seal_id_number(id_number))
        clash = Person.objects.filter(id_number_bidx=person.id_number_bidx).exclude(pk=person.pk).exists()
        if clash:
            raise field_error("id_number", "该身份证号码已登记在另一名职工名下。", code="id_taken")
    if phone is not None:
        store_in(person, _sealed_phone(phone))
    person.full_clean(exclude=["id_number_enc", "phone_enc"])
    person.version = version + 1
    fields = [f.attname for f in Person._meta.concrete_fields if f.name not in {"id", "created_at", "province"}]
    updated = Person.objects.filter(pk=person.pk, version=version).update(
        **{f: getattr(person, f) for f in fields if f != "version"}, version=version + 1
    )
    if not updated:
        raise ConflictError()
    changed = sorted(set(changes) | {k for k, v in (("id_number", id_number), ("phone", phone)) if v is not None})
    audit_record(actor=actor, action="member.update", obj=person, org=members_access.home_org(person),
                 detail={"fields": changed})  # fmt: skip
    return person


def member_unmask(*, actor, person: Person) -> dict[str, str]:
    """查看完整信息: decrypts the ID and phone for someone holding the permission; always audited."""
    org = members_access.home_org(person)
    if not access.can_unmask(actor, org):
        audit_record(actor=actor, action="member.unmask", obj=person, org=org, result="denied")
        raise PermissionDenied("您没有查看完整个人信息的权限。")
    audit_record(actor=actor, action="member.unmask", obj=person, org=org)
    return {
        "id_number": crypto.decrypt(person.id_number_enc),
        "phone": crypto.decrypt(person.phone_enc) if person.phone_enc else "",
    }


@transaction.atomic
def membership_end(*, actor, membership: Membership, status: str, reason: str, ended_on: dt.date | None = None):
    """退会、除名或身故: ends an active membership; the row stays as history."""
    access.require_write(actor, membership.org)
    if status not in {Membership.Status.WITHDRAWN, Membership.Status.LAPSED, Membership.Status.DECEASED}:
        raise field_error("status", "终止会籍只能选择退会、除名或已故。")
    if not reason.strip():
        raise field_error("end_reason", "请填写终止原因。")
    membership.status, membership.end_reason = status, reason.strip()
    membership.ended_on = ended_on or dt.date.today()
    # Conditional on the row still being active: a stale copy (a form sent twice) changes nothing.
    with membership_change(person_ids=[membership.person_id], since=membership.ended_on):
        ended = Membership.objects.filter(pk=membership.pk, status=Membership.Status.ACTIVE).update(
            status=status, end_reason=membership.end_reason, ended_on=membership.ended_on
        )
    if not ended:
        raise ValidationError("该会籍已终止。")
    lapse_warnings_lift(actor=actor, warnings=LapseWarning.objects.filter(membership=membership), reason="会籍已终止")
    member_counts_add({membership.org: -1})
    audit_record(actor=actor, action="membership.end", obj=membership, org=membership.org,
                 detail={"status": status})  # fmt: skip
    return membership


# ----- 会员关系接转 and other changes of membership status -------------------------------------------------------


def _locked_transfer(transfer: TransferRequest, status: str) -> TransferRequest:
    """The transfer's row, locked, still in ``status``; a stale copy (a form sent twice) is refused."""
    fresh = TransferRequest.objects.select_for_update().select_related("from_org", "to_org").get(pk=transfer.pk)
    if fresh.status != status:
        raise ValidationError(f"该接转当前状态为“{fresh.get_status_display()}”，不能办理此步骤。")
    return fresh


@transaction.atomic
def transfer_start(*, actor, membership: Membership, to_org: Org, reason: str) -> TransferRequest:
    """发起转会: by a writer of the sending union, or by the member themself through their worker account."""
    if access.can_write(actor, membership.org):
        initiated_by = TransferRequest.Initiator.UNION
    elif members_access.is_own_membership(actor, membership):
        initiated_by = TransferRequest.Initiator.MEMBER
    else:
        access.require_role(actor, membership.org, access.WRITE_ROLES)  # 404 out of scope, 403 read-only
        raise access.deny(actor, "没有发起转会的权限。", membership.org)
    if membership.status != Membership.Status.ACTIVE:
        raise field_error("membership", "只有有效会籍才能办理转会。")
    if to_org.org_type not in MEMBER_HOLDING_TYPES:
        raise field_error(
            "to_org", f"{to_org.get_org_type_display()}不直接接收会员，请选择基层工会或乡镇（街道）工会。"
        )
    if to_org.status != Org.Status.ACTIVE:
        raise field_error("to_org", f"“{to_org.name}”不是正常状态的工会，不能接收会员。")
    if to_org.pk == membership.org_id:
        raise field_error("to_org", "转入工会与当前所在工会相同。")
    if not reason.strip():
        raise field_error("reason", "请填写转会原因。")
    if TransferRequest.objects.filter(membership=membership, status__in=TransferRequest.OPEN).exists():
        raise field_error("to_org", "此会员已有一项正在办理的转会。", code="transfer_open")
    try:
        with transaction.atomic():
            transfer = TransferRequest.objects.create(
                membership=membership, from_org=membership.org, to_org=to_org, card_number=membership.card_number,
                initiated_by=initiated_by, reason=reason.strip(), requested_by=acting_user(actor),
            )  # fmt: skip
    except IntegrityError:  # a concurrent start won the race (transfer_one_open_per_membership)
        raise field_error("to_org", "此会员已有一项正在办理的转会。", code="transfer_open") from None
    audit_record(actor=actor, action="transfer.start", obj=transfer, org=membership.org,
                 detail={"to_org": to_org.pk, "initiated_by": initiated_by})  # fmt: skip
    return transfer


@transaction.atomic
def transfer_release(*, actor, transfer: TransferRequest) -> TransferRequest:
    """转出: the sending union lets the member go."""
    members_access.require_transfer_side(actor, transfer, "from")
    transfer = _locked_transfer(transfer, TransferRequest.Status.REQUESTED)
    transfer.status, transfer.released_at, transfer.released_by = "released", timezone.now(), acting_user(actor)
    transfer.save(update_fields=["status", "released_at", "released_by"])
    audit_record(actor=actor, action="transfer.release", obj=transfer, org=transfer.from_org)
    return transfer


def moved_card_number(membership: Membership) -> str:
    """The number an ended membership keeps once its card has travelled on (see TransferRequest)."""
    suffix = f"@{membership.pk}"
    return membership.card_number[: 32 - len(suffix)] + suffix


@transaction.atomic
def transfer_accept(*, actor, transfer: TransferRequest) -> TransferRequest:
    """接收: the old membership ends as 已转出 and a new one starts at the receiving union with the same card
    and joining date; both unions' member counts follow."""
    members_access.require_transfer_side(actor, transfer, "to")
    return _transfer_complete(actor=actor, transfer=transfer)


def _transfer_complete(*, actor, transfer: TransferRequest) -> TransferRequest:
    transfer = _locked_transfer(transfer, TransferRequest.Status.RELEASED)
    old = Membership.objects.select_for_update().get(pk=transfer.membership_id)
    if old.status != Membership.Status.ACTIVE or old.org_id != transfer.from_org_id:
        raise ValidationError("该会籍已变化，不能再接收，请重新发起转会。")
    if transfer.to_org.status != Org.Status.ACTIVE:
        raise ValidationError(f"“{transfer.to_org.name}”已不是正常状态的工会，不能接收会员。")
    today = timezone.localdate()
    # The new membership keeps the joining date; it holds the member from today, when the old one ends.
    with membership_change(person_ids=[old.person_id], since=today, org_ids={transfer.to_org_id}):
        Membership.objects.filter(pk=old.pk).update(
            status=Membership.Status.TRANSFERRED, ended_on=today, end_reason=f"转至{transfer.to_org.name}",
            card_number=moved_card_number(old), card_key=None,
        )  # fmt: skip
        new = Membership.objects.create(
            person_id=old.person_id, org=transfer.to_org, card_number=old.card_number, joined_on=old.joined_on,
            is_retired=old.is_retired, last_active_on=old.last_active_on, card_key=old.card_key,
        )  # fmt: skip
    # Lifted by the platform: the receiving union need not write at the sending one.
    lapse_warnings_lift(actor=None, warnings=LapseWarning.objects.filter(membership=old), reason="会员已转会")
    member_counts_add({transfer.from_org: -1, transfer.to_org: 1})
    transfer.status, transfer.new_membership = TransferRequest.Status.ACCEPTED, new
    transfer.decided_at, transfer.decided_by = timezone.now(), acting_user(actor)
    transfer.save(update_fields=["status", "new_membership", "decided_at", "decided_by"])
    audit_record(actor=actor, action="transfer.accept", obj=transfer, org=transfer.to_org,
                 detail={"from_org": transfer.from_org_id, "membership": new.pk})  # fmt: skip
    notify(person=new.person, event="members.transfer_done", link=reverse("portal:transfer"),
           context={"from_org": transfer.from_org.name, "to_org": transfer.to_org.name})  # fmt: skip
    return transfer


@transaction.atomic
def transfer_reject(*, actor, transfer: TransferRequest, reason: str) -> TransferRequest:
    """拒绝: the receiving union refuses a released transfer, or the sending union refuses a request still
    waiting for it; the member stays where they are. A reason is required."""
    if not reason.strip():
        raise field_error("reason", "请填写拒绝原因。")
    side = "from" if transfer.status == TransferRequest.Status.REQUESTED else "to"
    members_access.require_transfer_side(actor, transfer, side)
    transfer = _locked_transfer(transfer, transfer.status if transfer.is_open else TransferRequest.Status.RELEASED)
    transfer.status, transfer.reject_reason = TransferRequest.Status.REJECTED, reason.strip()
    transfer.decided_at, transfer.decided_by = timezone.now(), acting_user(actor)
    transfer.save(update_fields=["status", "reject_reason", "decided_at", "decided_by"])
    org = transfer.from_org if side == "from" else transfer.to_org
    audit_record(actor=actor, action="transfer.reject", obj=transfer, org=org, detail={"side": side})
    notify(person=transfer.membership.person, event="members.transfer_refused", link=reverse("portal:transfer"),
           context={"org": org.name, "to_org": transfer.to_org.name, "reason": transfer.reject_reason})  # fmt: skip
    return transfer


def memberships_mark_active(*, membership_ids, on: dt.date) -> int:
    """Records that these members paid dues or took part on ``on`` (called by the services that record
    those, inside their transaction and audit); keeps the later date. Returns how many rows changed."""
    return Membership.objects.filter(
        Q(last_active_on__isnull=True) | Q(last_active_on__lt=on), pk__in=list(membership_ids)
    ).update(last_active_on=on)


@transaction.atomic
def transfer_cancel(*, actor, transfer: TransferRequest, reason: str) -> TransferRequest:
    """撤回: the member, or the sending union, withdraws a transfer not yet accepted; nothing moves."""
    if not reason.strip():
        raise field_error("reason", "请填写撤回原因。")
    if not members_access.is_own_membership(actor, transfer.membership):
        members_access.require_transfer_side(actor, transfer, "from")
    if not transfer.is_open:
        raise ValidationError(f"该接转当前状态为“{transfer.get_status_display()}”，不能撤回。")
    transfer = _locked_transfer(transfer, transfer.status)
    transfer.status, transfer.reject_reason = TransferRequest.Status.CANCELLED, reason.strip()
    transfer.decided_at, transfer.decided_by = timezone.now(), acting_user(actor)
    transfer.save(update_fields=["status", "reject_reason", "decided_at", "decided_by"])
    audit_record(actor=actor, action="transfer.cancel", obj=transfer, org=transfer.from_org)
    return transfer


def transfers_auto_accept(*, today: dt.date) -> int:
    """The daily job: released transfers the receiving union left unanswered for the policy's number of days
    are accepted on its behalf (audited with no actor). Each in its own transaction; returns how many."""
    days = membership_policy().transfer_auto_accept_days
    if days is None:
        return 0
    cutoff = timezone.make_aware(dt.datetime.combine(today - dt.timedelta(days=days), dt.time.max))
    due = TransferRequest.objects.filter(status=TransferRequest.Status.RELEASED, released_at__lte=cutoff)
    accepted = 0
    for transfer in due.order_by("pk").iterator(chunk_size=membership_policy().batch_size):
        try:
            with transaction.atomic():
                _transfer_complete(actor=None, transfer=transfer)
        except ValidationError:
            continue  # the membership or the receiving union changed meanwhile: left for people to decide
        accepted += 1
    return accepted


# ----- 电子会员证 --------------------------------------------------------------------------------------------


@transaction.atomic
def ecard_issue(*, actor, membership: Membership) -> Membership:
    """The member's e-card key, drawn the first time the card is shown; the same key afterwards."""
    if not members_access.is_own_membership(actor, membership):
        access.require_write(actor, membership.org)
    if membership.card_key:
        return membership
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError("会籍已终止，不能领取电子会员证。")
    key = ecard.new_card_key()
    if Membership.objects.filter(pk=membership.pk, card_key__isnull=True).update(card_key=key):
        membership.card_key = key
        audit_record(actor=actor, action="ecard.issue", obj=membership, org=membership.org)
    else:  # issued concurrently
        membership.card_key = Membership.objects.values_list("card_key", flat=True).get(pk=membership.pk)
    return membership


@transaction.atomic
def ecard_revoke(*, actor, membership: Membership, reason: str) -> Membership:
    """作废: every code shown so far stops verifying; the member's card shows a new one (the member themself,
    e.g. a screenshot went round, or a writer of their union)."""
    if not members_access.is_own_membership(actor, membership):
        access.require_role(actor, membership.org, access.WRITE_ROLES)
    if not reason.strip():
        raise field_error("reason", "请填写作废原因。")
    if membership.status != Membership.Status.ACTIVE:
        raise ValidationError("会籍已终止，电子会员证已自动失效。")
    membership.card_key = ecard.new_card_key()
    Membership.objects.filter(pk=membership.pk).update(card_key=membership.card_key)
    audit_record(actor=actor, action="ecard.revoke", obj=membership, org=membership.org,
                 detail={"reason": reason.strip()[:100]})  # fmt: skip
    return membership


# ----- 会籍预警 (six months without dues or activity) ----------------------------------------------------------


def _months_before(day: dt.date, months: int) -> dt.date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    last_day = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last_day))


def lapse_warnings_raise(*, today: dt.date) -> int:
    """The daily job: every active, non-retired membership with no dues or activity recorded for the
    policy's months (counting from joining when nothing was recorded) gets one open warning; open warnings
    whose member has paid or taken part since are resolved. Batched; returns how many were raised."""
    policy = membership_policy()
    cutoff = _months_before(today, policy.lapse_after_months)
    resumed = LapseWarning.objects.filter(membership__last_active_on__gt=F("inactive_since"))
    lapse_warnings_lift(actor=None, warnings=resumed, reason="已恢复缴费或参加活动", batch_size=policy.batch_size)
    inactive = (
        Membership.objects.filter(status=Membership.Status.ACTIVE, is_retired=False)
        .filter(Q(last_active_on__lte=cutoff) | Q(last_active_on__isnull=True, joined_on__lte=cutoff))
        .exclude(lapse_warnings__status__in=LapseWarning.OPEN_STATUSES)
        .values_list("pk", "org_id", "last_active_on", "joined_on")
    )
    raised = 0
    batch: list[LapseWarning] = []
    for pk, org_id, last_active_on, joined_on in inactive.iterator(chunk_size=policy.batch_size):
        batch.append(LapseWarning(membership_id=pk, org_id=org_id, inactive_since=last_active_on or joined_on,
                                  raised_on=today))  # fmt: skip
        if len(batch) >= policy.batch_size:
            raised += _raise_batch(batch)
            batch = []
    return raised + _raise_batch(batch)


def _raise_batch(batch: list[LapseWarning]) -> int:
    if not batch:
        return 0
    with transaction.atomic():
        cases = cases_open_bulk(actor=None, kind=LAPSE, org_ids=[w.org_id for w in batch], subject=LAPSE_SUBJECT)
        for warning, case in zip(batch, cases, strict=True):
            warning.case = case
        LapseWarning.objects.bulk_create(batch, ignore_conflicts=True)  # a warning raised meanwhile stays
        Case.objects.filter(pk__in=[c.pk for c in cases], lapse_warning__isnull=True).delete()  # and so its case
        audit_record(actor=None, action="lapse.raise", obj=None, org=None, detail={"count": len(batch)})
    return len(batch)


def lapse_warnings_lift(*, actor, warnings: QuerySet[LapseWarning], reason: str, batch_size: int = 1000) -> int:
    """解除 the open ones of ``warnings`` (dues or activity resumed, membership ended, transferred, retired):
    their cases are closed in bulk with ``reason`` as the step's note; returns how many."""
    lifted = 0
    while ids := list(warnings.filter(status__in=LapseWarning.OPEN_STATUSES).values_list("case_id", flat=True)[
        :batch_size
    ]):  # fmt: skip
        with transaction.atomic():
            closed = cases_close_bulk(actor=actor, kind=LAPSE, case_ids=ids, to=LapseWarning.Status.RESOLVED,
                                      note=reason)  # fmt: skip
            LapseWarning.objects.filter(case_id__in=closed).update(
                status=LapseWarning.Status.RESOLVED, closed_at=timezone.now(), closed_by=acting_user(actor),
                close_reason=reason,
            )  # fmt: skip
        lifted += len(closed)
        if len(closed) < len(ids):
            break  # some were taken meanwhile: the next run sees them
    return lifted


def _locked_warning(warning: LapseWarning, statuses) -> LapseWarning:
    fresh = LapseWarning.objects.select_for_update().select_related("membership", "org").get(pk=warning.pk)
    if fresh.status not in statuses:
        raise ValidationError(f"该预警当前状态为“{fresh.get_status_display()}”，不能办理此步骤。")
    return fresh


def _lapse_step(actor, warning: LapseWarning, to: str, note: str) -> None:
    """The case takes the step (its table, access and history); the warning's status follows it."""
    case = Case.objects.get(pk=warning.case_id)
    case = case_transition(actor=actor, case=case, to=to, note=note, version=case.version)
    warning.status, warning.case = case.status, case


@transaction.atomic
def lapse_counsel(*, actor, warning: LapseWarning, note: str, counselled_on: dt.date | None = None,
                  good_reason: bool = False) -> LapseWarning:  # fmt: skip
    """谈话教育: the union records the talk. With a good reason (长期病假、外派……) the warning is lifted."""
    access.require_role(actor, warning.org, access.WRITE_ROLES)
    if not note.strip():
        raise field_error("note", "请填写谈话情况。")
    counselled_on = counselled_on or timezone.localdate()
    if counselled_on > timezone.localdate() or counselled_on < warning.raised_on:
        raise field_error("counselled_on", "谈话日期应在预警之后、且不晚于今天。")
    warning = _locked_warning(warning, LapseWarning.OPEN_STATUSES)
    _lapse_step(actor, warning, LapseWarning.Status.RESOLVED if good_reason else LapseWarning.Status.COUNSELLED,
                note)  # fmt: skip
    warning.counselled_on, warning.counselled_by, warning.counsel_note = counselled_on, acting_user(actor), note.strip()
    fields = ["counselled_on", "counselled_by", "counsel_note"]
    if good_reason:
        warning.close_reason, warning.closed_at, warning.closed_by = "有正当理由", timezone.now(), acting_user(actor)
        fields += ["closed_at", "closed_by", "close_reason"]
    warning.save(update_fields=fields)
    audit_record(actor=actor, action="lapse.counsel", obj=warning, org=warning.org,
                 detail={"good_reason": good_reason})  # fmt: skip
    return warning


@transaction.atomic
def membership_lapse(*, actor, warning: LapseWarning) -> LapseWarning:
    """视为自动退会: only after a recorded talk, and only if the member neither paid nor took part since."""
    access.require_role(actor, warning.org, access.WRITE_ROLES)
    warning = _locked_warning(warning, {LapseWarning.Status.OPEN, LapseWarning.Status.COUNSELLED})
    if warning.status != LapseWarning.Status.COUNSELLED:
        raise ValidationError("除名前须先进行谈话教育并记录谈话情况。")
    membership = warning.membership
    if membership.last_active_on and membership.last_active_on > warning.inactive_since:
        raise ValidationError("该会员预警后已缴纳会费或参加活动，不能除名。")
    warning.close_reason = "经谈话教育未改正"
    _lapse_step(actor, warning, LapseWarning.Status.LAPSED, warning.close_reason)  # before the membership ends
    membership_end(actor=actor, membership=membership, status=Membership.Status.LAPSED,
                   reason="连续六个月不缴纳会费、不参加工会组织生活，经教育拒不改正，视为自动退会")  # fmt: skip
    warning.closed_at, warning.closed_by = timezone.now(), acting_user(actor)
    warning.save(update_fields=["closed_at", "closed_by", "close_reason"])
    return warning


@transaction.atomic
def membership_retire(*, actor, membership: Membership) -> Membership:
    """退休: the member keeps membership in the same union (章程), marked as a retiree (no dues)."""
    access.require_role(actor, membership.org, access.WRITE_ROLES)
    with membership_change(person_ids=[membership.person_id], since=None):  # a retiree's membership owes nothing
        marked = Membership.objects.filter(pk=membership.pk, status=Membership.Status.ACTIVE, is_retired=False).update(
            is_retired=True
        )
    if not marked:
        raise ValidationError("只有有效且尚未退休的会籍才能登记退休。")
    lapse_warnings_lift(actor=actor, warnings=LapseWarning.objects.filter(membership=membership),
                        reason="已退休，保留会籍免缴会费")  # fmt: skip
    membership.is_retired = True
    audit_record(actor=actor, action="membership.retire", obj=membership, org=membership.org)
    return membership


def employer_closable(org: Org) -> bool:
    """A grassroots union (with an upper level) that can still be revoked because its employer closed."""
    return org.org_type in {OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS} and org.parent_id is not None


@transaction.atomic
def employer_close(*, actor, org: Org) -> int:
    """单位关闭: the grassroots union is dissolved (撤销) and all its active memberships move, in one statement,
    to the upper-level union (章程). Open transfers to or from it are withdrawn. Returns how many moved."""
    if not employer_closable(org):
        raise field_error("org", "只有基层工会可以因单位关闭而撤销。")
    parent = org.parent
    access.require_role(actor, parent, {Grant.Role.ADMIN})  # the upper-level union decides
    org = Org.objects.select_for_update().get(pk=org.pk)
    if org.status == Org.Status.REVOKED:
        raise field_error("org", f"“{org.name}”已撤销。")
    if org.children.exclude(status=Org.Status.REVOKED).exists():
        raise field_error("org", "请先撤销或移出其下级组织（分工会、工会小组）。")
    TransferRequest.objects.filter(Q(from_org=org) | Q(to_org=org), status__in=TransferRequest.OPEN).update(
        status=TransferRequest.Status.CANCELLED, decided_at=timezone.now(), decided_by=acting_user(actor),
        reject_reason=f"“{org.name}”因单位关闭撤销",
    )  # fmt: skip
    with membership_change(person_ids=None, since=None, org_ids={org.pk, parent.pk}):
        moved = Membership.objects.filter(org=org, status=Membership.Status.ACTIVE).update(
            org=parent, province=province_of(parent)
        )
    open_warnings = LapseWarning.objects.filter(org=org, status__in=LapseWarning.OPEN_STATUSES)
    Case.objects.filter(pk__in=open_warnings.values("case_id")).update(org=parent)  # their cases move with them
    open_warnings.update(org=parent)
    Org.objects.filter(pk=org.pk).update(status=Org.Status.REVOKED, version=F("version") + 1)
    member_counts_add({org: -moved, parent: moved})
    audit_record(actor=actor, action="org.employer_close", obj=org, org=parent, detail={"moved": moved})
    return moved


def departed_phones_erase(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention (保存期限): the phone numbers of people with no membership active or ended since ``cutoff``
    (and on record since before it) are erased, in committed batches; how many were."""
    recent = Membership.objects.filter(person=OuterRef("pk")).filter(
        Q(status=Membership.Status.ACTIVE) | Q(ended_on__gte=timezone.localdate(cutoff))
    )
    stale = Person.objects.exclude(phone_enc="").filter(created_at__lt=cutoff).exclude(Exists(recent))
    return in_batches(stale, lambda ids: Person.objects.filter(pk__in=ids).update(
        phone_enc="", phone_bidx="", phone_masked="", version=F("version") + 1), batch_size)  # fmt: skip


def provinces_follow_move(*, path: str) -> int:
    """After the subtree at ``path`` moved (orgs.services.org_move, same transaction): its memberships take the
    province of their union's new place, and so do the people they hold (decision 0052), and the rows of every
    ``InProvince`` model of the areas kept by its unions (decision 0055). Nothing to do for a move inside one
    province. Returns the memberships updated."""
    province = province_of_path(path)
    for model in apps.get_models():
        if issubclass(model, InProvince):
            model.objects.filter(org__path__startswith=path).exclude(province=province).update(province=province)
    memberships = Membership.objects.filter(org__path__startswith=path).exclude(province=province)
    people = memberships.values("person_id")
    moved_people = Person.objects.filter(pk__in=people).exclude(province=province)
    # The person follows an active membership in the subtree, or, with none active anywhere, a former one.
    active_elsewhere = Membership.objects.filter(person=OuterRef("pk"), status=Membership.Status.ACTIVE).exclude(
        org__path__startswith=path
    )
    moved_people.exclude(Exists(active_elsewhere)).update(province=province)
    return memberships.update(province=province)
