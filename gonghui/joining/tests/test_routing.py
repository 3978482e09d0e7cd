"""Routing to the responsible union: each rule, in order."""

from gonghui.joining.models import RoutingRule
from gonghui.joining.routing import responsible_union
from gonghui.members.services import employer_resolve
from gonghui.orgs.models import OrgType, Region
from gonghui.testing.cast import add_org


def route(employer=None, region="330106004", form="courier", code_org=None):
    return responsible_union(employer=employer, region=Region.objects.get(code=region), employment_form=form,
                             join_code_org=code_org)  # fmt: skip


def test_join_code_org_wins(cast):
    tech = cast.orgs.company.employer
    assert route(employer=tech, code_org=cast.orgs.xixi) == (cast.orgs.xixi, RoutingRule.JOIN_CODE)


def test_join_code_of_a_federation_that_holds_no_members_is_ignored(cast):
    assert route(code_org=cast.orgs.xihu) == (cast.orgs.xixi, RoutingRule.TOWNSHIP)


def test_employer_with_a_union_goes_to_it(cast):
    org, rule = route(employer=cast.orgs.company.employer, form="standard")
    assert (org, rule) == (cast.orgs.company, RoutingRule.EMPLOYER_UNION)


def test_gig_worker_goes_to_the_federation_of_their_trade_first(cast):
    regional = add_org(cast.orgs.xihu, "西湖区新就业形态劳动者区域性工会联合会", OrgType.REGIONAL_FEDERATION, "330106")
    courier = add_org(cast.orgs.hangzhou, "杭州市快递行业工会联合会", OrgType.SECTOR_FEDERATION, "3301")
    platform = employer_resolve(name="某外卖平台杭州站")
    assert route(employer=platform, form="courier") == (courier, RoutingRule.FEDERATION)
    assert route(employer=platform, form="food_delivery") == (regional, RoutingRule.FEDERATION)


def test_standard_worker_without_union_goes_to_the_township_union(cast):
    add_org(cast.orgs.xihu, "西湖区区域性工会联合会", OrgType.REGIONAL_FEDERATION, "330106")
    org, rule = route(employer=employer_resolve(name="无工会小店"), form="standard")
    assert (org, rule) == (cast.orgs.xixi, RoutingRule.TOWNSHIP)


def test_gig_worker_without_federation_goes_to_the_township_union(cast):
    assert route(form="ride_hailing") == (cast.orgs.xixi, RoutingRule.TOWNSHIP)


def test_region_without_township_union_goes_to_the_nearest_federation_to_reassign(cast):
    assert route(region="330106005", form="standard") == (cast.orgs.xihu, RoutingRule.UPPER)


def test_revoked_employer_union_is_skipped(cast):
    from gonghui.orgs.models import Org

    Org.objects.filter(pk=cast.orgs.company.pk).update(status=Org.Status.REVOKED)
    assert route(employer=cast.orgs.company.employer, form="standard")[1] == RoutingRule.TOWNSHIP


def test_nothing_covers_a_region_without_unions(cast):
    assert route(region="110101", form="standard") == (None, "")
