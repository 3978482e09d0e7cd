"""The congress list a cadre sees (core.lists): filtered by kind, exportable."""

from django import forms

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm
from gonghui.democracy import selectors
from gonghui.democracy.models import CongressKind, ProposalStatus


class CongressFilters(BootstrapForm):
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *CongressKind.choices], required=False)


def _rows(user, filters: dict):
    return selectors.congresses_visible_to(user, kind=filters.get("kind", ""))


CONGRESSES = CadreList(
    name="democracy.congresses", title="职工代表大会", rows=_rows, filters=CongressFilters,
    columns=(
        Column("名称", lambda c: c.name),
        Column("工会", lambda c: c.org.name),
        Column("类型", lambda c: c.get_kind_display()),
        Column("职工人数", lambda c: c.staff_count),
        Column("女职工人数", lambda c: c.women_staff),
        Column("建立时间", lambda c: local_time(c.created_at)),
    ),
    audit_action="democracy.congresses.export",
)  # fmt: skip


class ProposalFilters(BootstrapForm):
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *ProposalStatus.choices], required=False)
    department = forms.CharField(label="承办部门", max_length=50, required=False)
    overdue = forms.BooleanField(label="只看超期", required=False)


def _proposal_rows(user, filters: dict):
    return selectors.proposals_visible_to(user, status=filters.get("status", ""),
                                          department=filters.get("department", ""),
                                          overdue=bool(filters.get("overdue")))  # fmt: skip


PROPOSALS = CadreList(
    name="democracy.proposals", title="职代会提案", rows=_proposal_rows, filters=ProposalFilters,
    columns=(
        Column("编号", lambda p: p.code),
        Column("案由", lambda p: p.title),
        Column("职代会", lambda p: p.sitting.term.congress.name),
        Column("所在会议", lambda p: p.sitting.title),
        Column("提案人", lambda p: p.proposer.person.name),
        Column("状态", lambda p: p.get_status_display()),
        Column("承办部门", lambda p: p.department),
        Column("办理期限", lambda p: p.due_on.isoformat() if p.due_on else ""),
        Column("超期", lambda p: "是" if p.is_overdue else ""),
        Column("评价", lambda p: p.get_satisfaction_display()),
        Column("结转次数", lambda p: p.carried),
    ),
    audit_action="democracy.proposals.export",
)  # fmt: skip


class TermsDueFilters(BootstrapForm):
    months = forms.TypedChoiceField(
        label="届满时间", coerce=int, required=False, empty_value=6,
        choices=[(3, "3 个月内"), (6, "6 个月内"), (12, "12 个月内"), (0, "已届满")],
    )  # fmt: skip


def _due_rows(user, filters: dict):
    months = filters.get("months")
    return selectors.terms_due(user, months=6 if months in (None, "") else int(months))


TERMS_DUE = CadreList(
    name="democracy.terms_due", title="换届提醒", rows=_due_rows, filters=TermsDueFilters,
    columns=(
        Column("工会", lambda o: o.name),
        Column("上级工会", lambda o: o.parent.name if o.parent else ""),
        Column("本届任期开始", lambda o: o.term_started_on.isoformat()),
        Column("任期（年）", lambda o: o.term_years),
        Column("届满日期", lambda o: o.term_ends_on.isoformat()),
        Column("已届满", lambda o: "是" if o.term_overdue else ""),
        Column("换届选举", lambda o: "进行中" if o.election_under_way else "待发起"),
    ),
    audit_action="democracy.terms_due.export",
)  # fmt: skip
