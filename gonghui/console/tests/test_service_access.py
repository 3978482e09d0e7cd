"""The account and console services check their own actor's platform role (docs/decisions/0010), as the
console pages do: each admin only their own duties, cadres none; nothing is written on a refusal."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from gonghui.accounts import services as accounts
from gonghui.accounts.models import Grant, User
from gonghui.console import services as console
from gonghui.core.models import WorkdayOverride


def _duties(cast):
    """(the admin who may, a callable doing the write as ``actor``)."""
    worker = cast.users.worker
    staff = accounts.user_create(actor=None, username="staff", password=cast.password, check_password=False)
    return [
        ("system_admin", lambda actor: accounts.user_create(actor=actor, username="new", password=cast.password,
                                                            check_password=False)),
        ("system_admin", lambda actor: accounts.user_disable(actor=actor, user=worker)),
        ("system_admin", lambda actor: accounts.user_enable(actor=actor, user=worker)),
        ("security_admin", lambda actor: accounts.grant_create(actor=actor, user=staff, org=cast.orgs.company,
                                                               role=Grant.Role.READONLY)),
        ("security_admin", lambda actor: accounts.grant_revoke(actor=actor, grant=cast.users.readonly.grants.get())),
        ("security_admin", lambda actor: accounts.policy_update(actor=actor, lockout_threshold=3)),
        ("system_admin", lambda actor: console.workday_override_set(actor=actor, day=dt.date(2026, 10, 10),
                                                                    is_workday=False, note="调休")),
        ("audit_admin", lambda actor: console.audit_export_begin(actor=actor, since=None, until=None, count=0,
                                                                 via="web")),
    ]  # fmt: skip


def _state():
    return (
        list(User.objects.order_by("pk").values("pk", "is_active")),
        list(Grant.objects.order_by("pk").values()),
        WorkdayOverride.objects.count(),
    )


ALLOWED = ["system_admin"] * 3 + ["security_admin"] * 3 + ["system_admin", "audit_admin"]  # as _duties
OTHERS = ["national_admin", "system_admin", "security_admin", "audit_admin", "worker"]


@pytest.mark.parametrize(("duty", "who"), [(d, who) for d, role in enumerate(ALLOWED) for who in OTHERS if who != role])
def test_only_the_admin_of_the_duty_may(admins, who, duty):
    allowed, write = _duties(admins)[duty]
    assert allowed == ALLOWED[duty]
    before = _state()
    with pytest.raises(PermissionDenied):
        write(getattr(admins.users, who))
    assert _state() == before


@pytest.mark.parametrize("duty", range(len(ALLOWED)))
def test_the_admin_of_the_duty_may(admins, duty):
    allowed, write = _duties(admins)[duty]
    write(getattr(admins.users, allowed))
