"""The contract list a cadre sees (core.lists): by kind, status (also expiring within 3 months and filing
overdue), level and name, exportable. No personal data in it: the chief representatives are named in their
office, as in the contract's public text."""

from django import forms

from gonghui.contracts import selectors
from gonghui.contracts.models import Kind, Level, Status
from gonghui.core.lists import CadreList, Column
from gonghui.core.web import BootstrapForm

STATUS_FILTERS = [("", "全部"), *Status.choices, ("expiring", "3 个月内期满"), ("filing_overdue", "逾期未报送")]


class ContractFilters(BootstrapForm):
    kind = forms.ChoiceField(label="种类", choices=[("", "全部"), *Kind.choices], required=False)
    status = forms.ChoiceField(label="状态", choices=STATUS_FILTERS, required=False)
    level = forms.ChoiceField(label="层级", choices=[("", "全部"), *Level.choices], required=False)
    q = forms.CharField(label="名称或企业", max_length=50, required=False)


def _rows(user, filters: dict):
    return selectors.contracts_visible_to(
        user,
        kind=filters.get("kind", ""),
        status=filters.get("status", ""),
        level=filters.get("level", ""),
        q=filters.get("q", ""),
    )


def _day(value) -> str:
    return f"{value:%Y-%m-%d}" if value else ""


CONTRACTS = CadreList(
    name="contracts.contracts",
    title="集体合同",
    rows=_rows,
    filters=ContractFilters,
    columns=(
        Column("合同名称", lambda c: c.title),
        Column("种类", lambda c: c.get_kind_display()),
        Column("层级", lambda c: c.get_level_display()),
        Column("签约工会", lambda c: c.org.name),
        Column("企业方", lambda c: c.employer_party),
        Column("覆盖企业", lambda c: c.employers_covered),
        Column("覆盖职工", lambda c: c.workers_covered),
        Column("期限（年）", lambda c: c.term_years),
        Column("状态", lambda c: c.get_status_display()),
        Column("签订日", lambda c: _day(c.signed_on)),
        Column("报送截止日", lambda c: _day(c.filing_due)),
        Column("报送日", lambda c: _day(c.filed_on)),
        Column("生效日", lambda c: _day(c.effective_on)),
        Column("期满日", lambda c: _day(c.expires_on)),
        Column("工资增长（%）", lambda c: c.wage_increase_pct if c.wage_increase_pct is not None else ""),
        Column("最低工资（元/月）", lambda c: c.minimum_wage if c.minimum_wage is not None else ""),
    ),
    audit_action="contracts.contracts.export",
)
