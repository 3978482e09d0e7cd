from gonghui.members.selectors import member_search
from gonghui.orgs.selectors import subtree_member_count


def test_cast_builds_and_scope_holds(cast):
    assert subtree_member_count(cast.orgs.national) == 3
    assert subtree_member_count(cast.orgs.zhejiang) == 2
    found = member_search(cast.users.province_admin, q="zw")
    assert [m.person.name for m in found] == ["张伟"]
    assert not member_search(cast.users.sibling_admin, q="zw").exists()
