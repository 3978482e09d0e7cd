"""/api/v1/benefits: the member's offers, claims and vouchers; the merchant's redemptions; the cadres' offers."""

import datetime as dt

from django.http import Http404
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate

from gonghui.benefits import selectors, services
from gonghui.core.api import ERRORS
from gonghui.core.pagination import Pagination
from gonghui.core.ratelimit import rate_limit
from gonghui.orgs import access

router = Router(tags=["普惠"])


class BenefitOfferOut(Schema):
    id: int
    title: str
    kind: str = Field(description="voucher 代金券、discount 折扣券")
    org_name: str
    value_fen: int = Field(description="面值（代金券）或最高优惠（折扣券），单位：分")
    discount_percent: int | None = Field(description="折扣券付原价的百分之几（如 85 即八五折）")
    total_count: int
    claimed_count: int
    redeemed_count: int
    per_member_limit: int
    valid_from: dt.datetime
    valid_until: dt.datetime

    @staticmethod
    def resolve_org_name(offer):
        return offer.org.name


class BenefitReportOut(BenefitOfferOut):
    budget_fen: int
    claimed_fen: int
    redeemed_fen: int
    closed_at: dt.datetime | None


class BenefitVoucherOut(Schema):
    id: int
    offer_id: int
    title: str
    value_fen: int
    code: str = Field(description="券码（到店出示，商户核销时输入或扫码）")
    claimed_at: dt.datetime
    redeemed_at: dt.datetime | None
    valid_until: dt.datetime


def _voucher_out(voucher, code: str | None = None) -> dict:
    return {"id": voucher.pk, "offer_id": voucher.offer_id, "title": voucher.offer.title,
            "value_fen": voucher.value_fen, "code": code or services.code_of(voucher), "claimed_at": voucher.claimed_at,
            "redeemed_at": voucher.redeemed_at, "valid_until": voucher.offer.valid_until}  # fmt: skip


class BenefitRedeemIn(Schema):
    voucher_code: str = Field(max_length=40)
    discount_fen: int | None = Field(None, description="折扣券本次实际优惠金额（分）；代金券不填")


class BenefitRedemptionOut(Schema):
    id: int
    title: str
    redeemed_at: dt.datetime
    redeemed_fen: int

    @staticmethod
    def resolve_title(voucher):
        return voucher.offer.title


@router.get("/open", response={200: list[BenefitOfferOut], **ERRORS}, summary="可领取的普惠券")
def open_offers(request):
    """本人所在工会及上级工会发放、尚未停止发放且在有效期内的普惠券。"""
    return list(selectors.open_for(request.auth))


@router.post("/{int:offer_id}/claims", response={201: BenefitVoucherOut, **ERRORS}, summary="领取普惠券")
def claim(request, offer_id: int):
    """领取一张；发放张数、预算和每人限领在并发时也不会超出。返回券码。"""
    offer = selectors.open_for(request.auth).filter(pk=offer_id).first()
    if offer is None:
        raise Http404("普惠券不存在或已停止发放")
    claimed = services.voucher_claim(actor=request.auth, offer=offer)
    return Status(201, _voucher_out(claimed.voucher, claimed.code))


@router.get("/vouchers", response={200: list[BenefitVoucherOut], **ERRORS}, summary="我的普惠券")
def vouchers(request):
    return [_voucher_out(v) for v in selectors.own_vouchers(request.auth)[:200]]


@router.post("/redemptions", response={201: BenefitRedemptionOut, **ERRORS}, summary="核销普惠券")
@rate_limit(scope="benefits_redeem", limit=60, window_seconds=60)
def redeem(request, body: BenefitRedeemIn):
    """合作商户的账号核销一张券，每张券只能核销一次；过期、非本店适用的券被拒绝并说明原因。"""
    return Status(
        201, services.voucher_redeem(actor=request.auth, code=body.voucher_code, discount_fen=body.discount_fen)
    )


@router.get("/redemptions", response={200: list[BenefitRedemptionOut], **ERRORS}, summary="本店核销记录")
@paginate(Pagination)
def redemptions(request):
    """合作商户本店的核销记录（仅本店）。"""
    return selectors.redemptions_of(services.merchant_of(request.auth))


@router.get("", response={200: list[BenefitReportOut], **ERRORS}, summary="普惠券发放与核销")
@paginate(Pagination)
def offers(request, status: str = ""):
    """授权范围内的普惠券及其发放、领取、核销数量和金额；status 为 open（发放中）或 ended（已结束）。"""
    access.require_cadre(request.auth)
    return selectors.offers_visible_to(request.auth, status=status)
