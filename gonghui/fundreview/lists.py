"""The lists a cadre sees (core.lists): the review plans and the findings with their rectification; both
exportable."""

from gonghui.core.lists import CadreList, Column
from gonghui.finance.money import yuan_decimal
from gonghui.fundreview import selectors
from gonghui.fundreview.forms import FindingFilters, PlanFilters
from gonghui.members.lists import org_filter

PLANS = CadreList(
    name="fundreview.plans", title="审查计划", filters=PlanFilters, org_of=org_filter,
    rows=lambda user, filters: selectors.plans_visible_to(user, org=org_filter(user, filters),
                                                          year=filters.get("year")),
    columns=(
        Column("被审查工会", lambda p: p.org.name),
        Column("年度", lambda p: p.year),
        Column("审查类型", lambda p: p.get_scope_display()),
        Column("审查事项", lambda p: p.title),
        Column("计划实施日期", lambda p: p.planned_on),
        Column("状态", lambda p: p.get_status_display()),
        Column("发现问题", lambda p: p.finding_total),
        Column("未销号", lambda p: p.open_total),
        Column("审查结论", lambda p: p.conclusion),
    ),
    audit_action="fundreview.plans.export",
)  # fmt: skip

FINDINGS = CadreList(
    name="fundreview.findings", title="审查发现的问题与整改", filters=FindingFilters, org_of=org_filter,
    rows=lambda user, filters: selectors.findings_visible_to(user, org=org_filter(user, filters),
                                                             status=filters.get("status", ""),
                                                             overdue=bool(filters.get("overdue"))),
    columns=(
        Column("被审查工会", lambda f: f.org.name),
        Column("审查事项", lambda f: str(f.plan)),
        Column("问题", lambda f: f.title),
        Column("严重程度", lambda f: f.get_severity_display()),
        Column("涉及金额（元）", lambda f: yuan_decimal(f.amount_fen)),
        Column("涉及科目", lambda f: f.code),
        Column("整改要求", lambda f: f.requirement),
        Column("整改期限", lambda f: f.deadline),
        Column("整改状态", lambda f: f.get_status_display()),
        Column("整改情况", lambda f: f.response),
        Column("销号日期", lambda f: f.closed_on or ""),
    ),
    audit_action="fundreview.findings.export",
)  # fmt: skip
