"""Every write of personal-data protection. Keyword-only, one transaction each, audited.

Views have already decided scope (orgs.access for cadres; the signed-in worker's own person for the portal).
"""

import datetime as dt
import json
import secrets

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from gonghui.accounts.access import require_platform_actor
from gonghui.accounts.models import User
from gonghui.cases.services import case_open, case_transition
from gonghui.core import crypto, registry
from gonghui.core.audit import audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import field_error
from gonghui.members import access as members_access
from gonghui.members.models import Membership, Person
from gonghui.privacy.cases import DATA_REQUEST, SUBJECT
from gonghui.privacy.models import (
    ConsentCategory,
    ConsentRecord,
    DataExport,
    DataSubjectRequest,
    RetentionRule,
)
from gonghui.privacy.policy import privacy_policy

DELETED_NAME = "已删除"


def _org_of(person: Person):
    """The union holding the person's record (for the audit event), or None for a person without one."""
    memberships = Membership.objects.filter(person=person).select_related("org")
    current = memberships.filter(status=Membership.Status.ACTIVE).first()
    latest = current or memberships.order_by("-joined_on", "-id").first()
    return latest.org if latest else None


def age_on(birth_date: dt.date, day: dt.date) -> int:
    return day.year - birth_date.year - ((day.month, day.day) < (birth_date.month, birth_date.day))


# ---- consent ----------------------------------------------------------------------------------------


@transaction.atomic
def consent_give(
    *,
    actor,
    person: Person,
    category: str,
    purpose: str,
    text_version: str,
    given_by: str = ConsentRecord.GivenBy.SELF,
    guardian_name: str = "",
    guardian_relation: str = "",
    given_at: dt.datetime | None = None,
) -> ConsentRecord:
    """单独同意: one sensitive category for one purpose; a guardian consents for a child under 14."""
    members_access.require_self_or_person_write(actor, person)
    given_at = given_at or timezone.now()
    if category not in ConsentCategory.values:
        raise field_error("category", "请选择个人信息类别。")
    if not purpose.strip():
        raise field_error("purpose", "请填写处理目的。")
    if not text_version.strip():
        raise field_error("text_version", "请填写告知文本版本。")
    if given_by not in ConsentRecord.GivenBy.values:
        raise field_error("given_by", "请选择同意人。")
    minor = age_on(person.birth_date, timezone.localdate(given_at)) < privacy_policy().guardian_consent_under_age
    if minor and given_by != ConsentRecord.GivenBy.GUARDIAN:
        raise field_error("given_by", "本人不满十四周岁，应由其父母或其他监护人同意。", code="guardian_required")
    if given_by == ConsentRecord.GivenBy.GUARDIAN:
        if not guardian_name.strip():
            raise field_error("guardian_name", "请填写监护人姓名。")
        if not guardian_relation.strip():
            raise field_error("guardian_relation", "请填写监护人与本人的关系。")
    consent = ConsentRecord.objects.create(
        person=person, category=category, purpose=purpose.strip(), text_version=text_version.strip(),
        given_at=given_at, given_by=given_by, guardian_name=guardian_name.strip(),
        guardian_relation=guardian_relation.strip(), recorded_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit_record(actor=actor, action="privacy.consent.give", obj=consent, org=_org_of(person),
                 detail={"category": category, "text_version": consent.text_version, "given_by": given_by})  # fmt: skip
    return consent


@transaction.atomic
def consents_give_by_account(*, account: User, categories: tuple[str, ...], purpose: str,
                             text_version: str) -> list[ConsentRecord]:  # fmt: skip
    """单独同意 given by an account without a person record yet (an applicant, in the same transaction as the
    application): one record per category; they join the person's consents when the person is known
    (``consents_attach``)."""
    if account.person_id is not None:
        raise ValidationError("此账号已关联会员档案，同意应记录在会员名下。")
    now = timezone.now()
    consents = [ConsentRecord.objects.create(account=account, category=category, purpose=purpose,
                                             text_version=text_version, given_at=now, recorded_by=account)
                for category in categories]  # fmt: skip
    for consent in consents:
        detail = {"category": consent.category, "text_version": text_version, "given_by": "self"}
        audit_record(actor=account, action="privacy.consent.give", obj=consent, detail=detail)
    return consents


def consents_attach(*, account: User, person: Person) -> int:
    """The consents an account gave before it had a person record become that person's (inside the caller's
    transaction, e.g. the acceptance of the application they were given for); how many."""
    return ConsentRecord.objects.filter(account=account, person__isnull=True).update(person=person)


@transaction.atomic
def consent_withdraw(*, actor, consent: ConsentRecord) -> ConsentRecord:
    """撤回同意 (个人信息保护法第十五条): the record stays, with the time it was withdrawn. A consent not yet on a
    person record (an applicant's) goes with its application: withdrawing the application ends it."""
    if consent.person is None:
        raise ValidationError("入会申请办理期间的同意随申请一起撤回：如不再同意，请撤回入会申请。")
    members_access.require_self_or_person_write(actor, consent.person)
    now = timezone.now()
    withdrawn = ConsentRecord.objects.filter(pk=consent.pk, withdrawn_at__isnull=True).update(withdrawn_at=now)
    if not withdrawn:
        raise ValidationError("该同意已撤回。")
    consent.withdrawn_at = now
    audit_record(actor=actor, action="privacy.consent.withdraw", obj=consent, org=_org_of(consent.person),
                 detail={"category": consent.category})  # fmt: skip
    return consent


# ---- data-subject requests --------------------------------------------------------------------------


@transaction.atomic
def request_create(*, actor, person: Person, kind: str, details: str = "") -> DataSubjectRequest:
    """受理一项请求; the deadline is counted in working days from the day of receipt."""
    members_access.require_self_or_person_write(actor, person)
    if kind not in DataSubjectRequest.Kind.values:
        raise field_error("kind", "请选择请求类型。")
    details = details.strip()
    if kind == DataSubjectRequest.Kind.CORRECT and not details:
        raise field_error("details", "请说明哪项信息有误、应更正为什么。")
    if len(details) > 2000:
        raise field_error("details", "具体内容请不要超过 2000 字。")
    pending = DataSubjectRequest.objects.filter(person=person, kind=kind, status__in=DataSubjectRequest.OPEN)
    if pending.exists():
        raise field_error("kind", "您已有一项同类请求正在办理，请等待办结。", code="duplicate")
    org = _org_of(person)
    if org is None:
        raise ValidationError("该职工没有所属工会，请先办理入会或会员关系接转后再提交请求。")
    case = case_open(actor=actor, kind=DATA_REQUEST, org=org, subject=SUBJECT)
    request = DataSubjectRequest.objects.create(
        person=person, kind=kind, details=details, received_at=case.opened_at, due_on=case.deadline, case=case,
        created_by=actor if getattr(actor, "pk", None) else None,
    )  # fmt: skip
    audit_record(actor=actor, action="privacy.request.create", obj=request, org=_org_of(person),
                 detail={"kind": kind})  # fmt: skip
    return request


def _lock_open(request: DataSubjectRequest) -> DataSubjectRequest:
    locked = DataSubjectRequest.objects.select_for_update().select_related("person").get(pk=request.pk)
    if not locked.is_open:
        raise ValidationError(f"该请求已{locked.get_status_display()}，不能再办理。")
    return locked


def _step(actor, request: DataSubjectRequest, to: str, note: str = "") -> None:
    """The request's case takes the step (its table, the actor's access, history); the request follows it."""
    case = case_transition(actor=actor, case=request.case, to=to, note=note, version=request.case.version)
    request.status = case.status


@transaction.atomic
def request_start(*, actor, request: DataSubjectRequest) -> DataSubjectRequest:
    members_access.require_person_write(actor, request.person)
    request = _lock_open(request)
    _step(actor, request, DataSubjectRequest.Status.IN_PROGRESS)
    request.handled_by = actor
    request.save(update_fields=["handled_by"])
    audit_record(actor=actor, action="privacy.request.start", obj=request, org=_org_of(request.person))
    return request


@transaction.atomic
def request_complete(*, actor, request: DataSubjectRequest, note: str = "") -> DataSubjectRequest:
    """办结: an export gets its (encrypted) file; a deletion anonymises the person."""
    members_access.require_person_write(actor, request.person)
    request = _lock_open(request)
    _step(actor, request, DataSubjectRequest.Status.COMPLETED, note.strip()[:500])
    if request.kind == DataSubjectRequest.Kind.DELETE:
        person_anonymise(actor=actor, person=request.person)
    request.handled_by, request.result_note, request.completed_at = actor, note.strip()[:500], timezone.now()
    request.save(update_fields=["handled_by", "result_note", "completed_at"])
    if request.kind == DataSubjectRequest.Kind.EXPORT:
        DataExport.objects.create(request=request, payload_enc=crypto.encrypt(json.dumps(
            personal_data_of(request.person), ensure_ascii=False, indent=2)))  # fmt: skip
    audit_record(actor=actor, action="privacy.request.complete", obj=request, org=_org_of(request.person),
                 detail={"kind": request.kind})  # fmt: skip
    return request


@transaction.atomic
def request_refuse(*, actor, request: DataSubjectRequest, reason: str) -> DataSubjectRequest:
    """不予办理, always with the reason (个人信息保护法第五十条)."""
    members_access.require_person_write(actor, request.person)
    if not reason.strip():
        raise field_error("reason", "请填写不予办理的理由。")
    request = _lock_open(request)
    request.handled_by, request.refusal_reason, request.completed_at = actor, reason.strip()[:500], timezone.now()
    request.save(update_fields=["handled_by", "refusal_reason", "completed_at"])  # the reason before the status
    _step(actor, request, DataSubjectRequest.Status.REFUSED, request.refusal_reason)
    audit_record(actor=actor, action="privacy.request.refuse", obj=request, org=_org_of(request.person),
                 detail={"kind": request.kind})  # fmt: skip
    return request


def personal_data_of(person: Person) -> dict:
    """Everything the platform holds about the person, decrypted — for the person's own copy only: the
    sections every app declares (``pipl_sections``, gonghui.core.registry)."""
    copy = {"生成时间": timezone.localtime().isoformat(timespec="seconds")}
    return copy | {section.title: section.content(person) for section in registry.pipl_sections()}


@transaction.atomic
def export_download(*, actor, export: DataExport) -> bytes:
    """The person's own copy, decrypted for them; every download is audited."""
    if actor is not None and actor.person_id != export.request.person_id:
        raise Http404("导出文件不存在或已过期")
    DataExport.objects.filter(pk=export.pk).update(downloaded_at=timezone.now())
    request = export.request
    audit_record(actor=actor, action="privacy.export.download", obj=request, org=_org_of(request.person))
    return crypto.decrypt(export.payload_enc).encode()


@transaction.atomic
def person_anonymise(*, actor, person: Person) -> Person:
    """删除个人信息 (docs/decisions/0004): erase what identifies the person, keep the membership history.

    The union must keep its membership records (会籍档案, dues, statistics), so memberships stay and the
    ID number's blind index stays — an HMAC nobody can reverse without the index key, kept only so the
    same person re-joining is recognised rather than registered twice. The ID and phone ciphertexts,
    the masked forms, the name and its search keys, employer and job are erased; the birth date keeps
    only its year. A person with an active membership must leave first (退会), or the request is refused."""
    members_access.require_person_write(actor, person)
    person = Person.objects.select_for_update().get(pk=person.pk)
    if Membership.objects.filter(person=person, status=Membership.Status.ACTIVE).exists():
        raise ValidationError("该职工仍有有效会籍：会员在籍期间工会需保存其会籍信息，请先办理退会后再删除个人信息。")
    keeps_membership_record = Membership.objects.filter(person=person).exists()
    person.name, person.name_pinyin, person.name_initials = DELETED_NAME, "", ""
    person.id_number_enc, person.id_number_masked = "", ""
    if not keeps_membership_record:
        person.id_number_bidx = f"deleted-{secrets.token_hex(28)}"
    person.phone_enc = person.phone_bidx = person.phone_masked = ""
    person.employer, person.job_title, person.education, person.is_migrant = None, "", "", False
    person.birth_date = dt.date(person.birth_date.year, 1, 1)
    person.version += 1
    person.save()
    now = timezone.now()
    ConsentRecord.objects.filter(person=person, withdrawn_at__isnull=True).update(withdrawn_at=now)
    DataExport.objects.filter(request__person=person).delete()
    audit_record(actor=actor, action="privacy.person.anonymise", obj=person, org=_org_of(person),
                 detail={"kept_id_index": keeps_membership_record})  # fmt: skip
    return person


# ---- retention ------------------------------------------------------------------------------------


def retention_rules() -> dict[str, tuple[int, str]]:
    """The effective rules of the declared categories: a stored RetentionRule overrides the default."""
    rules = {c.category: (c.default(), c.action) for c in registry.retention_categories()}
    for rule in RetentionRule.objects.filter(category__in=list(rules)):
        rules[rule.category] = (rule.days, rule.action)
    return rules


@transaction.atomic
def retention_rule_set(*, actor, category: str, days: int, action: str) -> RetentionRule:
    """保存期限 of one category: personal-data protection settings, the security admin's (三员分立)."""
    require_platform_actor(actor, User.PlatformRole.SECURITY)
    if category not in {c.category for c in registry.retention_categories()}:
        raise field_error("category", "请选择类别。")
    if action not in RetentionRule.Action.values:
        raise field_error("action", "请选择到期处理方式。")
    if days < 1:
        raise field_error("days", "保存天数至少为 1 天。")
    rule, _ = RetentionRule.objects.update_or_create(category=category, defaults={"days": days, "action": action})
    audit_record(actor=actor, action="privacy.retention.rule", obj=rule, detail={"category": category, "days": days})
    return rule


def data_exports_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention: the generated copies older than ``cutoff`` are deleted, in committed batches."""
    old = DataExport.objects.filter(created_at__lt=cutoff)
    return in_batches(old, lambda ids: DataExport.objects.filter(pk__in=ids).delete()[0], batch_size)


def retention_enforce(*, actor=None, now: dt.datetime | None = None) -> dict[str, int]:
    """Apply the rule of every declared retention category; how many rows each erased or deleted (audited)."""
    now = now or timezone.now()
    rules, batch = retention_rules(), privacy_policy().batch_size
    summary = {}
    for category in registry.retention_categories():
        days, _ = rules[category.category]
        enforce = registry.resolve(category.enforce)
        summary[category.category] = enforce(cutoff=now - dt.timedelta(days=days), batch_size=batch)
    with transaction.atomic():
        audit_record(actor=actor, action="privacy.retention.enforce", detail=summary)
    return summary
