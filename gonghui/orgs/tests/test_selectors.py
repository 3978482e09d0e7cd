"""Tree reads: subtree counts, children, search and breadcrumbs, all within scope."""

from gonghui.members.services import member_create
from gonghui.orgs import selectors
from gonghui.orgs.models import Org
from gonghui.testing.cast import valid_id


def test_subtree_member_count_sums_the_subtree(cast):
    orgs = cast.orgs
    expected = {"national": 3, "zhejiang": 2, "hangzhou": 2, "xihu": 2, "xixi": 0, "company": 2, "jiangsu": 1,
                "logistics": 1}  # fmt: skip
    assert {name: selectors.subtree_member_count(getattr(orgs, name)) for name in expected} == expected


def test_subtree_member_count_includes_members_of_township_unions(cast):
    member_create(actor=None, org=cast.orgs.xixi, name="周杰", id_number=valid_id("33010619850101001"))
    assert selectors.subtree_member_count(cast.orgs.xihu) == 3
    assert selectors.subtree_counts([cast.orgs.xixi, cast.orgs.company]) == {
        cast.orgs.xixi.pk: 1, cast.orgs.company.pk: 2,
    }  # fmt: skip


def test_children_of_only_lists_visible_children(cast):
    orgs, users = cast.orgs, cast.users
    assert set(selectors.children_of(users.national_admin, orgs.national)) == {orgs.zhejiang, orgs.jiangsu}
    assert list(selectors.children_of(users.province_admin, orgs.national)) == [orgs.zhejiang]
    assert list(selectors.children_of(users.sibling_admin, orgs.zhejiang)) == []
    assert list(selectors.children_of(users.province_admin, orgs.zhejiang)) == [orgs.hangzhou]


def test_org_search_stays_inside_scope(cast):
    users = cast.users
    assert [o.name for o in selectors.org_search(users.province_admin, q="示例")] == ["杭州示例科技有限公司工会"]
    assert [o.name for o in selectors.org_search(users.sibling_admin, q="示例")] == ["南京示例物流有限公司工会"]
    assert not selectors.org_search(users.worker, q="示例").exists()


def test_org_search_filters_by_type(cast):
    found = selectors.org_search(cast.users.national_admin, org_type="province")
    assert {o.name for o in found} == {"浙江省总工会", "江苏省总工会"}


def test_breadcrumb_shows_only_visible_ancestors(cast):
    orgs = cast.orgs
    assert selectors.ancestors_visible(cast.users.province_admin, orgs.company) == [
        orgs.zhejiang, orgs.hangzhou, orgs.xihu,
    ]  # fmt: skip
    assert len(selectors.ancestors_visible(cast.users.national_admin, orgs.company)) == 4


def test_committee_required_from_25_members(cast):
    org = cast.orgs.company
    assert selectors.committee_rule(org, 24).required is False
    rule = selectors.committee_rule(org, 25)
    assert rule.required and rule.met
    org.leadership = Org.Leadership.ORGANISER
    assert not selectors.committee_rule(org, 30).met
    assert selectors.committee_rule(org, 10).met


def test_subtree_counts_are_one_read_of_the_kept_totals(cast, django_assert_num_queries):
    orgs = cast.orgs
    member_create(actor=None, org=orgs.xixi, name="周杰", id_number=valid_id("33010619850101001"))
    for group in ([orgs.zhejiang, orgs.jiangsu], [orgs.xixi, orgs.company], [orgs.national],
                  [orgs.company, orgs.jiangsu], [orgs.hangzhou, orgs.jiangsu, orgs.xixi]):  # fmt: skip
        expected = {org.pk: selectors.subtree_member_count(org) for org in group}
        with django_assert_num_queries(1) as captured:
            assert selectors.subtree_counts(group) == expected
        assert "LIKE" not in captured.captured_queries[0]["sql"]  # decision 0030: no subtree scan


def test_the_org_page_reads_children_and_total_without_a_scan(cast, django_assert_num_queries):
    member_create(actor=None, org=cast.orgs.xixi, name="周杰", id_number=valid_id("33010619850101001"))
    for user in (cast.users.national_admin, cast.users.province_admin):
        for org in Org.objects.all():
            expected = [(o.pk, o.subtree_members, o.has_children) for o in selectors.tree_children(user, org)]
            with django_assert_num_queries(2):
                children, total = selectors.children_and_total(user, org)
            assert [(o.pk, o.subtree_members, o.has_children) for o in children] == expected
            assert total == selectors.subtree_member_count(org)
