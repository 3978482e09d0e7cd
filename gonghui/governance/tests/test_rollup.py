"""The monthly rollup: after any sequence of writes through the services it equals a recount; the command
recomputes, verifies and reports a difference with a non-zero exit; past months are kept."""

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.governance import rollup
from gonghui.governance.models import FigureMonth
from gonghui.governance.targets import add_months, month_of
from gonghui.members.models import Membership
from gonghui.members.services import member_create, membership_end
from gonghui.testing.cast import valid_id
from gonghui.venues.tests.conftest import make_station

ORGS = ("company", "logistics", "xuanwu", "hangzhou")
write = st.one_of(
    st.tuples(st.just("join"), st.sampled_from(("company", "logistics"))),
    st.tuples(st.just("station"), st.sampled_from(ORGS)),
    st.tuples(st.just("library"), st.sampled_from(ORGS)),
    st.tuples(st.just("exit"), st.just("")),
)


class Rollback(Exception):
    pass


def _apply(cast, op, where, n):
    org = getattr(cast.orgs, where) if where else None
    if op == "join":
        member_create(actor=None, org=org, name=f"测试{n}", id_number=valid_id(f"33010619900101{n:03d}"),
                      employment_form="standard")  # fmt: skip
    elif op == "station":
        make_station(cast, actor=cast.users.national_admin, org=org, name=f"驿站{n}")
    elif op == "library":
        make_station(cast, actor=cast.users.national_admin, org=org, name=f"书屋{n}", kind="library",
                     library_grade="self_built", checked=[])  # fmt: skip
    else:
        membership = Membership.objects.filter(status=Membership.Status.ACTIVE).order_by("-pk").first()
        if membership is not None:
            membership_end(actor=None, membership=membership, status=Membership.Status.WITHDRAWN, reason="离职")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(write, min_size=1, max_size=5))
def test_the_rollup_equals_a_recount_after_any_writes(cast, writes):
    try:
        with transaction.atomic():
            for n, (op, where) in enumerate(writes):
                _apply(cast, op, where, n)
            rollup.rollup_month()
            assert rollup.verify_month() == []
            month = month_of(timezone.localdate())
            national = FigureMonth.objects.filter(org=cast.orgs.national, key="members", month=month).first()
            active = Membership.objects.filter(status=Membership.Status.ACTIVE).count()
            assert (national.value if national else 0) == active
            raise Rollback
    except Rollback:
        pass


def test_the_command_verifies_reports_a_difference_and_keeps_past_months(cast):
    make_station(cast)
    last_month = add_months(month_of(timezone.localdate()), -1)
    FigureMonth.objects.create(org=cast.orgs.national, key="members", month=last_month, value=1,
                               computed_at=timezone.now())  # fmt: skip
    out = StringIO()
    call_command("governance_rollup", stdout=out)
    assert "已汇总" in out.getvalue()
    call_command("governance_rollup", "--verify", stdout=out)
    assert "一致" in out.getvalue()
    stations = FigureMonth.objects.get(org=cast.orgs.xihu, key="venues_stations", month=month_of(timezone.localdate()))
    assert stations.value == 1
    FigureMonth.objects.filter(pk=stations.pk).update(value=Decimal(5))
    out = StringIO()
    with pytest.raises(CommandError, match="1 处差异") as raised:
        call_command("governance_rollup", "--verify", stdout=out)
    report = out.getvalue()
    assert raised.value.returncode == 1 and "杭州市西湖区总工会" in report and "venues_stations" in report
    assert FigureMonth.objects.get(org=cast.orgs.national, key="members", month=last_month).value == 1  # kept
    with pytest.raises(CommandError, match="只能重算本月"):
        call_command("governance_rollup", "--month", last_month.strftime("%Y-%m"))
    with pytest.raises(CommandError, match="格式"):
        call_command("governance_rollup", "--month", "2026-13")


def test_the_daily_job_rolls_up_this_month(cast):
    today = timezone.localdate()
    assert rollup.daily_rollup(today=today) == FigureMonth.objects.filter(month=month_of(today)).count() > 0
    assert not FigureMonth.objects.exclude(month=month_of(today)).exists()
    assert FigureMonth.objects.get(org=cast.orgs.zhejiang, key="members", month=month_of(today)).value == 2
