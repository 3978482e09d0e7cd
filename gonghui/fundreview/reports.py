"""年度审查工作报告: its content (generated once, when issued, from the year's plans, findings and rectification,
with the union's budget against actual from the ledger), and its PDF (core.pdf's Chinese font) and workbook
(the safe writer), both printed from the kept content, so a report prints the same every time."""

import io

from django.utils import timezone

from gonghui.core.spreadsheets import write_xlsx
from gonghui.finance.money import yuan, yuan_decimal
from gonghui.fundreview.models import Committee, Finding, Plan
from gonghui.orgs.models import Org


def content_of(org: Org, year: int, committee: Committee) -> dict:
    """The report's figures and lines, plain JSON: what the committee reviewed, what it found, how far the
    rectification has come, and the budget lines against actual."""
    from gonghui.finance.selectors import budget_vs_actual

    plans = list(Plan.objects.filter(org=org, year=year).order_by("planned_on", "pk"))
    findings = list(Finding.objects.filter(plan__in=plans).order_by("plan_id", "pk"))
    titles = {p.pk: p.title for p in plans}
    closed = sum(f.status == Finding.Status.CLOSED for f in findings)
    today = timezone.localdate()
    members = committee.members.select_related("person").order_by("role", "pk")
    return {
        "org": org.name, "year": year, "issued_on": today.isoformat(),
        "committee": {"term": f"{committee.term_start:%Y-%m-%d} 至 {committee.term_end:%Y-%m-%d}",
                      "members": [f"{m.person.name}（{m.get_role_display()}）" for m in members]},
        "plans": [{"title": p.title, "scope": p.get_scope_display(), "status": p.get_status_display(),
                   "planned_on": p.planned_on.isoformat(), "conclusion": p.conclusion} for p in plans],
        "findings": [{"plan": titles[f.plan_id],
                      "title": f.title, "severity": f.get_severity_display(), "amount_fen": f.amount_fen,
                      "requirement": f.requirement, "deadline": f.deadline.isoformat(),
                      "status": f.get_status_display(), "overdue": f.status != Finding.Status.CLOSED
                      and f.deadline < today} for f in findings],
        "totals": {"plans": len(plans), "done": sum(p.status == Plan.Status.DONE for p in plans),
                   "findings": len(findings), "closed": closed, "open": len(findings) - closed,
                   "amount_fen": sum(f.amount_fen for f in findings),
                   "closure_pct": round(closed * 100 / len(findings), 1) if findings else None},
        "budget": [{"code": r["budget"].code, "name": r["name"], "budget_fen": r["budget"].amount_fen,
                    "actual_fen": r["actual_fen"], "used_pct": r["used_pct"], "over": r["over"]}
                   for r in budget_vs_actual(org, year)],
    }  # fmt: skip


def _summary(content: dict) -> str:
    t = content["totals"]
    rate = "—" if t["closure_pct"] is None else f"{t['closure_pct']}%"
    return (
        f"{content['year']}年度，本委员会共开展审查 {t['plans']} 项（已完成 {t['done']} 项），"
        f"发现问题 {t['findings']} 个，涉及金额 {yuan(t['amount_fen'])} 元；"
        f"已整改销号 {t['closed']} 个，尚在整改 {t['open']} 个，整改销号率 {rate}。"
    )


def report_xlsx(content: dict) -> bytes:
    overview = [["工会", content["org"]], ["年度", content["year"]], ["签发日期", content["issued_on"]],
                ["委员会任期", content["committee"]["term"]], ["委员", "、".join(content["committee"]["members"])],
                ["总体情况", _summary(content)]]  # fmt: skip
    plans = [[p["title"], p["scope"], p["planned_on"], p["status"], p["conclusion"]] for p in content["plans"]]
    findings = [[f["plan"], f["title"], f["severity"], yuan_decimal(f["amount_fen"]), f["requirement"], f["deadline"],
                 f["status"], "是" if f["overdue"] else "否"] for f in content["findings"]]  # fmt: skip
    budget = [[b["code"], b["name"], yuan_decimal(b["budget_fen"]), yuan_decimal(b["actual_fen"]), b["used_pct"],
               "是" if b["over"] else "否"] for b in content["budget"]]  # fmt: skip
    out = io.BytesIO()
    write_xlsx(out, [
        ("概况", ["项目", "内容"], overview),
        ("审查计划", ["审查事项", "类型", "计划实施日期", "状态", "审查结论"], plans),
        ("发现问题与整改", ["审查事项", "问题", "严重程度", "涉及金额（元）", "整改要求", "整改期限", "整改状态",
                            "逾期"], findings),
        ("预算执行", ["科目编号", "科目名称", "预算（元）", "实际（元）", "执行率（%）", "超预算"], budget),
    ])  # fmt: skip
    return out.getvalue()


def report_pdf(content: dict) -> bytes:
    """The report as an A4 PDF with the Chinese font embedded."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from gonghui.core.pdf import cjk_font

    font = cjk_font()
    title = ParagraphStyle("title", fontName=font, fontSize=15, leading=22, alignment=1)
    head = ParagraphStyle("head", fontName=font, fontSize=11, leading=16, spaceBefore=6)
    body = ParagraphStyle("body", fontName=font, fontSize=9.5, leading=14)
    cell = ParagraphStyle("cell", fontName=font, fontSize=8.5, leading=11)

    def table(header, rows, widths):
        data = [[Paragraph(str(v), cell) for v in header]] + [[Paragraph(str(v), cell) for v in r] for r in rows]
        t = Table(data, colWidths=[w * mm for w in widths], repeatRows=1)
        t.setStyle(TableStyle([("GRID", (0, 0), (-1, -1), 0.4, colors.grey), ("VALIGN", (0, 0), (-1, -1), "TOP"),
                               ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#eeeeee"))]))  # fmt: skip
        return t

    story = [Paragraph(f"{content['org']}经费审查委员会<br/>{content['year']}年度经费审查工作报告", title),
             Spacer(1, 4 * mm), Paragraph("——向会员（代表）大会报告", body), Spacer(1, 3 * mm),
             Paragraph("一、总体情况", head), Paragraph(_summary(content), body),
             Paragraph(f"本届委员会任期 {content['committee']['term']}，委员："
                       f"{'、'.join(content['committee']['members']) or '—'}。", body),
             Paragraph("二、审查计划执行情况", head)]  # fmt: skip
    story.append(table(["审查事项", "类型", "实施日期", "状态", "结论"],
                       [[p["title"], p["scope"], p["planned_on"], p["status"], p["conclusion"] or "—"]
                        for p in content["plans"]], [40, 32, 22, 16, 70]))  # fmt: skip
    story.append(Paragraph("三、发现的问题及整改情况", head))
    story.append(table(["问题", "程度", "金额（元）", "整改要求", "期限", "状态"],
                       [[f["title"], f["severity"], yuan(f["amount_fen"]), f["requirement"], f["deadline"],
                         f["status"] + ("（逾期）" if f["overdue"] else "")] for f in content["findings"]]
                       or [["无", "", "", "", "", ""]], [38, 14, 22, 56, 22, 28]))  # fmt: skip
    if content["budget"]:
        story.append(Paragraph("四、预算执行情况", head))
        story.append(table(["科目", "预算（元）", "实际（元）", "执行率"],
                           [[f"{b['code']} {b['name']}", yuan(b["budget_fen"]), yuan(b["actual_fen"]),
                             f"{b['used_pct']:.1f}%" + ("（超预算）" if b["over"] else "")] for b in content["budget"]],
                           [70, 35, 35, 40]))  # fmt: skip
    story += [Spacer(1, 10 * mm), Paragraph(f"经费审查委员会主任：＿＿＿＿　　签发日期：{content['issued_on']}", body)]
    out = io.BytesIO()
    margin = 15 * mm
    doc = SimpleDocTemplate(out, pagesize=A4, title=f"{content['org']}{content['year']}年度经费审查工作报告",
                            author=content["org"], leftMargin=margin, rightMargin=margin, topMargin=margin,
                            bottomMargin=margin)  # fmt: skip
    doc.build(story)
    return out.getvalue()
