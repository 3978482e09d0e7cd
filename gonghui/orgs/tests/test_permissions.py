"""Every page of this app × every member of the cast (see gonghui.testing.matrix)."""

from gonghui.testing.matrix import Page, expect


def org_edit_data(cast):
    org = cast.orgs.company
    return {"name": "杭州示例科技有限公司工会（改）", "region": org.region_id, "status": "active",
            "leadership": "committee", "term_years": 3, "version": org.version}  # fmt: skip


def org_create_data(cast):
    return {"name": "西湖区某某公司工会", "org_type": "grassroots", "region": "330106", "status": "active",
            "leadership": "committee", "term_years": 5}  # fmt: skip


def _company(cast):
    return [cast.orgs.company.pk]


def _under_xihu(cast):
    return f"?parent={cast.orgs.xihu.pk}"


PAGES = [
    Page("orgs:tree", expect(200, 200, 200, 200, 200), query="?q=hz"),  # the union search (the tree: test_tree)
    Page("orgs:children", expect(200, 200, 404, 404, 200), args=lambda c: [c.orgs.zhejiang.pk]),
    Page("orgs:detail", expect(200, 200, 404, 200, 200), args=_company),
    Page("orgs:create", expect(200, 200, 404, 404, 403), query=_under_xihu),
    Page("orgs:create", expect(302, 302, 404, 404, 403), method="post", query=_under_xihu, data=org_create_data),
    Page("orgs:edit", expect(200, 200, 404, 200, 403), args=_company),
    Page("orgs:edit", expect(302, 302, 404, 302, 403), method="post", args=_company, data=org_edit_data),
    Page("orgs:move", expect(302, 302, 404, 404, 403), method="post", args=_company,
         data=lambda c: {"new_parent": c.orgs.xixi.pk}),
    Page("orgs:move_candidates", expect(200, 200, 404, 200, 403), args=_company),
    Page("orgs:close_employer", expect(302, 302, 404, 404, 403), method="post", args=_company,
         data=lambda c: {"confirm_name": c.orgs.company.name}),
    Page("orgs:regions", expect(200, 200, 200, 200, 200), query="?code=330106"),
]  # fmt: skip


def probe_targets(cast) -> dict:
    """浙江's grassroots union for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    return {"org_id": cast.orgs.company.pk}
