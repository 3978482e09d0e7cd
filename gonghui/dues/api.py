"""/api/v1/dues: dues policy, wage bases, payments, arrears and statements. The wage base is write-only: no
response carries it, only the monthly dues it yields. Amounts are strings in yuan ("40.00")."""

import datetime as dt
from decimal import Decimal

from django.core.exceptions import PermissionDenied
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from gonghui.core.api import ERRORS
from gonghui.dues import selectors, services
from gonghui.dues.calculation import Arrears, parse_month, percent
from gonghui.dues.models import DuesPayment
from gonghui.dues.policy import dues_policy
from gonghui.orgs import access

router = Router(tags=["会费"])
Method = DuesPayment.Method
MONTH_HELP = "月份，格式 YYYY-MM"


def _month(value: dt.date | None) -> str | None:
    return f"{value:%Y-%m}" if value else None


# ----- output ------------------------------------------------------------------------------------------------


class RateOut(Schema):
    province_code: str = Field(description="省级区划代码（两位）")
    effective_from: str = Field(description="起始月份 YYYY-MM")
    rate_percent: Decimal = Field(description="会费比例（%），如 0.5")


class OrgRateOut(Schema):
    org_id: int = Field(description="组织 ID")
    org_name: str = Field(description="组织名称")
    province_code: str = Field(description="适用会费比例的省份")
    month: str = Field(description="月份 YYYY-MM")
    rate_percent: Decimal = Field(description="该月适用的会费比例（%）")


class PolicyOut(Schema):
    default_rate_percent: Decimal = Field(description="全国默认会费比例（%），工发[1978]101号为 0.5")
    base_unit: Decimal = Field(description="工资收入不足此数（元）的部分不计交会费")
    tracking_start: str | None = Field(description="平台统一开始计缴的月份；为空时从会员首次核定缴费基数的月份起")
    province_rates: list[RateOut] = Field(description="各省设置的会费比例（含历史）")
    org_rate: OrgRateOut | None = Field(description="指定组织本月适用的会费比例（提供 org_id 时）")


class BaseOut(Schema):
    person_id: int = Field(description="职工 ID")
    effective_from: str = Field(description="起始月份 YYYY-MM")
    monthly_dues: Decimal | None = Field(description="按此基数每月应缴会费（元）；基数不回显")


class BulkBaseOut(Schema):
    count: int = Field(description="核定的人数")


class PaymentOut(Schema):
    id: int = Field(description="记录 ID")
    person_id: int = Field(description="职工 ID")
    month: str = Field(description="所属月份 YYYY-MM")
    amount: Decimal = Field(description="金额（元）；冲正记录为负数")
    method: DuesPayment.Method = Field(description="缴纳方式")
    method_label: str = Field(description="缴纳方式名称")
    kind: DuesPayment.Kind = Field(description="payment 缴纳，reversal 冲正")
    is_reversed: bool = Field(description="是否已被冲正")
    paid_on: dt.date = Field(description="缴纳日期")
    org_name: str = Field(description="收缴工会")
    note: str = Field(description="备注或冲正原因")


class PaymentListOut(Schema):
    items: list[PaymentOut] = Field(description="缴纳记录，新的月份在前")


class BatchOut(Schema):
    recorded: int = Field(description="本次登记的人数")
    already_paid: int = Field(description="该月已缴、跳过的人数")
    unassessed: int = Field(description="未核定缴费基数、跳过的人数")
    exempt: int = Field(description="退休会员等无需缴纳、跳过的人数")


class ArrearsOut(Schema):
    person_id: int = Field(description="职工 ID")
    months: list[str] = Field(description="欠缴的月份（截至上月）")
    amount: Decimal = Field(description="欠缴金额（元）")
    unassessed: bool = Field(description="为真表示有月份未核定缴费基数，欠缴金额不完整")


class TotalsOut(Schema):
    members: int = Field(description="会员数")
    members_due: int = Field(description="该月应缴人数")
    due_total: Decimal = Field(description="该月应缴金额（元）")
    members_paid: int = Field(description="该月已缴人数")
    paid_total: Decimal = Field(description="该月已缴金额（元）")
    members_in_arrears: int = Field(description="欠缴人数（截至该月，最迟到上月）")
    arrears_total: Decimal = Field(description="欠缴金额（元）")
    members_unassessed: int = Field(description="未核定缴费基数人数")


class ChildTotalsOut(TotalsOut):
    org_id: int = Field(description="下级组织 ID")
    org_name: str = Field(description="下级组织名称")


class OrgDuesOut(Schema):
    org_id: int = Field(description="组织 ID")
    month: str = Field(description="月份 YYYY-MM")
    totals: TotalsOut = Field(description="本组织及全部下级的汇总")
    children: list[ChildTotalsOut] = Field(description="各直属下级组织（含其下级）的汇总")


class StatementMonthOut(Schema):
    month: str = Field(description="月份 YYYY-MM")
    status_label: str = Field(description="状态：已缴、未缴、部分缴纳、退休会员免缴、未核定缴费基数等")
    due: Decimal | None = Field(description="应缴（元）；未核定缴费基数时为空")
    paid: Decimal = Field(description="实缴（元）")
    paid_on: dt.date | None = Field(description="缴纳日期")
    method_label: str = Field(description="缴纳方式")


class StatementOut(Schema):
    person_id: int = Field(description="职工 ID")
    name: str = Field(description="姓名")
    year: int = Field(description="年度")
    months: list[StatementMonthOut] = Field(description="1-12 月明细")
    due_total: Decimal = Field(description="全年应缴（元）")
    paid_total: Decimal = Field(description="全年实缴（元）")
    arrears: ArrearsOut = Field(description="当前欠缴（截至上月，不限年度）")


def payment_out(p: DuesPayment) -> dict:
    return {
        "id": p.pk, "person_id": p.person_id, "month": _month(p.month), "amount": p.amount, "method": p.method,
        "method_label": p.get_method_display(), "kind": p.kind, "is_reversed": p.is_reversed, "paid_on": p.paid_on,
        "org_name": p.org.name, "note": p.note,
    }  # fmt: skip


def arrears_out(person_id: int, arrears: Arrears) -> dict:
    return {"person_id": person_id, "months": [_month(m) for m in arrears.months], "amount": arrears.amount,
            "unassessed": arrears.unassessed}  # fmt: skip


def statement_out(s: selectors.Statement) -> dict:
    months = []
    for item in s.lines:
        last = next((p for p in reversed(item.payments) if p.kind == "payment" and not p.is_reversed), None)
        months.append({
            "month": _month(item.line.month), "status_label": item.line.status_label, "due": item.line.due,
            "paid": item.line.paid, "paid_on": last.paid_on if last else None,
            "method_label": last.get_method_display() if last else "",
        })  # fmt: skip
    return {
        "person_id": s.person.pk, "name": s.person.name, "year": s.year, "months": months, "due_total": s.due_total,
        "paid_total": s.paid_total, "arrears": arrears_out(s.person.pk, s.arrears),
    }  # fmt: skip


# ----- input -------------------------------------------------------------------------------------------------


class RateIn(Schema):
    model_config = ConfigDict(extra="forbid")

    org_id: int = Field(description="省级总工会的组织 ID（须为其管理员）")
    rate_percent: Decimal = Field(description="会费比例（%），如 0.5 表示 0.5%")
    effective_from: str = Field(max_length=10, description="起始月份 YYYY-MM")


class BaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    base: str = Field(max_length=20, description="月缴费基数（元，工资收入，不含奖金、津贴、补贴等）")
    effective_from: str = Field(max_length=10, description="起始月份 YYYY-MM")


class BulkBaseItem(Schema):
    model_config = ConfigDict(extra="forbid")

    person_id: int = Field(description="职工 ID（须为本组织的有效会员）")
    base: str = Field(max_length=20, description="月缴费基数（元）")


class BulkBaseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    effective_from: str = Field(max_length=10, description="起始月份 YYYY-MM")
    items: list[BulkBaseItem] = Field(min_length=1, max_length=1000, description="每人一项，最多 1000 项")


class PaymentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(max_length=10, description=MONTH_HELP)
    method: DuesPayment.Method = Field(description="缴纳方式：payroll 代扣，cash 现金，transfer 转账，online 线上")
    paid_on: dt.date | None = Field(None, description="缴纳日期；不填为今天")
    amount: str = Field("", max_length=20, description="金额（元）；不填为该月应缴金额")
    note: str = Field("", max_length=200, description="备注")


class BatchIn(Schema):
    model_config = ConfigDict(extra="forbid")

    month: str = Field(max_length=10, description=MONTH_HELP)
    method: DuesPayment.Method = Field(DuesPayment.Method.PAYROLL, description="缴纳方式，默认代扣")
    paid_on: dt.date | None = Field(None, description="缴纳日期；不填为今天")


class ReverseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    reason: str = Field(min_length=1, max_length=200, description="冲正原因")


class PolicyQuery(Schema):
    org_id: int | None = Field(None, description="查看此组织本月适用的会费比例")


class MonthQuery(Schema):
    month: str | None = Field(None, max_length=10, description="月份 YYYY-MM；不填为本月")


class YearQuery(Schema):
    year: int | None = Field(None, ge=1950, le=2100, description="年度；不填为今年")


# ----- endpoints ---------------------------------------------------------------------------------------------


@router.get("/policy", response={200: PolicyOut, **ERRORS}, summary="会费政策")
def get_policy(request, query: Query[PolicyQuery]):
    """全国默认比例、各省设置的比例（含历史），以及指定组织本月适用的比例。"""
    user = request.auth
    access.require_cadre(user)
    policy = dues_policy()
    org_rate = None
    if query.org_id is not None:
        org = access.org_for_read(user, query.org_id)
        month = selectors.current_month()
        rate = selectors.RateTable(policy).rate(selectors.province_of(org), month)
        org_rate = {"org_id": org.pk, "org_name": org.name, "province_code": selectors.province_of(org),
                    "month": _month(month), "rate_percent": percent(rate)}  # fmt: skip
    rates = [{"province_code": r.province_code, "effective_from": _month(r.effective_from),
              "rate_percent": percent(r.rate)} for r in selectors.province_rates()]  # fmt: skip
    return {"default_rate_percent": percent(policy.rate), "base_unit": policy.base_unit,
            "tracking_start": _month(policy.tracking_start), "province_rates": rates, "org_rate": org_rate}  # fmt: skip


@router.post("/policy/rates", response={201: RateOut, **ERRORS}, summary="设置本省会费比例")
def set_rate(request, payload: RateIn):
    """省级总工会管理员（或全总管理员）设置本省从某月起的会费比例；同一月份再次设置则替换。"""
    user = request.auth
    province = access.org_for_read(user, payload.org_id)
    month = parse_month(payload.effective_from, "effective_from")
    row = services.dues_rate_set(actor=user, province=province, rate=payload.rate_percent / 100,
                                 effective_from=month)  # fmt: skip
    return Status(201, {"province_code": row.province_code, "effective_from": _month(row.effective_from),
                        "rate_percent": percent(row.rate)})  # fmt: skip


@router.post("/members/{int:person_id}/wage-base", response={200: BaseOut, **ERRORS}, summary="核定缴费基数")
def set_base(request, person_id: int, payload: BaseIn):
    """会员所在工会（有写权限）核定其月缴费基数，从某月起生效；基数加密保存，不回显。"""
    user = request.auth
    person = access.person_for_write(user, person_id)
    month = parse_month(payload.effective_from, "effective_from")
    services.wage_base_set(actor=user, person=person, base=payload.base, effective_from=month)
    return {"person_id": person.pk, "effective_from": _month(month), "monthly_dues": selectors.dues_at(person, month)}


@router.post("/orgs/{int:org_id}/wage-bases", response={200: BulkBaseOut, **ERRORS}, summary="批量核定缴费基数")
def set_bases(request, org_id: int, payload: BulkBaseIn):
    """为本组织的会员（不含下级组织）批量核定缴费基数；任何一项有误则全部不保存。"""
    user = request.auth
    org = access.org_for_write(user, org_id)
    month = parse_month(payload.effective_from, "effective_from")
    count = services.wage_bases_set_bulk(actor=user, org=org, effective_from=month,
                                         bases={i.person_id: i.base for i in payload.items})  # fmt: skip
    return {"count": count}


@router.get("/members/{int:person_id}/payments", response={200: PaymentListOut, **ERRORS}, summary="缴纳记录")
def list_payments(request, person_id: int):
    """会员的全部缴纳和冲正记录。"""
    person = access.person_for_read(request.auth, person_id)
    return {"items": [payment_out(p) for p in selectors.payments_of(person)]}


@router.post("/members/{int:person_id}/payments", response={201: PaymentOut, **ERRORS}, summary="登记缴纳")
def record_payment(request, person_id: int, payload: PaymentIn):
    """登记一名会员一个月的会费；同一月份已登记的拒绝（400），如需更正请先冲正。"""
    user = request.auth
    person = access.person_for_write(user, person_id)
    payment = services.dues_pay(
        actor=user, person=person, month=parse_month(payload.month), method=payload.method,
        paid_on=payload.paid_on or timezone.localdate(), amount=payload.amount, note=payload.note,
    )  # fmt: skip
    return Status(201, payment_out(payment))


@router.post("/payments/{int:payment_id}/reverse", response={200: PaymentOut, **ERRORS}, summary="冲正")
def reverse_payment(request, payment_id: int, payload: ReverseIn):
    """冲正一条缴纳记录（记一笔负数），之后可重新登记该月。"""
    user = request.auth
    payment = selectors.payment_for_read(user, payment_id)
    return payment_out(services.dues_payment_reverse(actor=user, payment=payment, reason=payload.reason))


@router.post("/orgs/{int:org_id}/payments", response={200: BatchOut, **ERRORS}, summary="按月批量登记（代扣）")
def record_batch(request, org_id: int, payload: BatchIn):
    """为本组织（不含下级）每位应缴而未缴的会员登记该月应缴金额；重复提交不会重复登记。"""
    user = request.auth
    org = access.org_for_write(user, org_id)
    month, paid_on = parse_month(payload.month), payload.paid_on or timezone.localdate()
    return services.dues_pay_org_month(actor=user, org=org, month=month, method=payload.method, paid_on=paid_on)


@router.get("/members/{int:person_id}/arrears", response={200: ArrearsOut, **ERRORS}, summary="会员欠缴")
def member_arrears(request, person_id: int):
    """截至上月的欠缴月份和金额；有月份未核定缴费基数时 `unassessed` 为真。"""
    person = access.person_for_read(request.auth, person_id)
    return arrears_out(person.pk, selectors.member_arrears(person))


@router.get("/orgs/{int:org_id}/arrears", response={200: OrgDuesOut, **ERRORS}, summary="组织会费汇总")
def org_arrears(request, org_id: int, query: Query[MonthQuery]):
    """本组织及下级在某月的应缴、已缴和欠缴汇总（来自月度汇总表），以及各直属下级的汇总。"""
    org = access.org_for_read(request.auth, org_id)
    month = parse_month(query.month) if query.month else selectors.current_month()
    children = [{"org_id": c.pk, "org_name": c.name, **t} for c, t in selectors.child_totals(org, month)]
    return {"org_id": org.pk, "month": _month(month), "totals": selectors.subtree_totals(org, month),
            "children": children}  # fmt: skip


@router.get("/members/{int:person_id}/statement", response={200: StatementOut, **ERRORS}, summary="会员年度会费明细")
def member_statement(request, person_id: int, query: Query[YearQuery]):
    """授权范围内会员某年度每月的应缴、实缴、缴纳日期和方式，全年合计和当前欠缴。"""
    person = access.person_for_read(request.auth, person_id)
    return statement_out(selectors.statement(person, query.year or timezone.localdate().year))


@router.get("/mine/statement", response={200: StatementOut, **ERRORS}, summary="我的年度会费明细")
def my_statement(request, query: Query[YearQuery]):
    """会员本人（职工账号）查看自己的年度会费明细。"""
    person = request.auth.person
    if person is None:
        raise PermissionDenied("此功能供会员本人查看自己的会费；您的账号没有关联会员档案。")
    return statement_out(selectors.statement(person, query.year or timezone.localdate().year))
