"""The lists a cadre sees (core.lists): the offers of a subtree with their report figures (issued, claimed,
redeemed, value), and the merchants; both exportable."""

from django import forms

from gonghui.benefits import selectors
from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm
from gonghui.finance.money import yuan_decimal
from gonghui.members.lists import org_filter


class OfferFilters(BootstrapForm):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), ("open", "发放中"), ("ended", "已结束")],
                               required=False)  # fmt: skip


class MerchantFilters(BootstrapForm):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)


def _offer_rows(user, filters: dict):
    return selectors.offers_visible_to(user, org=org_filter(user, filters), status=filters.get("status", ""))


OFFERS = CadreList(
    name="benefits.offers", title="普惠券发放与核销", filters=OfferFilters, rows=_offer_rows, org_of=org_filter,
    columns=(
        Column("名称", lambda o: o.title),
        Column("类型", lambda o: o.get_kind_display()),
        Column("发放工会", lambda o: o.org.name),
        Column("面值或最高优惠（元）", lambda o: yuan_decimal(o.value_fen)),
        Column("预算（元）", lambda o: yuan_decimal(o.budget_fen)),
        Column("发放张数", lambda o: o.total_count),
        Column("已领张数", lambda o: o.claimed_count),
        Column("已领金额（元）", lambda o: yuan_decimal(o.claimed_fen)),
        Column("已核销张数", lambda o: o.redeemed_count),
        Column("核销金额（元）", lambda o: yuan_decimal(o.redeemed_fen)),
        Column("有效期起", lambda o: local_time(o.valid_from)),
        Column("有效期止", lambda o: local_time(o.valid_until)),
        Column("停止发放", lambda o: local_time(o.closed_at)),
    ),
    audit_action="benefits.offers.export",
)  # fmt: skip


MERCHANTS = CadreList(
    name="benefits.merchants", title="合作商户", filters=MerchantFilters, org_of=org_filter,
    rows=lambda user, filters: selectors.merchants_visible_to(user, org=org_filter(user, filters)),
    columns=(
        Column("商户名称", lambda m: m.name),
        Column("地址", lambda m: m.address),
        Column("签约工会", lambda m: m.org.name),
        Column("所属服务阵地", lambda m: m.venue.name if m.venue else ""),
        Column("登录名", lambda m: m.account.username),
        Column("状态", lambda m: "启用" if m.is_active else "停用"),
    ),
    audit_action="benefits.merchants.export",
)  # fmt: skip
