"""The finance lists a cadre sees (core.lists): entries, collections, arrears, assets, spending and the balances
with other unions and units (往来单位余额), filtered and exportable.
Amounts are a union's accounts, not personal data: nothing here is masked."""

from django import forms
from django.utils import timezone

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.finance import chart, selectors
from gonghui.finance.models import Entry, FixedAsset, FundDeclaration, Spending
from gonghui.finance.money import yuan_decimal
from gonghui.orgs import access
from gonghui.orgs.models import Org


class OrgFilter(BootstrapForm):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EntryFilters(OrgFilter):
    month = forms.DateField(label="月份（任一天）", required=False, widget=DATE_INPUT)
    source = forms.ChoiceField(label="来源", choices=[("", "全部"), *Entry.Source.choices], required=False)


def _org(user, filters):
    pk = filters.get("org")
    return Org.objects.get_for_read(user, pk) if pk else None


def _entries(user, filters):
    month = filters.get("month")
    return selectors.entries_visible_to(user, org=_org(user, filters), month=month.replace(day=1) if month else None,
                                        source=filters.get("source", ""))  # fmt: skip


ENTRIES = CadreList(
    name="finance.entries", title="记账凭证", rows=_entries, filters=EntryFilters, org_of=_org,
    columns=(
        Column("凭证号", lambda e: e.pk),
        Column("记账工会", lambda e: e.org.name),
        Column("记账日期", lambda e: e.date),
        Column("摘要", lambda e: e.memo),
        Column("来源", lambda e: e.get_source_display()),
        Column("冲销的凭证", lambda e: e.reverses_id or ""),
        Column("制单时间", lambda e: local_time(e.created_at)),
    ),
    audit_action="finance.entries.export",
)  # fmt: skip


def _collections(user, filters):
    return selectors.collections_visible_to(user, org=_org(user, filters))


COLLECTIONS = CadreList(
    name="finance.collections", title="经费收缴", rows=_collections, filters=OrgFilter, org_of=_org,
    columns=(
        Column("编号", lambda c: c.pk),
        Column("缴费单位", lambda c: c.declaration.employer.name),
        Column("收缴工会", lambda c: c.org.name),
        Column("所属月份", lambda c: f"{c.declaration.month:%Y-%m}"),
        Column("金额（元）", lambda c: yuan_decimal(c.amount_fen)),
        Column("到账日期", lambda c: c.received_on),
        Column("收缴方式", lambda c: c.get_route_display()),
        Column("已冲销", lambda c: "是" if c.reversed_at else ""),
    ),
    audit_action="finance.collections.export",
)  # fmt: skip


class ArrearsFilters(OrgFilter):
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *FundDeclaration.Kind.choices], required=False)


def _arrears(user, filters):
    return selectors.declarations_visible_to(user, arrears_only=True, org=_org(user, filters),
                                             kind=filters.get("kind", ""))  # fmt: skip


ARREARS = CadreList(
    name="finance.arrears", title="欠缴经费", rows=_arrears, filters=ArrearsFilters, org_of=_org,
    columns=(
        Column("缴费单位", lambda d: d.employer.name),
        Column("统一社会信用代码", lambda d: d.employer.uscc or ""),
        Column("收缴工会", lambda d: d.org.name),
        Column("类别", lambda d: d.get_kind_display()),
        Column("所属月份", lambda d: f"{d.month:%Y-%m}"),
        Column("工资总额（元）", lambda d: yuan_decimal(d.payroll_fen)),
        Column("应缴（元）", lambda d: yuan_decimal(d.due_fen)),
        Column("已缴（元）", lambda d: yuan_decimal(d.collected_fen)),
        Column("欠缴（元）", lambda d: yuan_decimal(d.arrears_fen)),
    ),
    audit_action="finance.arrears.export",
)  # fmt: skip


def _assets(user, filters):
    org = _org(user, filters)
    rows = FixedAsset.objects.in_scope(user).select_related("org", "venue")
    rows = rows.filter(org__path__startswith=org.path) if org is not None else rows
    return rows.order_by("-acquired_on", "pk")


ASSETS = CadreList(
    name="finance.assets", title="固定资产", rows=_assets, filters=OrgFilter, org_of=_org,
    columns=(
        Column("资产名称", lambda a: a.name),
        Column("工会", lambda a: a.org.name),
        Column("使用单位", lambda a: a.user_unit or a.org.name),
        Column("服务阵地", lambda a: a.venue.name if a.venue else ""),
        Column("状态", lambda a: a.get_status_display()),
        Column("类别", lambda a: a.get_category_display()),
        Column("取得日期", lambda a: a.acquired_on),
        Column("原值（元）", lambda a: yuan_decimal(a.value_fen)),
        Column("折旧年限（月）", lambda a: a.life_months),
        Column("累计折旧（元）", lambda a: yuan_decimal(a.depreciated_fen)),
        Column("净值（元）", lambda a: yuan_decimal(a.net_fen)),
    ),
    audit_action="finance.assets.export",
)  # fmt: skip


class SpendingFilters(OrgFilter):
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *Spending.Status.choices], required=False)


def _spendings(user, filters):
    return selectors.spendings_visible_to(user, org=_org(user, filters), status=filters.get("status", ""))


SPENDINGS = CadreList(
    name="finance.spendings", title="经费支出", rows=_spendings, filters=SpendingFilters, org_of=_org,
    columns=(
        Column("编号", lambda s: s.pk),
        Column("工会", lambda s: s.org.name),
        Column("支出日期", lambda s: s.date),
        Column("事由", lambda s: s.memo),
        Column("支出科目", lambda s: s.code),
        Column("用途", lambda s: s.get_purpose_display()),
        Column("金额（元）", lambda s: yuan_decimal(s.amount_fen)),
        Column("人均（元）", lambda s: yuan_decimal(s.per_member_fen) if s.per_member_fen else ""),
        Column("状态", lambda s: s.get_status_display()),
        Column("凭证号", lambda s: s.entry_id or ""),
        Column("申请时间", lambda s: local_time(s.requested_at)),
    ),
    audit_action="finance.spending.export",
)  # fmt: skip


class CounterpartyFilters(OrgFilter):
    until = forms.DateField(label="截至月份（任一天）", required=False, widget=DATE_INPUT)
    code = forms.ChoiceField(label="科目", required=False, choices=[
        ("", "全部往来科目"), *((c, f"{c} {chart.name_of(c)}") for c in selectors.COUNTERPARTY_CODES)])  # fmt: skip


def _own_union(user, filters):
    """The union whose balances are shown: ``org`` in the user's scope (404 outside), else the user's own."""
    return access.org_or_first(user, filters.get("org"))


def _counterparties(user, filters):
    until = filters.get("until") or timezone.localdate()
    return selectors.counterparty_balances(user, _own_union(user, filters), until=until, code=filters.get("code", ""))


def _side(balance: int) -> str:
    return "借" if balance > 0 else "贷"


COUNTERPARTIES = CadreList(
    name="finance.counterparties", title="往来单位余额", rows=_counterparties, filters=CounterpartyFilters,
    org_of=_own_union,
    columns=(
        Column("科目编号", lambda r: r["code"]),
        Column("科目名称", lambda r: chart.name_of(r["code"])),
        Column("往来方", lambda r: r["party__name"] or r["counterparty"] or "（未填写往来方）"),
        Column("往来方类型", lambda r: "工会" if r["party"] else ("单位" if r["counterparty"] else "")),
        Column("借方累计（元）", lambda r: yuan_decimal(r["debit"])),
        Column("贷方累计（元）", lambda r: yuan_decimal(r["credit"])),
        Column("余额方向", lambda r: _side(r["balance"])),
        Column("余额（元）", lambda r: yuan_decimal(abs(r["balance"]))),
    ),
    audit_action="finance.counterparties.export",
)  # fmt: skip
