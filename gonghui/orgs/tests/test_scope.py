"""Scope declared on the model (gonghui.orgs.scope) over the cast, checked against the tree itself:
a user may read a row iff one of their granted orgs is the row's org or an ancestor of it, and write it
iff such a grant carries a write role."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gonghui.accounts.models import Grant
from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Org
from gonghui.orgs.scope import ScopedQuerySet

CADRES = ["national_admin", "province_admin", "sibling_admin", "grassroots_admin", "readonly"]
NO_GRANT = ["worker", "security_admin"]


def _lineage(org: Org) -> set[int]:
    """The org and all its ancestors, by walking parent links (not by path)."""
    ids = set()
    while org is not None:
        ids.add(org.pk)
        org = org.parent
    return ids


def _oracle(user, org: Org, roles: set[str] | None = None) -> bool:
    return any(
        grant.org_id in _lineage(org) and (roles is None or grant.role in roles)
        for grant in Grant.objects.filter(user=user)
    )


def _all_orgs(cast) -> list[Org]:
    return list(Org.objects.select_related("parent"))


@pytest.mark.parametrize("who", CADRES)
def test_in_scope_and_writable_by_agree_with_the_tree(cast, who):
    user = getattr(cast.users, who)
    orgs = _all_orgs(cast)
    assert set(Org.objects.in_scope(user)) == {o for o in orgs if _oracle(user, o)}
    writers = {Grant.Role.ADMIN, Grant.Role.STAFF}
    assert set(Org.objects.writable_by(user)) == {o for o in orgs if _oracle(user, o, writers)}
    admins = {Grant.Role.ADMIN}
    assert set(Org.objects.writable_by(user, manage=True)) == {o for o in orgs if _oracle(user, o, admins)}


@pytest.mark.parametrize("who", CADRES)
@pytest.mark.parametrize("manage", [False, True])
def test_get_for_read_and_write_agree_with_the_tree(cast, who, manage):
    user = getattr(cast.users, who)
    roles = {Grant.Role.ADMIN} if manage else {Grant.Role.ADMIN, Grant.Role.STAFF}
    for org in _all_orgs(cast):
        if not _oracle(user, org):
            with pytest.raises(Http404, match="工会组织不存在"):
                Org.objects.get_for_read(user, org.pk)
            with pytest.raises(Http404):
                Org.objects.get_for_write(user, org.pk, manage=manage)
            continue
        assert Org.objects.get_for_read(user, org.pk) == org
        if _oracle(user, org, roles):
            assert Org.objects.get_for_write(user, org.pk, manage=manage) == org
        else:
            with pytest.raises(PermissionDenied):
                Org.objects.get_for_write(user, org.pk, manage=manage)


def test_a_missing_row_reads_as_404_like_one_out_of_scope(cast):
    with pytest.raises(Http404):
        Org.objects.get_for_read(cast.users.national_admin, 10**9)
    with pytest.raises(Http404):
        Org.objects.get_for_write(cast.users.national_admin, 10**9)


@pytest.mark.parametrize("who", NO_GRANT)
def test_a_user_without_any_grant_gets_an_audited_403(cast, who):
    user = getattr(cast.users, who)
    assert not Org.objects.in_scope(user).exists()
    for get in (Org.objects.get_for_read, Org.objects.get_for_write):
        before = AuditEvent.objects.filter(actor=user, action="access.denied", result="denied").count()
        with pytest.raises(PermissionDenied):
            get(user, cast.orgs.company.pk)
        assert AuditEvent.objects.filter(actor=user, action="access.denied", result="denied").count() == before + 1


def test_anonymous_users_are_refused(cast):
    with pytest.raises(PermissionDenied):
        Org.objects.get_for_read(AnonymousUser(), cast.orgs.company.pk)


def test_a_read_only_write_is_refused_with_an_audit_event_on_the_org(cast):
    user, company = cast.users.readonly, cast.orgs.company
    with pytest.raises(PermissionDenied, match="您的角色没有修改此组织数据的权限。"):
        Org.objects.get_for_write(user, company.pk)
    event = AuditEvent.objects.filter(actor=user, action="access.denied").first()
    assert event.org == company and event.result == "denied"


def test_staff_may_write_members_but_not_manage_the_org(cast):
    from gonghui.accounts.services import grant_create, user_create

    staff = user_create(actor=None, username="staffer", password=cast.password, check_password=False)
    grant_create(actor=None, user=staff, org=cast.orgs.xihu, role=Grant.Role.STAFF)
    assert Org.objects.get_for_write(staff, cast.orgs.company.pk) == cast.orgs.company
    with pytest.raises(PermissionDenied):
        Org.objects.get_for_write(staff, cast.orgs.company.pk, manage=True)


def test_get_for_read_keeps_the_querysets_own_joins(cast, django_assert_num_queries):
    org = Org.objects.select_related("region", "parent").get_for_read(cast.users.national_admin, cast.orgs.company.pk)
    with django_assert_num_queries(0):
        assert org.region.code and org.parent == cast.orgs.xihu


def test_every_scoped_model_declares_paths_that_resolve(cast):
    from django.apps import apps

    for model in apps.get_models():
        if isinstance(model._default_manager.all(), ScopedQuerySet):
            assert model.scope_paths, model
            for path in model.scope_paths:
                model.objects.filter(**{f"{path}__startswith": ""}).exists()  # FieldError on a bad path
