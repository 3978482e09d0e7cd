"""The union search on the tree page (core.lists): unions in the user's scope by name or pinyin, in tree order."""

from django import forms

from gonghui.core.lists import CadreList, Column
from gonghui.orgs import selectors


class OrgSearchForm(forms.Form):
    q = forms.CharField(label="查找工会", max_length=50, required=False)


ORG_SEARCH = CadreList(
    name="orgs.search", title="工会名录", filters=OrgSearchForm,
    rows=lambda user, filters: selectors.org_search(user, q=filters.get("q", ""), limit=None),
    columns=(
        Column("名称", lambda org: org.name),
        Column("组织类型", lambda org: org.get_org_type_display()),
        Column("所在地区", lambda org: org.region.path_label()),
        Column("上级工会", lambda org: org.parent.name if org.parent else ""),
        Column("直属会员数", lambda org: org.member_count),
    ),
    audit_action="org.search.export",
)  # fmt: skip
