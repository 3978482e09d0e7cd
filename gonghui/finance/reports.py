"""The reports of 工会会计制度 for any org and month, alone or consolidated over its subtree: the trial balance
(科目余额表), 工会01 资产负债表 and 工会02 收入支出表, and their xlsx (through core.spreadsheets).

Each report is one aggregate of the monthly balances (``Balance``, kept by every posting; decision 0051) by
account code, never of the lines. A consolidated report adds up the subtree's unions account by account and
eliminates the receivables and payables between two unions inside it (131/132 against 212/211, and 135
against 215: the balances that name the other union, ``party``, as every collection's split does); those
with a union outside the subtree stay."""

import datetime as dt
import io
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F, Sum

from gonghui.core.errors import field_error
from gonghui.core.spreadsheets import write_xlsx
from gonghui.finance import chart
from gonghui.finance.models import Account, Balance
from gonghui.finance.money import yuan_decimal
from gonghui.finance.services import label
from gonghui.orgs.models import Org

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the months a report may be asked for


def report_month(month: dt.date) -> dt.date:
    """The first day of ``month``, refused outside the years a union's books can hold."""
    if not FIRST_YEAR <= month.year <= LAST_YEAR:
        raise field_error("month", f"月份应在 {FIRST_YEAR} 年到 {LAST_YEAR} 年之间。")
    return month.replace(day=1)


def _balances(org: Org, subtree: bool):
    """The monthly balances of ``org`` (or its subtree), which every posting keeps (decision 0051)."""
    return Balance.objects.filter(org__path__startswith=org.path) if subtree else Balance.objects.filter(org=org)


def movements(org: Org, *, subtree: bool = False, since: dt.date | None = None,
              until: dt.date | None = None) -> dict[str, tuple[int, int]]:  # fmt: skip
    """(debits, credits) per account code over the months ``since``..``until`` (both first days, inclusive)."""
    rows = _balances(org, subtree)
    if since is not None:
        rows = rows.filter(month__gte=since)
    if until is not None:
        rows = rows.filter(month__lte=until)
    totals = rows.values("code").annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen")).order_by()
    out = {row["code"]: (row["debit"], row["credit"]) for row in totals}
    if subtree:  # 抵销: the pairs between two unions of the subtree, each side named by the other's ``party``
        # Only 131/132/211/212/135/215 name a union. Which party is inside is decided here, on the few (code,
        # party) totals: a second path-prefix filter in SQL, on the party's org, made PostgreSQL estimate one
        # union on each side and loop over every pair of the subtree's unions (docs/bench.md, decision 0051).
        named = rows.filter(party__isnull=False).values("code", "party__path")
        for row in named.annotate(debit=Sum("debit_fen"), credit=Sum("credit_fen")).order_by():
            if row["party__path"].startswith(org.path):
                d, c = out[row["code"]]
                out[row["code"]] = (d - row["debit"], c - row["credit"])
    return out


def _names(org: Org, subtree: bool) -> dict[str, str]:
    """Account names by code: the standard chart's, and the org's own (a subtree: its unions' own too)."""
    own = Account.objects.filter(org__path__startswith=org.path) if subtree else Account.objects.filter(org=org)
    return {a.code: a.name for a in chart.standard(county_level=True)} | {a.code: a.name for a in own}


@dataclass
class TrialRow:
    code: str
    name: str
    opening: int  # debit minus credit before the month
    debit: int
    credit: int

    @property
    def closing(self) -> int:
        return self.opening + self.debit - self.credit

    @property
    def level(self) -> int:
        return (len(self.code) - chart.TOP_LEVEL) // 2


@dataclass
class TrialBalance:
    org: Org
    month: dt.date
    subtree: bool
    rows: list[TrialRow] = field(default_factory=list)

    @property
    def title(self) -> str:
        return f"{self.org.name}{'（汇总）' if self.subtree else ''}{label(self.month)}科目余额表"

    def total(self, attr: str, sign: int = 0) -> int:
        """The sum over top-level accounts; for balances, the debit (sign 1) or credit (sign -1) side."""
        top = [r for r in self.rows if r.level == 0]
        values = [getattr(r, attr) for r in top]
        if sign:
            return sum(v for v in values if v * sign > 0) * sign
        return sum(values)


def trial_balance(org: Org, month: dt.date, *, subtree: bool = False) -> TrialBalance:
    """科目余额表: each account with movements, its sub-accounts under it; opening and closing balances as debit
    minus credit (the totals of both sides agree, and all balances add up to zero)."""
    month = report_month(month)
    before = movements(org, subtree=subtree, until=month - dt.timedelta(days=1))
    during = movements(org, subtree=subtree, since=month, until=month)
    accounts = _names(org, subtree)
    opening: dict[str, int] = defaultdict(int)
    moved: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for code, (d, c) in before.items():
        for prefix in _prefixes(code):
            opening[prefix] += d - c
    for code, (d, c) in during.items():
        for prefix in _prefixes(code):
            moved[prefix][0] += d
            moved[prefix][1] += c
    codes = sorted(set(opening) | set(moved))
    report = TrialBalance(org=org, month=month, subtree=subtree)
    for code in codes:
        name = accounts.get(code, code)
        report.rows.append(TrialRow(code, name, opening.get(code, 0), *moved.get(code, [0, 0])))
    return report


def _prefixes(code: str) -> list[str]:
    return [code[:n] for n in range(chart.TOP_LEVEL, len(code) + 1, 2)]


def _top_balances(org: Org, subtree: bool, until: dt.date | None, since: dt.date | None = None) -> dict[str, int]:
    """Debit-minus-credit per top-level code."""
    out: dict[str, int] = defaultdict(int)
    for code, (d, c) in movements(org, subtree=subtree, since=since, until=until).items():
        out[chart.top_code(code)] += d - c
    return out


ASSETS = (("101", "库存现金"), ("102", "银行存款"), ("131", "应收上级经费"), ("132", "应收下级经费"),
          ("135", "其他应收款"), ("141", "库存物品"), ("162", "固定资产原值"), ("163", "减：累计折旧"),
          ("182", "待处理财产损溢"))  # fmt: skip
LIABILITIES = (("211", "应付上级经费"), ("212", "应付下级经费"), ("215", "其他应付款"))
NET_ASSETS = (("301", "资产基金"), ("321", "工会资金结转"), ("322", "工会资金结余"))


@dataclass
class Statement:
    """A report as sections of (label, figures...) rows, the way it is printed and exported."""

    title: str
    columns: list[str]
    rows: list[tuple[str, list[int | None], bool]]  # label, figures in fen (None: a heading), is a total

    def sheet(self) -> tuple[str, list[str], list[list]]:
        rows = [[text, *("" if v is None else yuan_decimal(v) for v in values)] for text, values, _ in self.rows]
        return self.title[:31], ["项目", *self.columns], rows


def balance_sheet(org: Org, month: dt.date, *, subtree: bool = False) -> Statement:
    """工会01 资产负债表: balances at the start of the year and at the end of ``month``. Income and spending not
    yet closed into 321/322 at year end show as 本年收支差额 under net assets, so that 资产 = 负债 + 净资产."""
    month = month.replace(day=1)
    year_start = month.replace(month=1)
    columns = [f"{year_start.year}年初数", f"{label(month)}末数"]
    opening = _top_balances(org, subtree, year_start - dt.timedelta(days=1))
    closing = _top_balances(org, subtree, month)
    figures = [opening, closing]
    rows: list[tuple[str, list[int | None], bool]] = []

    def add(code: str, text: str, sign: int) -> None:
        rows.append((f"{code} {text}", [sign * f.get(code, 0) for f in figures], False))

    rows.append(("一、资产", [None, None], True))
    for code, text in ASSETS:
        add(code, text, 1 if code != "163" else -1)
    rows.append(("资产合计", [sum(f.get(c, 0) for c, _ in ASSETS) for f in figures], True))
    rows.append(("二、负债", [None, None], True))
    for code, text in LIABILITIES:
        add(code, text, -1)
    liabilities = [-sum(f.get(c, 0) for c, _ in LIABILITIES) for f in figures]
    rows.append(("负债合计", liabilities, True))
    rows.append(("三、净资产", [None, None], True))
    for code, text in NET_ASSETS:
        add(code, text, -1)
    result = [-sum(v for c, v in f.items() if c[0] in "45") for f in figures]
    rows.append(("本年收支差额（尚未结转）", result, False))
    net = [-sum(f.get(c, 0) for c, _ in NET_ASSETS) + r for f, r in zip(figures, result, strict=True)]
    rows.append(("净资产合计", net, True))
    rows.append(("负债和净资产合计", [a + b for a, b in zip(liabilities, net, strict=True)], True))
    title = f"工会01 资产负债表 {org.name}{'（汇总）' if subtree else ''} {label(month)}"
    return Statement(title=title, columns=columns, rows=rows)


INCOME = (("401", "会费收入"), ("402", "拨缴经费收入"), ("403", "上级补助收入"), ("404", "政府补助收入"),
          ("405", "行政补助收入"), ("406", "附属单位上缴收入"), ("408", "其他收入"))  # fmt: skip
EXPENSES = (("501", "职工活动支出"), ("503", "职工服务支出"), ("504", "维权支出"), ("505", "业务支出"),
            ("506", "行政支出"), ("507", "资本性支出"), ("508", "补助下级支出"), ("510", "其他支出"))  # fmt: skip


def income_statement(org: Org, month: dt.date, *, subtree: bool = False) -> Statement:
    """工会02 收入支出表: income and spending of ``month`` and of the year up to it."""
    month = report_month(month)
    figures = [_top_balances(org, subtree, month, since=month),
               _top_balances(org, subtree, month, since=month.replace(month=1))]  # fmt: skip
    rows: list[tuple[str, list[int | None], bool]] = [("一、收入", [None, None], True)]
    rows += [(f"{c} {t}", [-f.get(c, 0) for f in figures], False) for c, t in INCOME]
    income = [-sum(f.get(c, 0) for c, _ in INCOME) for f in figures]
    rows.append(("收入合计", income, True))
    rows.append(("二、支出", [None, None], True))
    rows += [(f"{c} {t}", [f.get(c, 0) for f in figures], False) for c, t in EXPENSES]
    spending = [sum(f.get(c, 0) for c, _ in EXPENSES) for f in figures]
    rows.append(("支出合计", spending, True))
    rows.append(("三、收支差额", [i - s for i, s in zip(income, spending, strict=True)], True))
    title = f"工会02 收入支出表 {org.name}{'（汇总）' if subtree else ''} {label(month)}"
    return Statement(title=title, columns=["本月数", "本年累计数"], rows=rows)


def trial_sheet(report: TrialBalance) -> tuple[str, list[str], list[list]]:
    header = ["科目编号", "科目名称", "期初余额（借+/贷-）", "本期借方", "本期贷方", "期末余额（借+/贷-）"]
    rows = [[r.code, r.name, *(yuan_decimal(v) for v in (r.opening, r.debit, r.credit, r.closing))]
            for r in report.rows]  # fmt: skip
    return "科目余额表", header, rows


def reports_xlsx(org: Org, month: dt.date, *, subtree: bool = False) -> bytes:
    """The three reports of ``org``'s month as one workbook."""
    out = io.BytesIO()
    write_xlsx(out, [balance_sheet(org, month, subtree=subtree).sheet(),
                     income_statement(org, month, subtree=subtree).sheet(),
                     trial_sheet(trial_balance(org, month, subtree=subtree))])  # fmt: skip
    return out.getvalue()


def reports_pdf(org: Org, month: dt.date, *, subtree: bool = False) -> bytes:
    """工会01 资产负债表 and 工会02 收入支出表 of ``org``'s month as an A4 PDF, one page each, in yuan, with the
    Chinese font embedded (core.pdf) and the lines for the signatures the forms carry."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import PageBreak, Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from gonghui.core.pdf import cjk_font

    font = cjk_font()
    title_style = ParagraphStyle("title", fontName=font, fontSize=15, leading=20, alignment=1)
    small = ParagraphStyle("small", fontName=font, fontSize=9, leading=13)
    statements = [balance_sheet(org, month, subtree=subtree), income_statement(org, month, subtree=subtree)]
    story = []
    for number, statement in enumerate(statements):
        if number:
            story.append(PageBreak())
        form, name = statement.title.split(" ", 2)[:2]
        story += [Paragraph(name, title_style), Spacer(1, 2 * mm),
                  Paragraph(f"{form}　编制单位：{org.name}{'（汇总）' if subtree else ''}　期间：{label(month)}　"
                            f"金额单位：元", small), Spacer(1, 3 * mm)]  # fmt: skip
        data = [["项目", *statement.columns]]
        bold_rows = []
        for text, values, total in statement.rows:
            data.append([text, *("" if v is None else f"{yuan_decimal(v):,.2f}" for v in values)])
            if total:
                bold_rows.append(len(data) - 1)
        table = Table(data, colWidths=[80 * mm, 45 * mm, 45 * mm], repeatRows=1)
        style = [("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
                 ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                 ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]  # fmt: skip
        style += [("BACKGROUND", (0, r), (-1, r), colors.HexColor("#f7f7f7")) for r in bold_rows]
        table.setStyle(TableStyle(style))
        story += [table, Spacer(1, 8 * mm),
                  Paragraph("单位负责人：＿＿＿＿　　财务负责人：＿＿＿＿　　制表人：＿＿＿＿", small)]  # fmt: skip
    out = io.BytesIO()
    margin = 15 * mm
    doc = SimpleDocTemplate(out, pagesize=A4, title=f"{org.name}{label(month)}财务报表", author=org.name,
                            leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin)  # fmt: skip
    doc.build(story)
    return out.getvalue()


LEGAL_BASIS = (
    "《中华人民共和国工会法》第四十四条：企业、事业单位、社会组织拖延或者拒不拨缴工会经费的，基层工会或者上级工会"
    "可以向当地人民法院申请支付令；拒不执行支付令的，工会可以依法申请人民法院强制执行。"
    "第四十三条：建立工会组织的用人单位按每月全部职工工资总额的百分之二向工会拨缴经费。"
)


def payment_order_rows(org: Org, employer) -> list:
    """The months ``employer`` owes ``org`` (declared, not fully paid), oldest first, with what came in."""
    from gonghui.finance.models import FundDeclaration

    rows = FundDeclaration.objects.filter(org=org, employer=employer, collected_fen__lt=F("due_fen"))
    return list(rows.prefetch_related("collections").order_by("month"))


def payment_order_pdf(org: Org, employer, *, today: dt.date) -> bytes:
    """支付令申请材料: what a union takes to the court (工会法 art. 44) — the applicant union and the employer,
    each month owed with the payroll declared, the 2% due, paid and owed, the total, the legal basis, and the
    attached record of every payment received against those months. In yuan, A4, the embedded Chinese font."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from gonghui.core.pdf import cjk_font

    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=20, alignment=1)
    body = ParagraphStyle("body", fontName=font, fontSize=10, leading=16)
    small = ParagraphStyle("small", fontName=font, fontSize=9, leading=13)
    rows = payment_order_rows(org, employer)

    def money(fen: int) -> str:
        return f"{yuan_decimal(fen):,.2f}"

    def table(data, widths):
        t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        t.setStyle(TableStyle([("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
                               ("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("ALIGN", (1, 0), (-1, -1), "RIGHT"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))  # fmt: skip
        return t

    owed = [["所属月份", "类别", "工资总额", "应缴", "已缴", "欠缴"]]
    for d in rows:
        owed.append([label(d.month), d.get_kind_display(), money(d.payroll_fen), money(d.due_fen),
                     money(d.collected_fen), money(d.arrears_fen)])  # fmt: skip
    total = sum(d.arrears_fen for d in rows)
    owed.append(["合计", "", "", money(sum(d.due_fen for d in rows)), money(sum(d.collected_fen for d in rows)),
                 money(total)])  # fmt: skip
    paid = [["所属月份", "到账日期", "收缴方式", "金额", "状态"]]
    for d in rows:
        for c in sorted(d.collections.all(), key=lambda c: (c.received_on, c.pk)):
            paid.append([label(d.month), f"{c.received_on:%Y-%m-%d}", c.get_route_display(), money(c.amount_fen),
                         "已冲销" if c.reversed_at else "有效"])  # fmt: skip
    story = [
        Paragraph("支付令申请材料（工会经费）", title),
        Spacer(1, 4 * mm),
        Paragraph(f"申请人：{org.name}", body),
        Paragraph(f"被申请人：{employer.name}　统一社会信用代码：{employer.uscc or '（未登记）'}", body),
        Paragraph(
            f"请求事项：被申请人向申请人支付欠缴的工会经费 {money(total)} 元（截至 {today:%Y年%m月%d日}，"
            f"共 {len(rows)} 个月）。",
            body,
        ),  # fmt: skip
        Spacer(1, 3 * mm),
        Paragraph("一、欠缴明细（金额单位：元）", body),
        Spacer(1, 2 * mm),
        table(owed, [30, 25, 35, 30, 30, 30]),
        Spacer(1, 4 * mm),
        Paragraph("二、法律依据", body),
        Paragraph(LEGAL_BASIS, small),
        Spacer(1, 4 * mm),
        Paragraph("三、附：上述月份的缴费记录（金额单位：元）", body),
        Spacer(1, 2 * mm),
        table(paid, [35, 35, 40, 35, 25]) if len(paid) > 1 else Paragraph("上述月份没有任何缴费记录。", small),
        Spacer(1, 4 * mm),
        Paragraph(
            "工资总额以被申请人的申报为准。本材料由智慧工会平台根据申报和收缴记录生成；提交人民法院前，"
            "请核对金额，并附上催缴通知及送达凭证。",
            small,
        ),  # fmt: skip
        Spacer(1, 10 * mm),
        Paragraph(f"申请人（盖章）：{org.name}　　　　负责人：＿＿＿＿　　　　{today:%Y年%m月%d日}", body),
    ]
    out = io.BytesIO()
    margin = 15 * mm
    doc = SimpleDocTemplate(out, pagesize=A4, title=f"{employer.name}工会经费支付令申请材料", author=org.name,
                            leftMargin=margin, rightMargin=margin, topMargin=margin, bottomMargin=margin)  # fmt: skip
    doc.build(story)
    return out.getvalue()
