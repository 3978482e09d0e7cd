"""统计年报 (decision 0041): the yearly statistics a union reports upward for its whole subtree, computed once into
plain values (``compute``) and laid out in a fixed xlsx sheet and a PDF from those values only (``xlsx_bytes``,
``pdf_bytes``), so that a kept report never changes when the records do.

Sections, always the same rows in the same order (zeros included), so that reports of different unions and
years line up:

一、工会组织  the unions of the subtree by type (not revoked) and by status;
二、会员      active members and the categories the federation counts: women, migrant workers, gig workers
              (新就业形态, the employment forms in ``members.models.GIG_FORMS``), retirees; new members of the year;
三、覆盖      建会率 (employers known in the union's region with a union of their own ÷ employers known) and
              入会率 (workers known — people whose employer is one of those — who are members ÷ workers known).
              Only a regional union (全总 … 乡镇) has a region to count in; for another union both are 不适用;
四、工作与经费 every figure the apps declare for the overview, from the monthly rollup (governance.FigureMonth) of
              the year's last month that was rolled up, and the year's dues as the sum of its months.

Organisations and members are counted from the records at the statistics date (``as_of``, the day it is
generated); section four reads the rollup rows of the year itself."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.db.models import Count, Q, Sum

from gonghui.core import registry
from gonghui.core.pdf import cjk_font
from gonghui.governance.models import FigureMonth
from gonghui.members.models import GIG_FORMS, Membership, Person
from gonghui.orgs.models import Org, OrgType

REGIONAL = {OrgType.NATIONAL, OrgType.PROVINCE, OrgType.CITY, OrgType.COUNTY, OrgType.TOWNSHIP}
YEAR_SUMS = {"dues_paid": "全年会费收缴"}  # monthly flows summed over the year (besides their December value)
HEADER = ["栏目", "指标", "数值", "单位"]
COVERAGE_ROWS = (
    ("coverage_employers", "已知用人单位", "家"),
    ("coverage_unionised", "已建工会单位", "家"),
    ("coverage_union_rate", "建会率", "%"),
    ("coverage_workers", "已知职工", "人"),
    ("coverage_members", "其中会员", "人"),
    ("coverage_member_rate", "入会率", "%"),
)


def _row(key: str, label: str, value, unit: str) -> list:
    return [key, label, str(value), unit]


def _percent(part: int, whole: int) -> str:
    return str((Decimal(part) * 100 / whole).quantize(Decimal("0.1"))) if whole else "0.0"


def _orgs(org: Org) -> list[list]:
    counts = {(t, s): n for t, s, n in Org.objects.filter(path__startswith=org.path)
              .values_list("org_type", "status").annotate(n=Count("pk"))}  # fmt: skip
    rows = []
    for code, label in OrgType.choices:
        n = sum(v for (t, s), v in counts.items() if t == code and s != Org.Status.REVOKED)
        rows.append(_row(f"orgs_{code}", label, n, "个"))
    for code, label in Org.Status.choices:
        rows.append(_row(f"orgs_status_{code}", f"状态：{label}", sum(v for (_, s), v in counts.items() if s == code),
                         "个"))  # fmt: skip
    rows.append(_row("orgs_total", "组织合计（不含撤销）", sum(v for (_, s), v in counts.items()
                                                            if s != Org.Status.REVOKED), "个"))  # fmt: skip
    return rows


def _members(org: Org, year: int) -> list[list]:
    active = Membership.objects.filter(status=Membership.Status.ACTIVE, org__path__startswith=org.path)
    got = active.aggregate(
        total=Count("pk"), women=Count("pk", filter=Q(person__gender="F")),
        migrant=Count("pk", filter=Q(person__is_migrant=True)),
        gig=Count("pk", filter=Q(person__employment_form__in=[str(f) for f in GIG_FORMS])),
        retired=Count("pk", filter=Q(is_retired=True)),
    )  # fmt: skip
    new = Membership.objects.filter(org__path__startswith=org.path, joined_on__year=year).count()
    return [
        _row("members_total", "会员总数", got["total"], "人"),
        _row("members_women", "其中：女性会员", got["women"], "人"),
        _row("members_migrant", "其中：农民工会员", got["migrant"], "人"),
        _row("members_gig", "其中：新就业形态劳动者会员", got["gig"], "人"),
        _row("members_retired", "其中：退休会员", got["retired"], "人"),
        _row("members_new", f"{year}年新入会", new, "人"),
    ]


def _coverage(org: Org) -> list[list]:
    if org.org_type not in REGIONAL:
        return [_row(key, label, "不适用", unit) for key, label, unit in COVERAGE_ROWS]
    from gonghui.members.models import Employer

    employers = Employer.objects.all()
    if org.org_type != OrgType.NATIONAL:
        employers = employers.filter(region__code__startswith=org.region_id)
    known = employers.count()
    unionised = employers.filter(unions__status=Org.Status.ACTIVE).distinct().count()
    workers = Person.objects.filter(employer__in=employers)
    known_workers = workers.count()
    members = workers.filter(memberships__status=Membership.Status.ACTIVE).distinct().count()
    values = (known, unionised, _percent(unionised, known), known_workers, members, _percent(members, known_workers))
    return [_row(key, label, value, unit) for (key, label, unit), value in zip(COVERAGE_ROWS, values, strict=True)]


def _number(value) -> str:
    value = Decimal(value or 0)
    return str(value.quantize(Decimal(1)) if value == value.to_integral_value() else value)


def _work(org: Org, year: int) -> tuple[list[list], str]:
    """The declared figures from the rollup of the year's last rolled-up month; the yearly sums of flows."""
    rows_of_year = FigureMonth.objects.filter(org=org, month__year=year)
    last = rows_of_year.order_by("-month").values_list("month", flat=True).first()
    values = dict(rows_of_year.filter(month=last).values_list("key", "value")) if last else {}
    sums = dict(rows_of_year.filter(key__in=YEAR_SUMS).values("key").annotate(s=Sum("value"))
                .values_list("key", "s"))  # fmt: skip
    rows = []
    for figure in registry.overview_figures():
        if not figure.subtree or figure.key == "members":
            continue
        rows.append(_row(f"figure_{figure.key}", figure.label, _number(values.get(figure.key)), figure.unit))
        if figure.key in YEAR_SUMS:
            rows.append(_row(f"year_{figure.key}", YEAR_SUMS[figure.key], _number(sums.get(figure.key)), figure.unit))
    return rows, last.strftime("%Y-%m") if last else ""


TITLES = ("一、工会组织", "二、会员", "三、建会率与入会率", "四、各项工作与经费")


def compute_section(org: Org, year: int, index: int) -> dict:
    """One section (0 … 3) as plain JSON: the long job computes and keeps them one at a time (decision 0044)."""
    if index == 0:
        return {"title": TITLES[0], "rows": _orgs(org)}
    if index == 1:
        return {"title": TITLES[1], "rows": _members(org, year)}
    if index == 2:
        return {"title": TITLES[2], "rows": _coverage(org)}
    work, month = _work(org, year)
    return {"title": TITLES[3], "rows": work, "rollup_month": month}


def assemble(org: Org, year: int, today: dt.date, sections: list[dict]) -> dict:
    """The report's values from its four computed sections."""
    month = sections[3].get("rollup_month", "")
    return {
        "org": org.name, "year": year, "as_of": today.isoformat(), "rollup_month": month,
        "sections": [{"title": s["title"], "rows": s["rows"]} for s in sections],
    }  # fmt: skip


def compute(org: Org, year: int, *, today: dt.date) -> dict:
    """The report's values (plain JSON): the header facts and the four sections' rows."""
    return assemble(org, year, today, [compute_section(org, year, i) for i in range(len(TITLES))])


def value_of(values: dict, key: str) -> str:
    """One row's value by its key (tests, the page)."""
    return next(row[2] for section in values["sections"] for row in section["rows"] if row[0] == key)


def _title(values: dict) -> str:
    return f"{values['org']}{values['year']}年度统计年报"


def _notes(values: dict) -> list[str]:
    month = values["rollup_month"] or "无"
    return [f"统计时点：{values['as_of']}（组织、会员、覆盖按该日记录统计）",
            f"各项工作与经费取自月度汇总：{month}"]  # fmt: skip


def xlsx_bytes(values: dict) -> bytes:
    """The fixed layout: the title and notes, then 栏目/指标/数值/单位, one row per item (through the safe writer:
    a union's name typed as a formula stays text)."""
    from gonghui.core.spreadsheets import write_xlsx

    rows = [[_title(values), "", "", ""], *([note, "", "", ""] for note in _notes(values)), ["", "", "", ""]]
    rows += [[section["title"], label, value, unit] for section in values["sections"]
             for _, label, value, unit in section["rows"]]  # fmt: skip
    out = io.BytesIO()
    write_xlsx(out, [("统计年报", HEADER, rows)])
    return out.getvalue()


def pdf_bytes(values: dict) -> bytes:
    """The same rows as an A4 PDF with the platform's Chinese font embedded (core.pdf)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    font = cjk_font()
    out = io.BytesIO()
    doc = SimpleDocTemplate(out, pagesize=A4, title=_title(values), author=values["org"], leftMargin=18 * mm,
                            rightMargin=18 * mm, topMargin=16 * mm, bottomMargin=16 * mm)  # fmt: skip
    heading = ParagraphStyle("h", fontName=font, fontSize=16, leading=22, alignment=1)
    small = ParagraphStyle("s", fontName=font, fontSize=9, leading=13)
    story = [Paragraph(_title(values), heading), Spacer(1, 4 * mm)]
    story += [Paragraph(note, small) for note in _notes(values)]
    story.append(Spacer(1, 4 * mm))
    data, styles = [HEADER[1:]], []
    for section in values["sections"]:
        styles.append(("SPAN", (0, len(data)), (-1, len(data))))
        styles.append(("BACKGROUND", (0, len(data)), (-1, len(data)), colors.HexColor("#f2f2f2")))
        data.append([section["title"], "", ""])
        data += [[label, value, unit] for _, label, value, unit in section["rows"]]
    table = Table(data, colWidths=[100 * mm, 45 * mm, 25 * mm], repeatRows=1)
    table.setStyle(TableStyle([
        ("FONTNAME", (0, 0), (-1, -1), font), ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#999999")), ("ALIGN", (1, 1), (1, -1), "RIGHT"),
        ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#b71c1c")), ("TEXTCOLOR", (0, 0), (-1, 0), colors.white),
        *styles,
    ]))  # fmt: skip
    story.append(table)
    doc.build(story)
    return out.getvalue()
