"""The dues payments and wage bases as per-member tables partitioned by province (decision 0055): the ``province``
column kept by every writer and by an org's move, and, on PostgreSQL, the conversion keeping the rows and the
rules (one unreversed payment a member a month, a reversal pointing at its original) and pruning a one-province
grant's reads to its partition."""

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from gonghui.dues import services
from gonghui.dues.models import DuesPayment, WageBase
from gonghui.dues.tests.support import months_ago, set_base
from gonghui.members import partitioning
from gonghui.members.services import member_create
from gonghui.orgs.services import org_move
from gonghui.testing.cast import refreshed, valid_id

postgresql_only = pytest.mark.skipif("connection.vendor != 'postgresql'", reason="按省分区只适用于 PostgreSQL")


def provinces(model) -> set[int]:
    return set(model.objects.values_list("province", flat=True))


@pytest.fixture
def dues(cast):
    """张伟 (浙江) paid one month and had one reversed; 赵磊 (江苏) paid by the batch of his union."""
    admin, month = cast.users.grassroots_admin, months_ago(1)
    zhao = member_create(actor=None, org=cast.orgs.logistics, name="赵磊", id_number=valid_id("32010219880101001"),
                         joined_on=dt.date(2021, 1, 1))  # fmt: skip
    set_base(cast, cast.members.zhang)
    set_base(cast, zhao)
    first = services.dues_pay(actor=admin, person=cast.members.zhang.person, month=months_ago(2), method="cash",
                              paid_on=timezone.localdate(), amount="4.00")  # fmt: skip
    services.dues_payment_reverse(actor=admin, payment=first, reason="金额录错")
    services.dues_pay(actor=admin, person=cast.members.zhang.person, month=month, method="cash",
                      paid_on=timezone.localdate())  # fmt: skip
    services.dues_pay_org_month(actor=cast.users.sibling_admin, org=cast.orgs.logistics, month=month,
                                method="payroll", paid_on=timezone.localdate())  # fmt: skip
    return first


def test_every_writer_gives_the_rows_their_unions_province(cast, dues):
    assert set(DuesPayment.objects.values_list("org__name", "province")) == {
        (cast.orgs.company.name, 33), (cast.orgs.logistics.name, 32)}  # fmt: skip
    assert DuesPayment.objects.filter(province=32).count() == 1  # the batch's bulk create
    assert sorted(WageBase.objects.values_list("province", flat=True)) == [32, 33]


def test_the_rows_follow_their_union_to_another_province(cast, dues):
    org_move(actor=cast.users.national_admin, org=cast.orgs.hangzhou, new_parent=cast.orgs.jiangsu)
    assert provinces(DuesPayment) == provinces(WageBase) == {32}
    org_move(actor=None, org=refreshed(cast.orgs.hangzhou), new_parent=cast.orgs.zhejiang)
    assert DuesPayment.objects.filter(org=cast.orgs.company).values_list("province", flat=True).distinct().get() == 33


@postgresql_only
def test_the_conversion_keeps_the_rows_and_the_rules(cast, dues, settings):
    before = {t: partitioning.state(t).rows for t in ("dues_duespayment", "dues_wagebase")}
    call_command("partition_by_province", stdout=StringIO())
    for table, rows in before.items():
        state = partitioning.state(table)
        assert state.partitioned and state.partitions == 32 and state.rows == state.locator_rows == rows
    assert partitioning.check() == []
    zhang = cast.members.zhang
    paid = DuesPayment.objects.get(person=zhang.person, month=months_ago(1))
    with transaction.atomic(), pytest.raises(IntegrityError):  # one unreversed payment a member a month, nationally
        DuesPayment.objects.create(person=zhang.person, membership=zhang, org=cast.orgs.logistics, month=paid.month,
                                   amount=paid.amount, method="cash", paid_on=paid.paid_on)  # fmt: skip
    with transaction.atomic(), pytest.raises(IntegrityError):  # a reversal's original must exist (the locator)
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        DuesPayment.objects.create(person=zhang.person, membership=zhang, org=cast.orgs.company, month=paid.month,
                                   amount=-paid.amount, method="cash", paid_on=paid.paid_on, kind="reversal",
                                   reverses_id=10**12)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    reversal = services.dues_payment_reverse(actor=cast.users.grassroots_admin, payment=paid, reason="重复登记")
    assert reversal.reverses == paid and DuesPayment.objects.get(pk=paid.pk).is_reversed
    services.dues_pay(
        actor=cast.users.grassroots_admin,
        person=zhang.person,
        month=paid.month,
        method="online",
        paid_on=dt.date.today(),
    )  # fmt: skip — allowed again once reversed
    settings.GONGHUI_PARTITION_BY_PROVINCE = True
    plan = DuesPayment.objects.in_scope(cast.users.province_admin).explain()
    assert "dues_duespayment_p33" in plan and "dues_duespayment_p32" not in plan
    assert set(DuesPayment.objects.in_scope(cast.users.province_admin).values_list("province", flat=True)) == {33}
    org_move(actor=None, org=cast.orgs.hangzhou, new_parent=cast.orgs.jiangsu)  # the rows change partition
    assert provinces(DuesPayment) == {32} and partitioning.check() == []
