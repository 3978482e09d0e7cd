"""演示数据: a province's year of union finance on the members demo's tree — the province's sharing rule (and a
change from July), each employer's monthly payroll declared and its 2% collected (some through the tax bureau,
some late or missing: arrears), the formation reserve of employers without a union, the grassroots unions'
spending by quarter, dues income, budgets, and the months closed. Everything goes through the services, as
the platform (``actor=None``)."""

import datetime as dt
import io
import random

from django.db import transaction
from django.utils import timezone

from gonghui.core.registry import DemoRun
from gonghui.finance import services
from gonghui.finance.models import Entry, FundDeclaration
from gonghui.finance.services import LineIn
from gonghui.members.models import Employer
from gonghui.orgs.models import Org, OrgType

DEMO_PROVINCE = "33"  # the demo accounts' province (as the hardship demo)
MAX_UNIONS = 120  # enough to show every state, small enough to load in seconds
RULES = (  # (month, shares): Zhejiang-like practice, 60% kept *(local example)*; a change from July
    (1, {"grassroots": 6000, "county": 1000, "city": 1000, "province": 1500, "national": 500}),
    (7, {"grassroots": 6000, "county": 1200, "city": 800, "province": 1500, "national": 500}),
)
SPENDING = ("50102", "50105", "50305", "50404", "505")
BUDGET_SHARES = {"501": 45, "503": 20, "504": 15, "505": 10}  # % of the expected yearly income


def _province() -> Org | None:
    return (Org.objects.filter(org_type=OrgType.PROVINCE, region_id=DEMO_PROVINCE).first()
            or Org.objects.filter(org_type=OrgType.PROVINCE).order_by("path").first())  # fmt: skip


def _month(year: int, month: int) -> dt.date:
    return dt.date(year, month, 1)


def _spend(org: Org, fen: int, day: dt.date, rng: random.Random) -> None:
    parts = [rng.randrange(1, 5) for _ in SPENDING]
    amounts = [fen * p // sum(parts) for p in parts]
    lines = [LineIn(code, debit_fen=a) for code, a in zip(SPENDING, amounts, strict=True) if a > 0]
    if lines:
        memo = f"{day.year}年第{(day.month - 1) // 3 + 1}季度工会活动支出"
        lines.append(LineIn("102", credit_fen=sum(x.debit_fen for x in lines)))
        services.entry_post(actor=None, org=org, date=day, memo=memo, lines=lines)


@transaction.atomic
def load_demo_finance(*, rng: random.Random, today: dt.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    year, last = today.year, today.month - 1
    province = _province()
    if province is None or last < 1:
        return {"collections": 0, "unions": 0}
    for month, shares in RULES:
        if month <= last:
            services.rule_set(actor=None, province=province, effective_from=_month(year, month), shares=shares,
                              tax_landing="city", note="演示：基层留成 60%")  # fmt: skip
    unions = Org.objects.filter(org_type=OrgType.GRASSROOTS, path__startswith=province.path, employer__isnull=False)
    unions = list(unions.select_related("employer").order_by("path")[:MAX_UNIONS])
    counts = {"collections": 0, "unions": len(unions), "reserve": 0}
    statement: list[tuple[Org, FundDeclaration, dt.date]] = []
    for i, union in enumerate(unions):
        payroll = max(union.member_count, 20) * rng.randrange(600_000, 1_200_000)  # fen: 6,000-12,000 yuan each
        route = "tax" if i % 5 == 0 else "direct"
        missing = 2 if i % 7 == 3 else 0  # late payers: the last two months owed
        income = 0
        for m in range(1, last + 1):
            month = _month(year, m)
            declared = payroll + rng.randrange(0, payroll // 10)
            declaration = services.declaration_record(actor=None, employer=union.employer, org=union, month=month,
                                                      payroll_fen=declared)  # fmt: skip
            if m > last - missing or route == "tax":  # the tax bureau's collections come in by statement below
                if route == "tax" and m <= last - missing:
                    statement.append((union, declaration, min((month + dt.timedelta(days=45)).replace(day=15), today)))
                    income += declaration.due_fen * 6 // 10
                continue
            paid_on = min((month + dt.timedelta(days=45)).replace(day=15), today)
            services.collection_record(actor=None, declaration=declaration, amount_fen=declaration.due_fen,
                                       received_on=paid_on, route=route)  # fmt: skip
            counts["collections"] += 1
            income += declaration.due_fen * 6 // 10
        for quarter_end in range(3, last + 1, 3):
            _spend(
                union,
                income * rng.randrange(30, 60) // 100 // max(last // 3, 1),
                min(_month(year, quarter_end) + dt.timedelta(days=24), today),
                rng,
            )
        for code, share in BUDGET_SHARES.items():
            services.budget_set(actor=None, org=union, year=year, code=code,
                                amount_fen=income * 12 // max(last, 1) * share // 100)  # fmt: skip
    counts["imported"] = _demo_statement(province, statement)
    counties = list(Org.objects.filter(org_type=OrgType.COUNTY, path__startswith=province.path).order_by("path")[:3])
    for n, county in enumerate(counties):
        employer = Employer.objects.create(name=f"{county.name.removesuffix('总工会')}未建会示例企业{n + 1}",
                                           region_id=county.region_id)  # fmt: skip
        for m in range(1, last + 1):
            declaration = services.declaration_record(
                actor=None, employer=employer, org=county, month=_month(year, m),
                payroll_fen=rng.randrange(20, 80) * 1_000_000, kind=FundDeclaration.Kind.RESERVE)  # fmt: skip
            if m < last:
                services.collection_record(actor=None, declaration=declaration, amount_fen=declaration.due_fen,
                                           received_on=min(_month(year, m + 1).replace(day=10), today))  # fmt: skip
                counts["reserve"] += 1
    for union in unions[:10]:  # a computer for the staff's room, depreciated monthly
        services.asset_acquire(actor=None, org=union, name="职工之家电脑", category="general", value_fen=650_000,
                               acquired_on=_month(year, 1).replace(day=20))  # fmt: skip
        for m in range(2, last + 1):
            services.depreciation_post(org=union, month=_month(year, m))
    counts.update(_demo_assets_and_reserve(unions, counties, today))
    counts.update(_demo_use_loss_counterparty(unions, today))
    for code, amount in (("505", 5_000_000_00), ("506", 3_000_000_00), ("508", 2_000_000_00)):
        services.budget_set(actor=None, org=province, year=year, code=code, amount_fen=amount)
    for m in range(1, today.month + 1):
        services.dues_post_month(month=_month(year, m), today=today)
    counts["spending"] = _demo_spending(unions[:6], today)
    # Close the months up to two months ago for every union with books (in order, as the rule is).
    booked = Org.objects.filter(pk__in=Entry.objects.filter(month__year=year).values("org")).order_by("path")
    for org in booked:
        for m in range(1, last):
            services.period_close(actor=None, org=org, month=_month(year, m))
    return counts


def _demo_statement(province: Org, statement: list[tuple[Org, FundDeclaration, dt.date]]) -> int:
    """The tax bureau's statement of the year (税务代收明细) for the unions paying through it, imported by the
    province as a cadre would (the long job's dry run, then its commit in batches through the batch service)."""
    from gonghui.core.spreadsheets import write_xlsx
    from gonghui.finance import imports

    if not statement:
        return 0
    missing = [union.employer for union, _, _ in statement if not union.employer.uscc]
    for n, employer in enumerate(dict.fromkeys(missing)):  # the statement names employers by credit code
        employer.uscc = f"91{DEMO_PROVINCE}0000DEMO{n:05d}X"
        employer.save(update_fields=["uscc"])
    rows = [[union.employer.uscc, union.employer.name, f"{d.month:%Y-%m}", f"{d.payroll_fen / 100:.2f}",
             f"{d.due_fen / 100:.2f}", f"{paid_on:%Y-%m-%d}", "税务代收"]
            for union, d, paid_on in statement]  # fmt: skip
    buffer = io.BytesIO()
    write_xlsx(buffer, [("税务代收明细", list(imports.HEADER), rows)])
    buffer.seek(0)
    buffer.name = "税务代收明细.xlsx"
    job = imports.upload(actor=None, org=province, file=buffer, file_name="税务代收明细（演示）.xlsx", background=False)
    job = imports.check(job=job)
    if job.errors:
        return 0
    imports.commit(actor=None, job=job, background=False)
    return imports.run(job=job).cursor


def _demo_use_loss_counterparty(unions: list[Org], today: dt.date) -> dict[str, int]:
    """The fourth union's computer reported lost at stocktaking (盘亏, on 182 waiting for approval); an air
    conditioner at a venue of the province used by another unit (使用单位); an advance to an employer on 135
    其他应收款 naming it (往来单位)."""
    from gonghui.finance.models import FixedAsset
    from gonghui.venues.models import Venue

    made = {"losses": 0, "venue_assets": 0}
    asset = FixedAsset.objects.filter(org__in=unions[3:4], status="in_use").first()
    if asset is not None:
        services.asset_move_submit(actor=None, asset=asset, kind="loss", reason="年中盘点未找到，待查明原因")
        made["losses"] += 1
    province = _province()
    venue = Venue.objects.filter(org__path__startswith=province.path).order_by("pk").first() if province else None
    if venue is not None:
        services.asset_acquire(actor=None, org=venue.org, name=f"{venue.name}空调", category="general",
                               value_fen=860_000, acquired_on=today.replace(day=1), user_unit="职工服务中心",
                               venue=venue)  # fmt: skip
        made["venue_assets"] += 1
    if len(unions) > 4 and unions[4].employer is not None:
        services.entry_post(actor=None, org=unions[4], date=today, memo="代垫职工体检费，待单位归还",
                            lines=[LineIn("135", debit_fen=1_200_000, counterparty=unions[4].employer.name),
                                   LineIn("102", credit_fen=1_200_000)])  # fmt: skip
    return made


def _demo_assets_and_reserve(unions: list[Org], counties: list[Org], today: dt.date) -> dict[str, int]:
    """A transfer (the first union's computer to its county union, approved), a disposal (the second's scrapped,
    approved), a sale still waiting for approval, and the formation reserve returned to the union just formed at
    the first county's employer without a union; the arrears reminders of this month."""
    from gonghui.finance.models import FixedAsset
    from gonghui.orgs.services import org_create

    made = {"asset_moves": 0, "reserve_returns": 0}
    assets = {a.org_id: a for a in FixedAsset.objects.filter(org__in=unions[:3], status="in_use")}
    plans = [
        ("transfer", "调给上级工会职工服务中心使用"),
        ("scrap", "主板损坏，无维修价值"),
        ("sale", "设备更新，旧电脑出售"),
    ]
    for union, (kind, reason) in zip(unions[:3], plans, strict=False):
        asset = assets.get(union.pk)
        if asset is None:
            continue
        to_org = Org.objects.get(path=union.ancestor_paths()[-1]) if kind == "transfer" else None
        move = services.asset_move_submit(actor=None, asset=asset, kind=kind, reason=reason, to_org=to_org,
                                          proceeds_fen=80_000 if kind == "sale" else 0)  # fmt: skip
        if kind != "sale":
            services.asset_move_decide(actor=None, move=move, approve=True, version=move.case.version, note="同意")
        made["asset_moves"] += 1
    if counties:
        county = counties[0]
        employer = Employer.objects.filter(name__startswith=county.name.removesuffix("总工会"),
                                           name__contains="未建会示例企业").first()  # fmt: skip
        if employer is not None:
            org_create(actor=None, parent=county, name=f"{employer.name}工会", org_type=OrgType.GRASSROOTS,
                       region=county.region, employer=employer, founded_on=today)  # fmt: skip
            services.reserve_return(actor=None, org=county, employer=employer, date=today)
            made["reserve_returns"] += 1
    made["reminders"] = services.arrears_remind(today=today)
    return made


def _demo_spending(unions: list[Org], today: dt.date) -> int:
    """This month's spending of a few unions: a small one posted at once, festival gifts within the caps (one
    approved, one refused, one still waiting for approval: 300 yuan each for at least 20 members is above the
    default approval amount) and a birthday gift."""
    made = 0
    for i, union in enumerate(unions):
        heads = max(union.member_count, 20)
        services.spending_submit(actor=None, org=union, date=today, memo="职工书屋购书", code="50304",
                                 amount_fen=180_000)  # fmt: skip
        gift = services.spending_submit(actor=None, org=union, date=today, memo="元旦慰问品（米面油）", code="50105",
                                        amount_fen=heads * 30_000, purpose="festival", form="goods",
                                        headcount=heads)  # fmt: skip
        services.spending_submit(actor=None, org=union, date=today, memo="会员生日蛋糕", code="50105",
                                 amount_fen=min(heads, 12) * 15_000, purpose="birthday", form="goods",
                                 headcount=min(heads, 12))  # fmt: skip
        made += 3
        if gift.case is not None and i % 3 != 2:
            services.spending_decide(actor=None, spending=gift, approve=i % 3 == 0, version=gift.case.version,
                                     note="同意" if i % 3 == 0 else "请按工会小组核实人数后重新申报")  # fmt: skip
    return made


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members and dues demos)."""
    counts = load_demo_finance(rng=run.rng)
    run.summary.append(f"{counts['unions']} 个基层工会一年的经费收缴（{counts['collections']} 笔，已按比例分到各级；"
                       f"税务代收明细导入 {counts.get('imported', 0)} 笔），"
                       f"{counts.get('spending', 0)} 笔本月经费支出（含待审批、已批准和未获批准的慰问品），"
                       f"{counts.get('asset_moves', 0)} 项资产调拨或处置，"
                       f"{counts.get('reserve_returns', 0)} 笔建会筹备金返还")  # fmt: skip
