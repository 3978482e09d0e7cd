"""orgs' services check their own actor (docs/decisions/0010): 404 out of scope, audited 403 for a role
that may not, nothing written; the employer named on a form is resolved inside the service."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from gonghui.members.models import Employer
from gonghui.members.services import EmployerNamed
from gonghui.orgs import services
from gonghui.orgs.models import Org, OrgType

REFUSED = [("sibling_admin", Http404), ("readonly", PermissionDenied), ("grassroots_admin", Http404)]


def _snapshot():
    return list(Org.objects.order_by("pk").values()), Employer.objects.count()


@pytest.mark.parametrize(("who", "refusal"), REFUSED)
def test_org_create_checks_its_actor(cast, who, refusal):
    before = _snapshot()
    with pytest.raises(refusal):
        services.org_create(actor=getattr(cast.users, who), parent=cast.orgs.xihu, name="新工会",
                            org_type=OrgType.GRASSROOTS, region=cast.orgs.xihu.region,
                            employer=EmployerNamed(name="新单位"))  # fmt: skip
    assert _snapshot() == before


def test_only_the_platform_creates_a_root(cast):
    before = _snapshot()
    with pytest.raises(PermissionDenied):
        services.org_create(actor=cast.users.national_admin, parent=None, name="另一个全总",
                            org_type=OrgType.NATIONAL, region=cast.orgs.national.region)  # fmt: skip
    assert _snapshot() == before


@pytest.mark.parametrize(("who", "refusal"), REFUSED)
def test_org_update_and_move_check_their_actor(cast, who, refusal):
    user, xixi = getattr(cast.users, who), cast.orgs.xixi
    before = _snapshot()
    with pytest.raises(refusal):
        services.org_update(actor=user, org=xixi, version=xixi.version, name="改名")
    with pytest.raises(refusal):
        services.org_move(actor=user, org=xixi, new_parent=cast.orgs.hangzhou)
    assert _snapshot() == before


def test_a_move_needs_the_admin_role_on_the_new_parent_too(cast):
    before = _snapshot()
    with pytest.raises(Http404):
        services.org_move(actor=cast.users.province_admin, org=cast.orgs.xixi, new_parent=cast.orgs.nanjing)
    assert _snapshot() == before


def test_a_new_employer_is_not_kept_when_the_org_is_refused(cast):
    employers = Employer.objects.count()
    with pytest.raises(ValidationError):
        services.org_create(actor=cast.users.province_admin, parent=cast.orgs.xihu, name=" ",
                            org_type=OrgType.GRASSROOTS, region=cast.orgs.xihu.region,
                            employer=EmployerNamed(name="新单位"))  # fmt: skip
    assert Employer.objects.count() == employers


def test_an_update_and_a_move_together_are_one_write(cast):
    company, version = cast.orgs.company, cast.orgs.company.version
    org = services.org_update(actor=cast.users.province_admin, org=company, version=version,
                              name="示例科技工会", new_parent=cast.orgs.xixi)  # fmt: skip
    assert org.name == "示例科技工会" and org.parent == cast.orgs.xixi and org.version == version + 2
