"""Writes of benefits: issue and close an offer; a member claims a voucher under the offer's row lock (the count,
the budget and the limit per member never exceeded); a merchant redeems a voucher once, by a conditional update
(docs/decisions/0036-benefits-vouchers.md); merchants and their accounts, invited to set their own password."""

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.accounts.services import sessions_end_all, temporary_password, user_create
from gonghui.activities.services import ineligible_reason
from gonghui.benefits import codes
from gonghui.benefits.models import Merchant, Offer, Voucher
from gonghui.benefits.policy import benefits_policy
from gonghui.core import crypto
from gonghui.core.audit import atomic_audited, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import field_error
from gonghui.core.models import AuditEvent
from gonghui.finance.money import MAX_FEN, yuan
from gonghui.members.models import EmploymentForm
from gonghui.orgs import access
from gonghui.orgs.models import Org

NOT_A_MERCHANT = "只有合作商户的账号可以核销普惠券。"


# ── merchants ───────────────────────────────────────────────────────────────────────────────────────────────


def _invite_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _new_invite(merchant: Merchant, now: dt.datetime) -> str:
    raw = secrets.token_urlsafe(32)
    merchant.invite_digest = _invite_digest(raw)
    merchant.invite_expires_at = now + dt.timedelta(days=benefits_policy().invite_days)
    merchant.save(update_fields=["invite_digest", "invite_expires_at"])
    return raw


def _merchant_username() -> str:
    for _ in range(20):
        username = f"sh{secrets.randbelow(10**8):08d}"
        if not User.objects.filter(username=username).exists():
            return username
    raise RuntimeError("no free merchant username")  # 20 collisions among 10^8: never in practice


@atomic_audited
def merchant_create(*, actor, org: Org, name: str, address: str, venue=None,
                    now: dt.datetime | None = None) -> tuple[Merchant, str]:  # fmt: skip
    """签约商户 for ``org`` (a write role on it): the merchant and its own account (a generated username, no
    grant, no member record, no password anyone knows), and an invite link (returned once, raw) with which the
    merchant sets the password. ``venue``: a service venue of the union's that redeems as this merchant."""
    access.require_write(actor, org)
    if not name.strip():
        raise field_error("name", "请填写商户名称。")
    if not address.strip():
        raise field_error("address", "请填写商户地址。")
    if venue is not None and not venue.org.path.startswith(org.path):
        raise field_error("venue", "所属服务阵地须为签约工会或其下属工会的阵地。")
    account = user_create(actor=None, username=_merchant_username(), password=temporary_password(),
                          display_name=name.strip()[:50])  # fmt: skip
    account.set_unusable_password()
    account.save(update_fields=["password"])
    merchant = Merchant.objects.create(org=org, name=name.strip(), address=address.strip(), venue=venue,
                                       account=account)  # fmt: skip
    raw = _new_invite(merchant, now or timezone.now())
    audit_record(actor=actor, action="benefits.merchant_create", obj=merchant, org=org)
    return merchant, raw


@atomic_audited
def merchant_invite_renew(*, actor, merchant: Merchant, now: dt.datetime | None = None) -> str:
    """A new invite link (the old one void), e.g. for a merchant who lost the password: the account keeps working
    until the link is used."""
    Merchant.objects.require_write(actor, merchant)
    raw = _new_invite(merchant, now or timezone.now())
    audit_record(actor=actor, action="benefits.merchant_invite", obj=merchant, org=merchant.org)
    return raw


def invited_merchant(raw: str, now: dt.datetime | None = None) -> Merchant | None:
    """The merchant whose unexpired invite this is, or None."""
    if not raw:
        return None
    now = now or timezone.now()
    merchant = Merchant.objects.filter(invite_digest=_invite_digest(raw)).select_related("account").first()
    if merchant is None or merchant.invite_expires_at is None or merchant.invite_expires_at < now:
        return None
    return merchant


@transaction.atomic
def invite_accept(*, raw: str, password: str, now: dt.datetime | None = None) -> Merchant:
    """The merchant sets the account's password through the invite (used once; the policy's password rules);
    every session of the account ends."""
    merchant = invited_merchant(raw, now)
    if merchant is None:
        raise field_error("password", "邀请链接无效或已过期，请联系签约工会重新发送。")
    account = merchant.account
    try:
        validate_password(password, account)
    except ValidationError as error:
        raise ValidationError({"password": error.error_list}) from None
    account.set_password(password)
    account.password_changed_at = timezone.now()
    account.save(update_fields=["password", "password_changed_at"])
    Merchant.objects.filter(pk=merchant.pk).update(invite_digest="", invite_expires_at=None)
    sessions_end_all(user=account)
    audit_record(actor=None, action="benefits.merchant_invite_accept", obj=merchant, org=merchant.org)
    return merchant


def merchant_of(user) -> Merchant:
    """The active merchant ``user`` signs in for; a 403 for anyone else."""
    merchant = Merchant.objects.filter(account_id=getattr(user, "pk", None), is_active=True).first()
    if merchant is None:
        raise PermissionDenied(NOT_A_MERCHANT)
    return merchant


# ── offers ──────────────────────────────────────────────────────────────────────────────────────────────────


@atomic_audited
def offer_create(*, actor, org: Org, title: str, kind: str, value_fen: int, budget_fen: int, total_count: int,
                 valid_from: dt.datetime, valid_until: dt.datetime, merchants, per_member_limit: int = 1,
                 discount_percent: int | None = None, employment_forms: list[str] | None = None,
                 description: str = "", now: dt.datetime | None = None) -> Offer:  # fmt: skip
    """发放普惠券 by ``org`` (a write role on it), redeemed at ``merchants`` (active, in the actor's scope)."""
    access.require_write(actor, org)
    now = now or timezone.now()
    if not title.strip():
        raise field_error("title", "请填写名称。")
    if kind not in Offer.Kind.values:
        raise field_error("kind", "请选择代金券或折扣券。")
    if not 0 < value_fen < MAX_FEN:
        raise field_error("value_fen", "面值（或最高优惠）须大于零。")
    if kind == Offer.Kind.DISCOUNT:
        if discount_percent is None or not 1 <= discount_percent <= 99:
            raise field_error("discount_percent", "折扣须在 1 至 99 之间（如 85 即八五折）。")
    else:
        discount_percent = None
    if total_count < 1:
        raise field_error("total_count", "发放张数至少为 1。")
    if not value_fen <= budget_fen < MAX_FEN:
        raise field_error("budget_fen", f"预算至少够发一张（{yuan(value_fen)} 元）。")
    limit = benefits_policy().max_per_member
    if not 1 <= per_member_limit <= limit:
        raise field_error("per_member_limit", f"每人限领须在 1 至 {limit} 张之间。")
    if valid_until <= valid_from:
        raise field_error("valid_until", "有效期止须晚于有效期起。")
    if valid_until <= now:
        raise field_error("valid_until", "有效期止不能早于现在。")
    forms = sorted(set(employment_forms or []))
    if any(f not in EmploymentForm.values for f in forms):
        raise field_error("employment_forms", "就业形态选项无效。")
    merchants = list(merchants)
    if not merchants:
        raise field_error("merchants", "请至少选择一个适用商户。")
    usable = Merchant.objects.in_scope(actor) if actor is not None else Merchant.objects.all()
    if usable.filter(pk__in=[m.pk for m in merchants], is_active=True).count() != len({m.pk for m in merchants}):
        raise field_error("merchants", "适用商户须为您管辖范围内已启用的商户。")
    offer = Offer.objects.create(
        org=org, title=title.strip(), kind=kind, value_fen=value_fen, discount_percent=discount_percent,
        budget_fen=budget_fen, total_count=total_count, per_member_limit=per_member_limit, valid_from=valid_from,
        valid_until=valid_until, employment_forms=forms, description=description.strip(),
    )  # fmt: skip
    offer.merchants.set(merchants)
    audit_record(actor=actor, action="benefits.offer_create", obj=offer, org=org,
                 detail={"budget_fen": budget_fen, "count": total_count})  # fmt: skip
    return offer


@atomic_audited
def offer_close(*, actor, offer: Offer, now: dt.datetime | None = None) -> Offer:
    """停止发放: no more claims; the vouchers already claimed stay usable until the validity ends."""
    Offer.objects.require_write(actor, offer)
    locked = Offer.objects.select_for_update().get(pk=offer.pk)
    if locked.closed_at is not None:
        raise field_error("offer", "这张普惠券已经停止发放。")
    locked.closed_at = now or timezone.now()
    locked.save(update_fields=["closed_at"])
    audit_record(actor=actor, action="benefits.offer_close", obj=locked, org=locked.org)
    return locked


# ── claims ──────────────────────────────────────────────────────────────────────────────────────────────────


def claim_refusal(offer: Offer, person, now: dt.datetime) -> str:
    """Why ``person`` may not claim ``offer`` now ("" when they may), the limit per member aside: the offer open
    and in its window, some left, and the person eligible (activities' rule: a member of the issuing union's
    subtree, of a listed employment form)."""
    if offer.closed_at is not None:
        return "这张普惠券已经停止发放。"
    if now < offer.valid_from:
        return f"这张普惠券 {timezone.localtime(offer.valid_from):%Y-%m-%d %H:%M} 起才能领取。"
    if now > offer.valid_until:
        return "这张普惠券已过期。"
    if offer.left < 1:
        return "这张普惠券已经领完了。"
    if reason := ineligible_reason(offer, person):
        return reason.replace("本活动", "本券").replace("报名", "领取")
    return ""


@dataclass(frozen=True)
class Claimed:
    voucher: Voucher
    code: str  # the raw code, to show the member at once


@transaction.atomic
def voucher_claim(*, actor, offer: Offer, now: dt.datetime | None = None) -> Claimed:
    """领券: the signed-in member takes one voucher of ``offer``, under the offer's row lock, so that the count,
    the budget and the member's limit hold whoever claims at the same moment."""
    person = getattr(actor, "person", None)
    if person is None:
        raise field_error("offer", "请先加入工会，会员才能领取普惠券。")
    now = now or timezone.now()
    locked = Offer.objects.select_for_update().select_related("org").get(pk=offer.pk)  # one claim at a time
    if reason := claim_refusal(locked, person, now):
        raise field_error("offer", reason)
    held = Voucher.objects.filter(offer=locked, person=person).count()
    if held >= locked.per_member_limit:
        raise field_error("offer", f"每人限领 {locked.per_member_limit} 张，您已经领过了。")
    code = codes.new_code()
    try:
        with transaction.atomic():
            voucher = Voucher.objects.create(
                offer=locked, person=person, seq=held + 1, value_fen=locked.value_fen,
                code_enc=crypto.encrypt(code), code_bidx=codes.index_of(code), claimed_at=now,
            )  # fmt: skip
    except IntegrityError:
        raise field_error("offer", f"每人限领 {locked.per_member_limit} 张，您已经领过了。") from None
    Offer.objects.filter(pk=locked.pk).update(claimed_count=F("claimed_count") + 1,
                                              claimed_fen=F("claimed_fen") + locked.value_fen)  # fmt: skip
    audit_record(actor=actor, action="benefits.voucher_claim", obj=voucher, org=locked.org)
    return Claimed(voucher, code)


def code_of(voucher: Voucher) -> str:
    return crypto.decrypt(voucher.code_enc)


# ── redemption ──────────────────────────────────────────────────────────────────────────────────────────────


def voucher_by_code(code: str) -> Voucher | None:
    found = codes.normalised(code)
    if found is None:
        return None
    return Voucher.objects.filter(code_bidx=codes.index_of(found)).select_related("offer__org", "merchant").first()


def redeem_refusal(voucher: Voucher | None, merchant: Merchant, now: dt.datetime) -> str:
    """Why ``merchant`` may not redeem ``voucher`` now ("" when it may)."""
    if voucher is None:
        return "券码无效，请核对后重新输入。"
    offer = voucher.offer
    if not offer.merchants.filter(pk=merchant.pk).exists():
        return "这张券不能在本店使用，请提示持券人到适用商户使用。"
    if voucher.redeemed_at is not None:
        return f"这张券已于 {timezone.localtime(voucher.redeemed_at):%Y-%m-%d %H:%M} 核销，不能重复使用。"
    if now < offer.valid_from:
        return f"这张券 {timezone.localtime(offer.valid_from):%Y-%m-%d %H:%M} 起才能使用。"
    if now > offer.valid_until:
        return f"这张券已过期（有效期至 {timezone.localtime(offer.valid_until):%Y-%m-%d %H:%M}）。"
    return ""


def voucher_redeem(*, actor, code: str, discount_fen: int | None = None, now: dt.datetime | None = None) -> Voucher:
    """核销 by the signed-in merchant: once, whoever scans the same code at the same moment (an update of the
    voucher WHERE it is not redeemed yet; the loser is refused). A discount voucher takes the amount actually
    taken off (at most its ``value_fen``). Every attempt is audited, the refused ones with their reason."""
    merchant = merchant_of(actor)
    now = now or timezone.now()
    voucher = voucher_by_code(code)
    try:
        with transaction.atomic():
            if reason := redeem_refusal(voucher, merchant, now):
                raise field_error("voucher_code", reason)
            offer = voucher.offer
            taken = voucher.value_fen
            if offer.kind == Offer.Kind.DISCOUNT:
                if discount_fen is None or not 0 < discount_fen <= voucher.value_fen:
                    raise field_error(
                        "discount_fen", f"请填写本次实际优惠金额（不超过 {yuan(voucher.value_fen)} 元）。"
                    )
                taken = discount_fen
            won = Voucher.objects.filter(pk=voucher.pk, redeemed_at__isnull=True).update(
                redeemed_at=now, merchant=merchant, redeemed_fen=taken
            )
            if not won:
                raise field_error("voucher_code", "这张券刚刚已被核销，不能重复使用。")
            Offer.objects.filter(pk=offer.pk).update(redeemed_count=F("redeemed_count") + 1,
                                                     redeemed_fen=F("redeemed_fen") + taken)  # fmt: skip
            audit_record(actor=actor, action="benefits.voucher_redeem", obj=voucher, org=offer.org,
                         detail={"merchant": merchant.pk, "fen": taken})  # fmt: skip
    except ValidationError as refusal:
        audit_record(actor=actor, action="benefits.voucher_redeem", obj=voucher,
                     org=voucher.offer.org if voucher else merchant.org, result=AuditEvent.Result.DENIED,
                     detail={"merchant": merchant.pk, "reason": "；".join(refusal.messages)})  # fmt: skip
        raise
    voucher.refresh_from_db()
    return voucher


# ── retention ───────────────────────────────────────────────────────────────────────────────────────────────


def vouchers_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention: the vouchers of offers whose validity ended before ``cutoff`` are deleted (the offer and its
    counts stay)."""

    def work(ids: list[int]) -> int:
        return Voucher.objects.filter(pk__in=ids).delete()[0]

    return in_batches(Voucher.objects.filter(offer__valid_until__lt=cutoff), work, batch_size)
