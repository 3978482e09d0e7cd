"""The dues list a cadre sees (core.lists): a union's own members on its month page. Each page's dues are worked
out after paging (selectors.member_rows); no export columns are declared yet, so it is not exported."""

from gonghui.core.lists import CadreList
from gonghui.dues import selectors

ORG_MEMBERS = CadreList(
    name="dues.members", title="本组织会员",
    rows=lambda user, filters: selectors.direct_members(filters["org"]).select_related("person"), columns=(),
)  # fmt: skip
