"""Every write of online joining. Keyword-only, one transaction each (except where a failed try must be
remembered), audited. The employer is never notified of an application or its outcome."""

import datetime as dt
import hmac
import math
import secrets

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.accounts.services import user_create
from gonghui.cases.services import case_open, case_reassign, case_transition
from gonghui.core import crypto
from gonghui.core.audit import acting_user, atomic_audited, audit_record
from gonghui.core.errors import ConflictError, field_error, parsed
from gonghui.core.identifiers import parse_id_number, parse_phone
from gonghui.core.ratelimit import hit
from gonghui.core.sealed import SealedIdNumber, SealedPhone, seal_id_number, seal_phone, sms_code_digest
from gonghui.core.sms import send_sms
from gonghui.joining import selectors
from gonghui.joining.cases import JOIN, SUBJECT
from gonghui.joining.models import JoinApplication, JoinCode, PhoneLogin, PhoneVerification, RoutingRule
from gonghui.joining.pipl import CONSENT_CATEGORIES, CONSENT_PURPOSE, NOTICE_VERSION
from gonghui.joining.policy import joining_policy
from gonghui.joining.routing import responsible_union
from gonghui.members.models import EmploymentForm, Membership, Person
from gonghui.members.services import employer_of, member_create
from gonghui.messages.services import notify
from gonghui.orgs import access
from gonghui.orgs.models import MEMBER_HOLDING_TYPES, Org, Region
from gonghui.privacy.services import consents_attach, consents_give_by_account

ALREADY_MEMBER = "您已是工会会员，不需要再申请入会；如需转会请办理会员关系接转。"
HAS_ACCOUNT = "该身份证号码已有账号，请直接登录。"
PHONE_HAS_ACCOUNT = "该手机号码已注册账号，请直接登录。"
PENDING_EXISTS = "您已提交过入会申请，正在办理中，请登录查看进度。"
STALE = "手机验证已失效，请重新获取验证码。"
CONSENT_REQUIRED = "请阅读并同意《入会个人信息处理规则》，否则工会无法办理入会。"
USED = "该验证码已使用，请继续填写申请或重新获取验证码。"


class TooManyCodes(Exception):
    """Too many codes sent to one phone within the hour; the caller answers 429."""


# ----- 手机号验证 ----------------------------------------------------------------------------------------------


SMS_TEXTS = {
    PhoneVerification.Purpose.JOIN: "【智慧工会】您的入会验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人。",
    PhoneVerification.Purpose.RESET: "【智慧工会】您正在找回登录密码，验证码是 {code}，{minutes} 分钟内有效。"
    "如非本人操作请忽略，请勿告诉他人。",
    PhoneVerification.Purpose.LOGIN: "【智慧工会】您的登录验证码是 {code}，{minutes} 分钟内有效。请勿告诉他人。",
}


def _code_issue(number: str, purpose: str, *, send: bool) -> PhoneVerification:
    """A new 6-digit code for ``purpose``, counted against the phone's hourly cap; texted when ``send``
    (a code never sent can never be typed right: how an unknown phone is answered like a known one)."""
    policy = joining_policy()
    sealed = seal_phone(number)
    if not hit(f"{purpose}-sms-phone:{sealed.index}", limit=policy.sends_per_phone_per_hour, window_seconds=3600):
        raise TooManyCodes("验证码发送过于频繁，请一小时后再试。")
    code = f"{secrets.randbelow(10**policy.code_digits):0{policy.code_digits}d}"
    salt = secrets.token_hex(8)
    verification = PhoneVerification.objects.create(
        token=secrets.token_urlsafe(16), purpose=purpose, **sealed.columns(), code_salt=salt,
        code_hash=sms_code_digest(salt, code),
        expires_at=timezone.now() + dt.timedelta(minutes=policy.code_valid_minutes),
    )  # fmt: skip
    if send:
        send_sms(number, SMS_TEXTS[purpose].format(code=code, minutes=policy.code_valid_minutes))
    return verification


@transaction.atomic
def phone_code_send(*, phone: str) -> PhoneVerification:
    """发送验证码: a new 6-digit code by SMS (earlier codes of the phone stay valid until they expire)."""
    verification = _code_issue(parsed("phone", parse_phone, phone), PhoneVerification.Purpose.JOIN, send=True)
    audit_record(actor=None, action="join.code_send", obj=verification)
    return verification


def phone_code_resend(*, verification: PhoneVerification) -> PhoneVerification:
    """重新获取验证码 for the same phone (the applicant does not type it again), once ``resend_after_seconds``
    have passed since the last code; the hourly cap per phone still holds."""
    wait = resend_wait_seconds(verification)
    if wait:
        raise field_error("code", f"请 {wait} 秒后再重新获取验证码。", code="resend_wait")
    return phone_code_send(phone=crypto.decrypt(verification.phone_enc))


def resend_wait_seconds(verification: PhoneVerification) -> int:
    """Seconds until a new code may be sent (0: now)."""
    ready = verification.created_at + dt.timedelta(seconds=joining_policy().resend_after_seconds)
    return max(0, math.ceil((ready - timezone.now()).total_seconds()))


def phone_code_verify(*, verification: PhoneVerification, code: str) -> PhoneVerification:
    """核对验证码, once: each try is counted by a conditional UPDATE (so the cap holds under concurrent tries),
    and only the first right code verifies; an already verified token answers as used, whatever the code.
    Not one transaction: a wrong try must be counted even though the call fails."""
    policy = joining_policy()
    now = timezone.now()
    tries = PhoneVerification.objects.filter(pk=verification.pk, verified_at__isnull=True)
    if not tries.filter(attempts__lt=policy.code_max_attempts, expires_at__gt=now).update(attempts=F("attempts") + 1):
        _refuse_try(verification, policy)
    verification.refresh_from_db()
    if not hmac.compare_digest(sms_code_digest(verification.code_salt, code.strip()), verification.code_hash):
        left = policy.code_max_attempts - verification.attempts
        message = f"验证码不正确，还可以再试 {left} 次。" if left else "验证码错误次数过多，请重新获取验证码。"
        raise field_error("code", message, code="wrong")
    if not tries.update(verified_at=now):  # a concurrent right try verified it first
        raise field_error("code", USED, code="used")
    verification.verified_at = now
    audit_record(actor=None, action="join.code_verify", obj=verification)
    return verification


def _refuse_try(verification: PhoneVerification, policy) -> None:
    verification.refresh_from_db()
    if verification.verified_at is not None:
        raise field_error("code", USED, code="used")
    if verification.attempts >= policy.code_max_attempts:
        raise field_error("code", "验证码错误次数过多，请重新获取验证码。", code="attempts")
    raise field_error("code", "验证码已过期，请重新获取。", code="expired")


def _usable(verification: PhoneVerification) -> None:
    window = dt.timedelta(minutes=joining_policy().verified_valid_minutes)
    if verification.verified_at is None:
        raise field_error("code", "请先验证手机号码。", code="unverified")
    if verification.used_at is not None or verification.verified_at + window <= timezone.now():
        raise field_error("code", STALE, code="stale")


# ----- 找回密码和短信验证码登录 (worker accounts only) ----------------------------------------------------------

RECOVERY_STALE = "验证已失效，请重新获取验证码。"


def recoverable_account(phone_bidx: str) -> User | None:
    """The worker account a verified phone signs in to, if it may recover by text message: active, no grant,
    no platform role, no authenticator. Cadres and admins keep their stricter path (the security admin)."""
    from gonghui.accounts.two_factor import device_of

    login = PhoneLogin.objects.filter(phone_bidx=phone_bidx).select_related("user").first()
    user = login.user if login is not None else None
    if user is None or not user.is_active or user.platform_role or user.is_staff or user.is_superuser:
        return None
    if access.grants_of(user) or device_of(user) is not None:
        return None
    return user


@transaction.atomic
def recovery_code_send(*, phone: str, purpose: str) -> PhoneVerification:
    """发送验证码 to reset a password or to sign in: the same answer whether or not the phone has a worker
    account (the code is texted only when it has one); audited without the number."""
    if purpose not in (PhoneVerification.Purpose.RESET, PhoneVerification.Purpose.LOGIN):
        raise ValueError(purpose)
    number = parsed("phone", parse_phone, phone)
    account = recoverable_account(seal_phone(number).index)
    verification = _code_issue(number, purpose, send=account is not None)
    audit_record(actor=None, action=f"account.{purpose}_code_send", obj=verification)
    return verification


def _recovered(verification: PhoneVerification, purpose: str) -> User:
    """The account of a verification of ``purpose`` verified within the window and not used yet; marks it used."""
    if verification.purpose != purpose:
        raise field_error("code", RECOVERY_STALE, code="stale")
    _usable(verification)
    account = recoverable_account(verification.phone_bidx)
    if account is None:  # cannot be verified without the texted code; kept for an account changed meanwhile
        raise field_error("code", RECOVERY_STALE, code="stale")
    if not PhoneVerification.objects.filter(pk=verification.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise field_error("code", RECOVERY_STALE, code="stale")
    return account


@transaction.atomic
def password_reset_by_phone(*, verification: PhoneVerification, new_password: str) -> User:
    """找回密码: with a code texted to the account's verified phone, a new password (the policy applies); every
    session of the account ends and a lockout is lifted. Audited as ``account.password_reset_sms``."""
    from gonghui.accounts.lockout import failures_clear
    from gonghui.accounts.services import sessions_end_all

    account = _recovered(verification, PhoneVerification.Purpose.RESET)
    try:
        validate_password(new_password, account)
    except ValidationError as exc:
        raise ValidationError({"new_password1": exc.error_list}) from exc
    account.set_password(new_password)
    account.password_changed_at = timezone.now()
    account.save(update_fields=["password", "password_changed_at"])
    ended = sessions_end_all(user=account)
    failures_clear(user=account)
    audit_record(actor=account, action="account.password_reset_sms", obj=account, detail={"sessions_ended": ended})
    return account


@transaction.atomic
def sign_in_by_phone(*, verification: PhoneVerification) -> User:
    """短信验证码登录: the worker account of the verified phone, unless it is locked (the same lock as for a
    password); the view signs it in. Audited as ``auth.login_sms``."""
    from gonghui.accounts.lockout import is_locked, locked_message

    account = _recovered(verification, PhoneVerification.Purpose.LOGIN)
    if is_locked(account.username):
        raise ValidationError(locked_message(), code="locked")
    audit_record(actor=account, action="auth.login_sms", obj=account)
    return account


# ----- 提交申请 --------------------------------------------------------------------------------------------------


def join_code_scan(*, token: str) -> JoinCode | None:
    """The active join code with this token (its scan counted), or None for an unknown or inactive one."""
    code = JoinCode.objects.filter(token=token or "", is_active=True).select_related("org").first()
    if code is not None:
        JoinCode.objects.filter(pk=code.pk).update(scan_count=F("scan_count") + 1)
    return code


def _refuse_duplicates(id_bidx: str, phone_bidx: str) -> None:
    person = Person.objects.filter(id_number_bidx=id_bidx).first()
    if person is not None and person.memberships.filter(status=Membership.Status.ACTIVE).exists():
        raise field_error("id_number", ALREADY_MEMBER, code="already_member")
    if person is not None and User.objects.filter(person=person).exists():
        raise field_error("id_number", HAS_ACCOUNT, code="has_account")
    if PhoneLogin.objects.filter(phone_bidx=phone_bidx).exists():
        raise field_error("phone", PHONE_HAS_ACCOUNT, code="phone_taken")


def _worker_account(*, name: str, password: str) -> User:
    """The applicant's account: a random username (they sign in by phone); the password policy applies."""
    try:
        return user_create(actor=None, username=f"w{secrets.token_hex(8)}", password=password, display_name=name)
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            raise
        raise ValidationError({"password": exc.error_list}) from None


@transaction.atomic
def application_submit(
    *, verification: PhoneVerification, name: str, id_number: str, password: str, employment_form: str,
    region: Region, consent: bool, employer=None, job_title: str = "", join_code: JoinCode | None = None,
) -> JoinApplication:  # fmt: skip
    """申请入会: with a verified phone; creates the worker account (signing in by phone and password) and the
    application, routed to the responsible union with its deadline, and records the applicant's consent to the
    joining notice (``consent``: they agreed to 《入会个人信息处理规则》) for the ID number and the phone. All or
    nothing."""
    if verification.purpose != PhoneVerification.Purpose.JOIN:
        raise field_error("code", STALE, code="stale")
    _usable(verification)
    if not consent:
        raise field_error("agree", CONSENT_REQUIRED, code="consent")
    if not name.strip():
        raise field_error("name", "请填写姓名。")
    if employment_form not in EmploymentForm.values:
        raise field_error("employment_form", "请选择就业形态。")
    identity = seal_id_number(parsed("id_number", parse_id_number, id_number))
    phone = SealedPhone.stored_in(verification)
    _refuse_duplicates(identity.index, phone.index)
    employer = employer_of(employer)
    org, rule = responsible_union(employer=employer, region=region, employment_form=employment_form,
                                  join_code_org=join_code.org if join_code else None)  # fmt: skip
    if org is None:
        raise field_error("region", "所选地区暂无可受理入会申请的工会，请选择更具体的地区。")
    account = _worker_account(name=name.strip(), password=password)
    PhoneLogin.objects.create(user=account, phone_bidx=phone.index, phone_masked=phone.masked)
    # Another pending application with this ID number: answer as for a fresh one (issue 10 item 7); the
    # union sees the duplicate on its to-do list and decides.
    pending = JoinApplication.objects.filter(id_number_bidx=identity.index, status=JoinApplication.Status.PENDING)
    try:
        with transaction.atomic():
            case = case_open(actor=account, kind=JOIN, org=org, subject=SUBJECT)
            application = JoinApplication.objects.create(
                name=name.strip(), **identity.columns(), **phone.columns(), employer=employer,
                job_title=job_title.strip(), employment_form=employment_form, region=region, org=org, routed_by=rule,
                account=account, join_code=join_code if rule == RoutingRule.JOIN_CODE else None,
                due_on=case.deadline, case=case, duplicate_of=pending.order_by("pk").first(),
            )  # fmt: skip
    except IntegrityError:  # the same person submitted twice at once (joinapp_one_pending_per_person)
        raise field_error("id_number", PENDING_EXISTS, code="pending") from None
    if not PhoneVerification.objects.filter(pk=verification.pk, used_at__isnull=True).update(used_at=timezone.now()):
        raise field_error("code", STALE, code="stale")
    consents_give_by_account(account=account, categories=CONSENT_CATEGORIES, purpose=CONSENT_PURPOSE,
                             text_version=NOTICE_VERSION)  # fmt: skip
    detail = {"rule": rule} | ({"duplicate_of": application.duplicate_of_id} if application.duplicate_of_id else {})
    audit_record(actor=account, action="join.submit", obj=application, org=org, detail=detail)
    return application


@transaction.atomic
def application_withdraw(*, actor, application: JoinApplication) -> JoinApplication:
    """撤回: the applicant takes back an application not yet decided (e.g. joined through their workplace)."""
    if application.account_id != getattr(actor, "pk", None):
        raise access.deny(actor, "只能撤回本人的入会申请。", application.org)
    application = _locked(application, application.version)
    _decided(application, actor, JoinApplication.Status.WITHDRAWN, version=application.version)
    audit_record(actor=actor, action="join.withdraw", obj=application, org=application.org)
    return application


@transaction.atomic
def application_again(
    *, actor, employment_form: str, region: Region, employer=None, job_title: str = ""
) -> JoinApplication:  # fmt: skip
    """再次申请: after a refusal or a withdrawal, the signed-in applicant applies again with new work details;
    the identity and phone verified the first time are carried over, and routing and the deadline start anew."""
    previous = selectors.own_applications(actor).first()
    if previous is None:
        raise access.deny(actor, "此账号没有入会申请记录，请从“申请入会”开始。")
    if refusal := selectors.again_refusal(previous):
        raise ValidationError(refusal)
    if employment_form not in EmploymentForm.values:
        raise field_error("employment_form", "请选择就业形态。")
    employer = employer_of(employer)
    org, rule = responsible_union(employer=employer, region=region, employment_form=employment_form)
    if org is None:
        raise field_error("region", "所选地区暂无可受理入会申请的工会，请选择更具体的地区。")
    identity, phone = SealedIdNumber.stored_in(previous), SealedPhone.stored_in(previous)
    try:
        with transaction.atomic():
            case = case_open(actor=actor, kind=JOIN, org=org, subject=SUBJECT)
            application = JoinApplication.objects.create(
                name=previous.name, **identity.columns(), **phone.columns(), employer=employer,
                job_title=job_title.strip(), employment_form=employment_form, region=region, org=org, routed_by=rule,
                account=actor, due_on=case.deadline, case=case,
            )  # fmt: skip
    except IntegrityError:  # submitted twice at once (joinapp_one_pending_per_person)
        raise ValidationError(PENDING_EXISTS) from None
    audit_record(actor=actor, action="join.submit", obj=application, org=org, detail={"rule": rule, "again": True})
    return application


# ----- 工会办理 --------------------------------------------------------------------------------------------------


def _locked(application: JoinApplication, version: int) -> JoinApplication:
    fresh = JoinApplication.objects.select_for_update().select_related("org").get(pk=application.pk)
    if fresh.version != version:
        raise ConflictError("该申请已被他人办理或改派，请刷新后查看。")
    if fresh.status != JoinApplication.Status.PENDING:
        raise ValidationError(f"该申请当前状态为“{fresh.get_status_display()}”，不能再办理。")
    return fresh


def _decided(application: JoinApplication, actor, status: str, *, version: int, note: str = "", **fields) -> None:
    """The case takes the step (its table, access, version and history); the application records the outcome."""
    case = case_transition(actor=actor, case=application.case, to=status, note=note, version=version)
    application.status, application.version = case.status, case.version
    application.decided_at, application.decided_by = timezone.now(), acting_user(actor)
    for name, value in fields.items():
        setattr(application, name, value)
    application.save(update_fields=["decided_at", "decided_by", *fields])


@transaction.atomic
def application_accept(*, actor, application: JoinApplication, version: int) -> JoinApplication:
    """受理入会: the membership starts today at the handling union with a new card number, and the
    applicant's account is linked to the member record (the worker then sees the e-card)."""
    access.require_role(actor, application.org, access.WRITE_ROLES)
    application = _locked(application, version)
    if application.org.org_type not in MEMBER_HOLDING_TYPES:
        kind = application.org.get_org_type_display()
        raise ValidationError(f"{kind}不直接发展会员，请改派给基层或乡镇（街道）工会。")
    membership = member_create(
        actor=actor, org=application.org, name=application.name, id_number=SealedIdNumber.stored_in(application),
        phone=SealedPhone.stored_in(application), employment_form=application.employment_form,
        employer=application.employer, job_title=application.job_title, joined_on=timezone.localdate(),
    )  # fmt: skip
    if not User.objects.filter(person=membership.person).exists():
        User.objects.filter(pk=application.account_id, person__isnull=True).update(person=membership.person)
    consents_attach(account=application.account, person=membership.person)  # now under the member's name
    _decided(application, actor, JoinApplication.Status.ACCEPTED, version=version, membership=membership)
    audit_record(actor=actor, action="join.accept", obj=application, org=application.org,
                 detail={"card": membership.card_number})  # fmt: skip
    notify(user=application.account, event="joining.accepted", link=reverse("portal:me"),
           context={"org": application.org.name, "card": membership.card_number},
           phone=SealedPhone.stored_in(application))  # fmt: skip
    return application


@transaction.atomic
def application_reject(*, actor, application: JoinApplication, version: int, reason: str) -> JoinApplication:
    """退回: the applicant sees the reason on their status page."""
    access.require_role(actor, application.org, access.WRITE_ROLES)
    if not reason.strip():
        raise field_error("reason", "请填写退回原因。")
    application = _locked(application, version)
    _decided(application, actor, JoinApplication.Status.REJECTED, version=version, note=reason.strip()[:200],
             reject_reason=reason.strip()[:200])  # fmt: skip
    audit_record(actor=actor, action="join.reject", obj=application, org=application.org)
    notify(user=application.account, event="joining.rejected", link=reverse("joining:mine"),
           context={"org": application.org.name, "reason": application.reject_reason},
           phone=SealedPhone.stored_in(application))  # fmt: skip
    return application


@transaction.atomic
def application_reassign(*, actor, application: JoinApplication, version: int, org: Org) -> JoinApplication:
    """改派: a writer of the upper level (the handling union's parent or above) hands the application to
    another member-holding union in their scope; the new union gets a full deadline of its own."""
    upper = application.org.parent or application.org
    if access.grant_covering(actor, upper) is None and access.grant_covering(actor, application.org) is not None:
        raise access.deny(actor, "改派须由受理工会的上级工会办理。", application.org)
    access.require_role(actor, upper, access.WRITE_ROLES)
    access.require_role(actor, org, access.WRITE_ROLES)
    if org.org_type not in MEMBER_HOLDING_TYPES or org.status != Org.Status.ACTIVE:
        raise field_error("org", "只能改派给正常状态的基层工会、乡镇（街道）工会或工会联合会。")
    application = _locked(application, version)
    if org.pk == application.org_id:
        raise field_error("org", "改派的工会与当前受理工会相同。")
    old = application.org_id
    case_reassign(actor=actor, case=application.case, org=org, version=version)
    JoinApplication.objects.filter(pk=application.pk).update(routed_by=RoutingRule.REASSIGNED)
    application.refresh_from_db()
    audit_record(actor=actor, action="join.reassign", obj=application, org=org, detail={"from_org": old})
    return application


@atomic_audited
def applicant_phone_show(*, actor, application: JoinApplication) -> str:
    """查看申请人电话: the applicant gave their phone so that the union handling the application can reach them.
    Only a cadre who may decide it (a write role on the handling union) sees it, only while it is pending;
    every view is audited, and so is every refusal."""
    access.require_role(actor, application.org, access.WRITE_ROLES)
    if application.status != JoinApplication.Status.PENDING:
        raise access.deny(actor, "申请已办结，请在会员档案中查看联系方式。", application.org)
    audit_record(actor=actor, action="join.phone_view", obj=application, org=application.org)
    return crypto.decrypt(application.phone_enc)


# ----- 入会二维码 ------------------------------------------------------------------------------------------------


@transaction.atomic
def join_code_create(*, actor, org: Org, label: str) -> JoinCode:
    """生成入会二维码 for a member-holding union the actor may write."""
    access.require_role(actor, org, access.WRITE_ROLES)
    if org.org_type not in MEMBER_HOLDING_TYPES or org.status != Org.Status.ACTIVE:
        raise field_error("org", f"{org.get_org_type_display()}不直接发展会员，不能生成入会二维码。")
    if not label.strip():
        raise field_error("label", "请填写二维码名称，如“快递员流动入会服务站”。")
    code = JoinCode.objects.create(org=org, token=secrets.token_urlsafe(16), label=label.strip()[:100],
                                   created_by=acting_user(actor))  # fmt: skip
    audit_record(actor=actor, action="join.code_create", obj=code, org=org)
    return code


@transaction.atomic
def join_code_deactivate(*, actor, code: JoinCode) -> JoinCode:
    """停用: scanning it afterwards says so and falls back to the usual routing."""
    access.require_role(actor, code.org, access.WRITE_ROLES)
    JoinCode.objects.filter(pk=code.pk).update(is_active=False)
    code.is_active = False
    audit_record(actor=actor, action="join.code_deactivate", obj=code, org=code.org)
    return code
