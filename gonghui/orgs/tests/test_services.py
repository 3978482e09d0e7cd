"""Union tree services: creating under the right parent, editing with a version, moving subtrees."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from gonghui.accounts.models import User
from gonghui.core.errors import ConflictError
from gonghui.members.selectors import member_search, members_visible_to
from gonghui.orgs.models import PATH_SEGMENT_WIDTH, Org, OrgType, Region, path_segment
from gonghui.orgs.selectors import subtree_member_count
from gonghui.orgs.services import org_create, org_move, org_update
from gonghui.testing.cast import refreshed


def _fresh(user: User) -> User:
    """The same account as a new request would load it (grants are cached per user object)."""
    return User.objects.get(pk=user.pk)


def test_path_segment_is_fixed_width_base_36():
    assert path_segment(1) == "0000001."
    assert path_segment(36) == "0000010."
    assert path_segment(36**7 - 1) == "zzzzzzz."
    assert len(path_segment(123456)) == PATH_SEGMENT_WIDTH + 1


def test_created_org_path_is_parent_path_plus_own_segment(cast):
    company = cast.orgs.company
    assert company.path == cast.orgs.xihu.path + path_segment(company.pk)
    assert company.depth == cast.orgs.xihu.depth + 1 == 4
    assert refreshed(company).path == company.path


@pytest.mark.parametrize(
    "parent, org_type",
    [("company", OrgType.PROVINCE), ("company", OrgType.CITY), ("national", OrgType.GRASSROOTS),
     ("zhejiang", OrgType.PROVINCE), ("xixi", OrgType.COUNTY)],
)  # fmt: skip
def test_child_type_rules_refuse_impossible_children(cast, parent, org_type):
    before = Org.objects.count()
    with pytest.raises(ValidationError) as err:
        org_create(actor=cast.users.national_admin, parent=getattr(cast.orgs, parent), name="新组织",
                   org_type=org_type, region=Region.objects.get(code="33"))  # fmt: skip
    assert "下不能设立" in str(err.value)
    assert Org.objects.count() == before


def test_only_the_national_federation_has_no_parent(cast):
    with pytest.raises(ValidationError):
        org_create(actor=None, parent=None, name="孤立工会", org_type=OrgType.GRASSROOTS,
                   region=Region.objects.get(code="33"))  # fmt: skip


def test_no_new_org_under_a_revoked_union(cast):
    org = cast.orgs.logistics
    org_update(actor=cast.users.national_admin, org=org, version=org.version, status=Org.Status.REVOKED)
    with pytest.raises(ValidationError):
        org_create(actor=None, parent=org, name="分工会", org_type=OrgType.BRANCH, region=org.region)


def test_org_update_bumps_the_version(cast):
    org = org_update(actor=cast.users.national_admin, org=cast.orgs.xixi, version=1, name="西溪街道总工会")
    assert org.version == 2
    assert refreshed(org).name == "西溪街道总工会"


def test_org_update_with_stale_version_raises_conflict_and_overwrites_nothing(cast):
    org_update(actor=cast.users.national_admin, org=Org.objects.get(pk=cast.orgs.xixi.pk), version=1, name="第一次")
    stale = Org.objects.get(pk=cast.orgs.xixi.pk)
    with pytest.raises(ConflictError):
        org_update(actor=cast.users.national_admin, org=stale, version=1, name="第二次")
    fresh = refreshed(cast.orgs.xixi)
    assert (fresh.name, fresh.version) == ("第一次", 2)


def test_org_update_refuses_fields_that_are_not_editable(cast):
    with pytest.raises(ValueError):
        org_update(actor=None, org=cast.orgs.xixi, version=1, path="0000001.")


def test_org_update_refuses_a_term_other_than_3_or_5_years(cast):
    with pytest.raises(ValidationError):
        org_update(actor=None, org=cast.orgs.company, version=1, term_years=4)
    assert refreshed(cast.orgs.company).term_years == 3


def test_org_move_rewrites_the_whole_subtree_in_one_statement(cast):
    orgs = cast.orgs
    subtree = [orgs.hangzhou, orgs.xihu, orgs.xixi, orgs.company]
    with CaptureQueriesContext(connection) as queries:
        org_move(actor=cast.users.national_admin, org=orgs.hangzhou, new_parent=orgs.jiangsu)
    path_updates = [q["sql"] for q in queries if q["sql"].startswith('UPDATE "orgs_org"') and '"path"' in q["sql"]]
    assert len(path_updates) == 1
    for org in subtree:
        old_depth = org.depth
        org.refresh_from_db()
        assert org.path.startswith(orgs.jiangsu.path)
        assert org.depth == old_depth  # province to province: same level
        assert len(org.path) == (org.depth + 1) * (PATH_SEGMENT_WIDTH + 1)
        assert org.path.endswith(path_segment(org.pk))
        assert org.path == (org.parent.path + path_segment(org.pk))
    assert refreshed(orgs.hangzhou).parent_id == orgs.jiangsu.pk


def test_org_move_changes_depths_when_the_level_changes(cast):
    orgs = cast.orgs
    company = org_move(actor=None, org=orgs.company, new_parent=orgs.nanjing)
    assert company.depth == orgs.nanjing.depth + 1 == 3
    assert company.path == orgs.nanjing.path + path_segment(company.pk)


def test_org_move_keeps_scope_and_counts_consistent(cast):
    orgs, users = cast.orgs, cast.users
    org_move(actor=users.national_admin, org=orgs.hangzhou, new_parent=orgs.jiangsu)
    zhejiang_admin, jiangsu_admin = _fresh(users.province_admin), _fresh(users.sibling_admin)
    assert not members_visible_to(zhejiang_admin).exists()
    assert sorted(m.person.name for m in members_visible_to(jiangsu_admin)) == ["张伟", "李娜", "王芳"]
    assert [m.person.name for m in member_search(jiangsu_admin, q="zw")] == ["张伟"]
    assert Org.objects.get_for_read(jiangsu_admin, orgs.company.pk) == orgs.company
    assert subtree_member_count(refreshed(orgs.zhejiang)) == 0
    assert subtree_member_count(refreshed(orgs.jiangsu)) == 3
    assert subtree_member_count(refreshed(orgs.national)) == 3


@pytest.mark.parametrize("target", ["zhejiang", "hangzhou", "xixi", "company"])
def test_moving_under_itself_or_a_descendant_is_refused(cast, target):
    orgs = cast.orgs
    paths = dict(Org.objects.values_list("pk", "path"))
    with pytest.raises(ValidationError) as err:
        org_move(actor=None, org=orgs.zhejiang, new_parent=getattr(orgs, target))
    assert "它自己或它的下级组织" in str(err.value)
    assert dict(Org.objects.values_list("pk", "path")) == paths


def test_moving_under_a_parent_of_the_wrong_type_is_refused(cast):
    paths = dict(Org.objects.values_list("pk", "path"))
    with pytest.raises(ValidationError) as err:
        org_move(actor=None, org=cast.orgs.jiangsu, new_parent=cast.orgs.company)
    assert "基层工会下不能设立省级总工会" in str(err.value)
    assert dict(Org.objects.values_list("pk", "path")) == paths


def test_org_move_with_stale_version_raises_conflict_and_moves_nothing(cast):
    orgs = cast.orgs
    org_update(actor=None, org=Org.objects.get(pk=orgs.xixi.pk), version=1, name="西溪街道总工会")
    paths = dict(Org.objects.values_list("pk", "path"))
    with pytest.raises(ConflictError):
        org_move(actor=None, org=orgs.xixi, new_parent=orgs.xuanwu, version=1)
    assert dict(Org.objects.values_list("pk", "path")) == paths
    assert refreshed(orgs.xixi).parent_id == orgs.xihu.pk


def _assert_tree_consistent():
    for org in Org.objects.select_related("parent"):
        expected = (org.parent.path if org.parent else "") + path_segment(org.pk)
        assert (org.path, org.depth) == (expected, org.parent.depth + 1 if org.parent else 0), org.name


def test_org_move_of_a_stale_org_object_keeps_the_tree_consistent(cast):
    """The org was loaded before its parent moved (a page opened earlier): paths must follow the rows."""
    orgs = cast.orgs
    stale_company = Org.objects.get(pk=orgs.company.pk)
    org_move(actor=None, org=Org.objects.get(pk=orgs.hangzhou.pk), new_parent=orgs.jiangsu)
    org_move(actor=None, org=stale_company, new_parent=Org.objects.get(pk=orgs.nanjing.pk))
    _assert_tree_consistent()


def test_org_move_under_a_stale_parent_object_keeps_the_tree_consistent(cast):
    orgs = cast.orgs
    stale_xihu = Org.objects.get(pk=orgs.xihu.pk)
    org_move(actor=None, org=Org.objects.get(pk=orgs.hangzhou.pk), new_parent=orgs.jiangsu)
    org_move(actor=None, org=Org.objects.get(pk=orgs.logistics.pk), new_parent=stale_xihu)
    _assert_tree_consistent()
