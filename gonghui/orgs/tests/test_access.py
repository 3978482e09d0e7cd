"""Access scope over the cast (docs/security.md §6): subtree only, out of scope is 404, read-only is 403."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gonghui.members.models import Person
from gonghui.members.selectors import members_visible_to
from gonghui.orgs import access
from gonghui.orgs.models import Org

# Which members each cast user sees in their member list.
VISIBLE_MEMBERS = {
    "national_admin": {"张伟", "李娜", "王芳"},
    "province_admin": {"张伟", "李娜"},
    "sibling_admin": {"王芳"},
    "grassroots_admin": {"张伟", "李娜"},
    "readonly": {"张伟", "李娜"},
    "worker": set(),
    "security_admin": set(),
}
# Which orgs each cadre may open.
VISIBLE_ORGS = {
    "national_admin": {"national", "zhejiang", "hangzhou", "xihu", "xixi", "company", "jiangsu", "nanjing",
                       "xuanwu", "logistics"},
    "province_admin": {"zhejiang", "hangzhou", "xihu", "xixi", "company"},
    "sibling_admin": {"jiangsu", "nanjing", "xuanwu", "logistics"},
    "grassroots_admin": {"company"},
    "readonly": {"zhejiang", "hangzhou", "xihu", "xixi", "company"},
}  # fmt: skip
ALL_ORGS = VISIBLE_ORGS["national_admin"]
CADRES = sorted(VISIBLE_ORGS)


@pytest.mark.parametrize("who", sorted(VISIBLE_MEMBERS))
def test_member_list_shows_exactly_the_users_subtree(cast, who):
    user = getattr(cast.users, who)
    assert {m.person.name for m in members_visible_to(user)} == VISIBLE_MEMBERS[who]


@pytest.mark.parametrize("who", CADRES)
def test_org_reads_inside_scope_succeed_and_outside_read_as_404(cast, who):
    user = getattr(cast.users, who)
    for name in sorted(ALL_ORGS):
        org = getattr(cast.orgs, name)
        if name in VISIBLE_ORGS[who]:
            assert Org.objects.get_for_read(user, org.pk) == org
        else:
            with pytest.raises(Http404):
                Org.objects.get_for_read(user, org.pk)


@pytest.mark.parametrize("who", CADRES)
def test_person_reads_inside_scope_succeed_and_outside_read_as_404(cast, who):
    user = getattr(cast.users, who)
    for membership in (cast.members.zhang, cast.members.li, cast.members.wang):
        person = membership.person
        if person.name in VISIBLE_MEMBERS[who]:
            assert Person.objects.get_for_read(user, person.pk) == person
        else:
            with pytest.raises(Http404):
                Person.objects.get_for_read(user, person.pk)


def test_missing_org_and_person_read_as_404_like_forbidden_ones(cast):
    with pytest.raises(Http404):
        Org.objects.get_for_read(cast.users.national_admin, 10**9)
    with pytest.raises(Http404):
        Person.objects.get_for_read(cast.users.national_admin, 10**9)


def test_sibling_province_admin_cannot_write_either(cast):
    with pytest.raises(Http404):
        Org.objects.get_for_write(cast.users.sibling_admin, cast.orgs.company.pk)
    with pytest.raises(Http404):
        Person.objects.get_for_write(cast.users.sibling_admin, cast.members.zhang.person_id)


def test_readonly_user_gets_permission_denied_on_writes(cast):
    user = cast.users.readonly
    assert Org.objects.get_for_read(user, cast.orgs.company.pk) == cast.orgs.company
    with pytest.raises(PermissionDenied):
        Org.objects.get_for_write(user, cast.orgs.company.pk)
    with pytest.raises(PermissionDenied):
        Org.objects.get_for_write(user, cast.orgs.company.pk, manage=True)
    with pytest.raises(PermissionDenied):
        Person.objects.get_for_write(user, cast.members.zhang.person_id)


def test_readonly_user_still_gets_404_outside_scope_on_writes(cast):
    with pytest.raises(Http404):
        Org.objects.get_for_write(cast.users.readonly, cast.orgs.logistics.pk)


def test_admins_may_write_inside_their_scope(cast):
    assert Org.objects.get_for_write(cast.users.province_admin, cast.orgs.company.pk, manage=True) == cast.orgs.company
    person = cast.members.zhang.person
    assert Person.objects.get_for_write(cast.users.grassroots_admin, person.pk) == person


@pytest.mark.parametrize("who", ["worker", "security_admin"])
def test_users_without_grants_are_refused_cadre_functions(cast, who):
    user = getattr(cast.users, who)
    with pytest.raises(PermissionDenied):
        access.require_cadre(user)
    with pytest.raises(PermissionDenied):
        Org.objects.get_for_read(user, cast.orgs.company.pk)
    with pytest.raises(PermissionDenied):
        Person.objects.get_for_read(user, cast.members.zhang.person_id)


def test_anonymous_and_disabled_users_have_no_scope(cast):
    with pytest.raises(PermissionDenied):
        access.require_cadre(AnonymousUser())
    admin = cast.users.national_admin
    admin.is_active = False
    admin._gonghui_grants = None
    with pytest.raises(PermissionDenied):
        access.require_cadre(admin)
    assert not members_visible_to(admin).exists()


def test_unmask_permission_follows_the_covering_grant(cast):
    orgs, users = cast.orgs, cast.users
    assert access.can_unmask(users.national_admin, orgs.logistics)
    assert access.can_unmask(users.grassroots_admin, orgs.company)
    assert not access.can_unmask(users.grassroots_admin, orgs.xixi)
    assert not access.can_unmask(users.province_admin, orgs.company)


def test_top_orgs_are_the_roots_of_the_scope(cast):
    assert access.top_orgs(cast.users.province_admin) == [cast.orgs.zhejiang]
    assert access.top_orgs(cast.users.worker) == []


def test_former_member_stays_visible_to_the_union_that_held_them(cast):
    from gonghui.members.services import membership_end

    membership_end(actor=None, membership=cast.members.wang, status="withdrawn", reason="退会")
    assert Person.objects.get_for_read(cast.users.sibling_admin, cast.members.wang.person_id)
    with pytest.raises(Http404):
        Person.objects.get_for_read(cast.users.province_admin, cast.members.wang.person_id)
