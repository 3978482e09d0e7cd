"""The lists a cadre sees (core.lists): requests (who filed shows as 匿名 for an anonymous one, a hotline caller's
phone masked; the description is never in a list) and legal cases (no parties, claims or narrative)."""

from django import forms

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm
from gonghui.rights import selectors
from gonghui.rights.models import LegalKind
from gonghui.rights.policy import CATEGORIES


class RequestFilters(BootstrapForm):
    status = forms.ChoiceField(label="状态", choices=list(selectors.STATUS_FILTERS.items()), required=False)
    category = forms.ChoiceField(label="诉求类别", choices=[("", "全部"), *CATEGORIES.items()], required=False)
    group = forms.IntegerField(label="群体诉求编号", required=False, min_value=1)


def _requests(user, filters: dict):
    return selectors.requests_visible_to(user, status=filters.get("status", ""), category=filters.get("category", ""),
                                         group=filters.get("group"))  # fmt: skip


def overdue_label(r) -> str:
    return f"超期 {r.overdue_days} 日" if r.overdue_days else ""


REQUESTS = CadreList(
    name="rights.requests", title="职工诉求", rows=_requests, filters=RequestFilters,
    columns=(
        Column("编号", lambda r: r.pk),
        Column("诉求类别", lambda r: r.get_category_display()),
        Column("用人单位", lambda r: r.employer_name),
        Column("统一社会信用代码", lambda r: r.employer.uscc if r.employer and r.employer.uscc else ""),
        Column("诉求人", selectors.filer_label),
        Column("承办工会", lambda r: r.org.name),
        Column("状态", lambda r: r.status_label),
        Column("办理期限", lambda r: r.due_on),
        Column("超期", overdue_label),
        Column("已升级至", lambda r: r.escalated_to.name if r.escalated_to else ""),
        Column("群体诉求", lambda r: f"群体诉求#{r.group_id}" if r.group_id else ""),
        Column("来源", lambda r: "热线代录" if r.via_hotline else "职工本人"),
        Column("满意度", lambda r: r.satisfaction or ""),
        Column("提交时间", lambda r: local_time(r.created_at)),
    ),
    audit_action="rights.requests.export",
)  # fmt: skip


class LegalFilters(BootstrapForm):
    kind = forms.ChoiceField(label="案件类型", choices=[("", "全部"), *LegalKind.choices], required=False)
    open_only = forms.BooleanField(label="只看在办", required=False)


def _legal(user, filters: dict):
    return selectors.legal_visible_to(user, open_only=bool(filters.get("open_only")), kind=filters.get("kind", ""))


LEGAL = CadreList(
    name="rights.legal", title="法律援助案件", rows=_legal, filters=LegalFilters,
    columns=(
        Column("编号", lambda c: c.pk),
        Column("案件类型", lambda c: c.get_kind_display()),
        Column("用人单位", lambda c: c.employer_name),
        Column("承办工会", lambda c: c.org.name),
        Column("承办律师（调解员）", lambda c: c.handler.display_name or c.handler.username),
        Column("请求金额（元）", lambda c: c.amount_claimed),
        Column("挽回金额（元）", lambda c: c.amount_recovered),
        Column("结果", lambda c: c.get_outcome_display() or "办理中"),
        Column("来源诉求", lambda c: c.request_id or ""),
        Column("立案时间", lambda c: local_time(c.created_at)),
        Column("结案日期", lambda c: c.closed_on),
    ),
    audit_action="rights.legal.export",
)  # fmt: skip
