"""The dues services: rates, wage bases, payments (single, batch, reversal), arrears and the rollup."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404
from django.utils import timezone

from gonghui.core.models import AuditEvent
from gonghui.dues import selectors, services
from gonghui.dues.calculation import add_months
from gonghui.dues.models import DuesOrgMonth, DuesPayment, DuesRate, WageBase
from gonghui.dues.selectors import DuesData, current_month, member_arrears, subtree_totals
from gonghui.dues.tests.support import months_ago, set_base
from gonghui.members.models import Membership
from gonghui.members.services import member_create, membership_retire
from gonghui.testing.cast import valid_id

TODAY = timezone.localdate


def pay(cast, membership, month, **kw):
    return services.dues_pay(actor=cast.users.grassroots_admin, person=membership.person, month=month,
                             method=kw.pop("method", "cash"), paid_on=kw.pop("paid_on", TODAY()), **kw)  # fmt: skip


def test_wage_base_is_encrypted_and_never_in_the_audit(cast):
    set_base(cast, cast.members.zhang, "8765.43")
    row = WageBase.objects.get()
    assert "8765" not in row.base_enc
    with connection.cursor() as cursor:
        cursor.execute("SELECT base_enc FROM dues_wagebase")
        assert "8765" not in cursor.fetchone()[0]
    event = AuditEvent.objects.get(action="dues.base_set")
    assert "8765" not in str(event.detail)
    assert selectors.dues_at(cast.members.zhang.person, months_ago(3)) == Decimal("43.80")  # 8760 × 0.5%


def test_wage_base_only_by_the_members_union(cast):
    with pytest.raises(Http404):
        services.wage_base_set(actor=cast.users.sibling_admin, person=cast.members.zhang.person, base="8000",
                               effective_from=current_month())  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.wage_base_set(actor=cast.users.readonly, person=cast.members.zhang.person, base="8000",
                               effective_from=current_month())  # fmt: skip
    assert not WageBase.objects.exists()


@pytest.mark.parametrize(("base", "message"), [("-5", "金额不能为负数"), ("abc", "请输入金额"),
                                               ("2000000", "不能超过")])  # fmt: skip
def test_bad_wage_bases_are_refused_in_chinese(cast, base, message):
    with pytest.raises(ValidationError) as error:
        set_base(cast, cast.members.zhang, base)
    assert message in error.value.messages[0]
    assert not WageBase.objects.exists()


def test_arrears_count_passed_months_from_the_first_base(cast):
    set_base(cast, cast.members.zhang, "8000", months_back=3)
    arrears = member_arrears(cast.members.zhang.person)
    assert arrears.months == [months_ago(3), months_ago(2), months_ago(1)]
    assert arrears.amount == Decimal("120.00")
    pay(cast, cast.members.zhang, months_ago(2))
    assert member_arrears(cast.members.zhang.person).amount == Decimal("80.00")


def test_no_wage_base_shows_as_unassessed_not_as_zero(cast):
    arrears = member_arrears(cast.members.li.person)
    assert arrears.unassessed and arrears.amount == 0
    with pytest.raises(ValidationError) as error:
        pay(cast, cast.members.li, current_month())
    assert "未核定缴费基数" in error.value.messages[0]


def test_payment_is_recorded_once_and_marks_the_member_active(cast):
    set_base(cast, cast.members.zhang)
    month = months_ago(1)
    payment = pay(cast, cast.members.zhang, month)
    assert payment.amount == Decimal("40.00") and payment.org == cast.orgs.company
    assert Membership.objects.get(pk=cast.members.zhang.pk).last_active_on == month
    with pytest.raises(ValidationError) as error:
        pay(cast, cast.members.zhang, month, method="online")
    assert "不能重复登记" in error.value.messages[0] and "冲正" in error.value.messages[0]
    assert DuesPayment.objects.count() == 1


def test_reversal_allows_a_corrected_payment(cast):
    set_base(cast, cast.members.zhang)
    month = months_ago(1)
    first = pay(cast, cast.members.zhang, month, amount="4.00")
    reversal = services.dues_payment_reverse(actor=cast.users.grassroots_admin, payment=first, reason="金额录错")
    assert reversal.amount == Decimal("-4.00") and reversal.reverses == first
    with pytest.raises(ValidationError):
        services.dues_payment_reverse(actor=cast.users.grassroots_admin, payment=first, reason="再来一次")
    pay(cast, cast.members.zhang, month)
    line = DuesData.load([cast.members.zhang.person_id]).lines(cast.members.zhang.person_id, [month])[0]
    assert (line.paid, line.owed) == (Decimal("40.00"), 0)


@pytest.mark.parametrize(
    ("kw", "message"),
    [({"amount": "-3"}, "金额必须大于 0"), ({"amount": "1.999"}, "两位小数"), ({"method": "bitcoin"}, "缴纳方式"),
     ({"paid_on": dt.date(2999, 1, 1)}, "不能晚于今天")],
)  # fmt: skip
def test_bad_payments_are_refused_in_chinese(cast, kw, message):
    set_base(cast, cast.members.zhang)
    with pytest.raises(ValidationError) as error:
        pay(cast, cast.members.zhang, months_ago(1), **kw)
    assert message in error.value.messages[0]
    assert not DuesPayment.objects.exists()


def test_future_months_and_retirees_are_refused(cast):
    set_base(cast, cast.members.zhang)
    with pytest.raises(ValidationError) as error:
        pay(cast, cast.members.zhang, add_months(current_month(), 1))
    assert "未来月份" in error.value.messages[0]
    membership_retire(actor=cast.users.grassroots_admin, membership=cast.members.zhang)
    with pytest.raises(ValidationError) as error:
        pay(cast, cast.members.zhang, months_ago(1))
    assert "退休会员免缴" in error.value.messages[0]
    assert member_arrears(cast.members.zhang.person).amount == 0


def _company_with_members(cast, n=3):
    """张伟 and 李娜 plus ``n`` more members of the company union, each with a base 2 months back."""
    members = [cast.members.zhang, cast.members.li]
    for i in range(n):
        id_number = valid_id(f"33010619900101{i:02d}1")
        members.append(member_create(actor=None, org=cast.orgs.company, name=f"会员{i}", id_number=id_number,
                                     joined_on=dt.date(2021, 1, 1)))  # fmt: skip
    for i, m in enumerate(members):
        set_base(cast, m, str(5000 + 1000 * i), months_back=2)
    return members


def test_batch_payment_records_every_due_member_once(cast):
    members = _company_with_members(cast)
    membership_retire(actor=cast.users.grassroots_admin, membership=members[-1])
    month = months_ago(1)
    pay(cast, members[0], month)
    counts = services.dues_pay_org_month(actor=cast.users.grassroots_admin, org=cast.orgs.company, month=month,
                                         method="payroll", paid_on=TODAY())  # fmt: skip
    # 李娜 joined this month (nothing due last month) and the retiree are exempt
    assert counts == {"recorded": 2, "already_paid": 1, "unassessed": 0, "exempt": 2}
    again = services.dues_pay_org_month(actor=cast.users.grassroots_admin, org=cast.orgs.company, month=month,
                                        method="payroll", paid_on=TODAY())  # fmt: skip
    assert again["recorded"] == 0
    marked = Membership.objects.filter(pk__in=[m.pk for m in members], last_active_on=month).count()
    assert marked == 3


def test_refused_batch_changes_nothing(cast):
    with pytest.raises(Http404):
        services.dues_pay_org_month(actor=cast.users.sibling_admin, org=cast.orgs.company, month=months_ago(1),
                                    method="payroll", paid_on=TODAY())  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.dues_pay_org_month(actor=cast.users.readonly, org=cast.orgs.company, month=months_ago(1),
                                    method="payroll", paid_on=TODAY())  # fmt: skip
    assert not DuesPayment.objects.exists()


def _recount(org, month):
    """The rollup figures the straightforward way: every member's ledger, no rollup table."""
    person_ids = list(Membership.objects.filter(org__path__startswith=org.path, status="active")
                      .values_list("person_id", flat=True))  # fmt: skip
    data = DuesData.load(person_ids)
    due = paid = arrears = Decimal(0)
    in_arrears = 0
    for pid in person_ids:
        history = data.history(pid, month)
        line = history[-1]
        due += line.due or 0
        paid += line.paid
        owed = sum(h.owed for h in history)
        arrears += owed
        in_arrears += owed > 0
    return {"due_total": due, "paid_total": paid, "arrears_total": arrears, "members_in_arrears": in_arrears}


def test_rollup_matches_a_straightforward_recount(cast):
    members = _company_with_members(cast)
    set_base(cast, cast.members.wang, "7000", months_back=5)
    pay(cast, members[0], months_ago(2))
    services.dues_pay_org_month(actor=cast.users.grassroots_admin, org=cast.orgs.company, month=months_ago(1),
                                method="transfer", paid_on=TODAY())  # fmt: skip
    first = DuesPayment.objects.filter(person=members[2].person).first()
    services.dues_payment_reverse(actor=cast.users.grassroots_admin, payment=first, reason="退回")
    for org in (cast.orgs.national, cast.orgs.zhejiang, cast.orgs.company, cast.orgs.jiangsu):
        for month in (months_ago(3), months_ago(2), months_ago(1), current_month()):
            totals = subtree_totals(org, month)
            assert {k: totals[k] for k in _recount(org, month)} == _recount(org, month), (org.name, month)
    assert subtree_totals(cast.orgs.national, months_ago(1))["members_in_arrears"] > 0


def test_recompute_task_gives_the_same_rollup(cast):
    _company_with_members(cast)
    pay(cast, cast.members.zhang, months_ago(1))
    fields = ("org", "month", "members", "due_total", "paid_total", "members_in_arrears", "arrears_total")
    before = list(DuesOrgMonth.objects.order_by("org", "month").values_list(*fields))
    DuesOrgMonth.objects.all().delete()
    assert services.rollups_recompute() >= 2
    after = DuesOrgMonth.objects.filter(month__gte=before[0][1], org__in={r[0] for r in before})
    after = after.order_by("org", "month").values_list(*fields)
    assert before == list(after)


def test_province_rate_applies_to_its_unions_only(cast):
    set_base(cast, cast.members.zhang, "8000", months_back=3)
    set_base(cast, cast.members.wang, "8000", months_back=3)
    services.dues_rate_set(actor=cast.users.province_admin, province=cast.orgs.zhejiang, rate=Decimal("0.004"),
                           effective_from=months_ago(2))  # fmt: skip
    assert selectors.dues_at(cast.members.zhang.person, months_ago(3)) == Decimal("40.00")
    assert selectors.dues_at(cast.members.zhang.person, months_ago(2)) == Decimal("32.00")
    assert selectors.dues_at(cast.members.zhang.person, current_month()) == Decimal("32.00")
    assert selectors.dues_at(cast.members.wang.person, current_month()) == Decimal("40.00")  # Jiangsu: the default
    assert DuesRate.objects.get().province_code == "33"


def test_province_rate_only_by_its_admins(cast):
    for user, error in ((cast.users.sibling_admin, Http404), (cast.users.readonly, PermissionDenied),
                        (cast.users.grassroots_admin, Http404)):  # fmt: skip
        with pytest.raises(error):
            services.dues_rate_set(actor=user, province=cast.orgs.zhejiang, rate=Decimal("0.004"),
                                   effective_from=current_month())  # fmt: skip
    with pytest.raises(ValidationError) as bad:
        services.dues_rate_set(actor=cast.users.province_admin, province=cast.orgs.zhejiang, rate=Decimal("0.2"),
                               effective_from=current_month())  # fmt: skip
    assert "不超过" in bad.value.messages[0]
    with pytest.raises(ValidationError):
        services.dues_rate_set(actor=cast.users.national_admin, province=cast.orgs.hangzhou, rate=Decimal("0.004"),
                               effective_from=current_month())  # fmt: skip
    assert not DuesRate.objects.exists()


def test_province_recompute_follows_its_rate_change(cast):
    set_base(cast, cast.members.zhang, "8000", months_back=3)
    set_base(cast, cast.members.wang, "8000", months_back=3)
    before = subtree_totals(cast.orgs.zhejiang, current_month())["due_total"]
    jiangsu = subtree_totals(cast.orgs.jiangsu, current_month())["due_total"]
    services.dues_rate_set(actor=cast.users.province_admin, province=cast.orgs.zhejiang, rate=Decimal("0.004"),
                           effective_from=months_ago(2))  # fmt: skip
    assert services.rollups_recompute(province_code="33", since=months_ago(2)) >= 1
    assert subtree_totals(cast.orgs.zhejiang, current_month())["due_total"] == before * Decimal("0.8")
    assert subtree_totals(cast.orgs.jiangsu, current_month())["due_total"] == jiangsu


def _rollup_rows(since):
    fields = ("org", "month", *selectors.ROLLUP_FIELDS)
    return list(DuesOrgMonth.objects.filter(month__gte=since).order_by("org", "month").values_list(*fields))


def test_applied_differences_equal_a_recompute(cast):
    members = _company_with_members(cast)
    services.rollups_recompute()  # every month's row exists: later writes apply their difference
    pay(cast, members[0], months_ago(2))
    pay(cast, members[2], months_ago(1), amount="3")
    set_base(cast, cast.members.wang, "7000", months_back=5)
    services.wage_bases_set_bulk(actor=cast.users.grassroots_admin, org=cast.orgs.company,
                                 effective_from=months_ago(1), bases={members[3].person_id: "9000"})  # fmt: skip
    first = DuesPayment.objects.filter(person=members[0].person).first()
    services.dues_payment_reverse(actor=cast.users.grassroots_admin, payment=first, reason="退回")
    newcomer = member_create(actor=None, org=cast.orgs.company, name="新会员", joined_on=dt.date(2021, 1, 1),
                             id_number=valid_id("33010619900101991"))  # fmt: skip
    set_base(cast, newcomer, "6000")  # the union's members changed: this write recomputes it from its month
    membership_retire(actor=cast.users.grassroots_admin, membership=members[3])
    pay(cast, members[0], months_ago(2), amount="1")
    pay(cast, members[4], current_month())
    incremental = _rollup_rows(since=months_ago(3))  # earlier months: the daily and monthly jobs, as before
    DuesOrgMonth.objects.all().delete()
    services.rollups_recompute()
    assert _rollup_rows(since=months_ago(3)) == incremental
    assert any(row[5] for row in incremental)  # some paid_total was recorded


def test_a_payment_reads_its_member_not_the_union(cast, monkeypatch):
    members = _company_with_members(cast, n=4)
    services.rollups_recompute()
    loaded, load = [], DuesData.load

    def counting_load(person_ids, **kw):
        loaded.append(len(list(person_ids)))
        return load(person_ids, **kw)

    monkeypatch.setattr(DuesData, "load", counting_load)
    pay(cast, members[4], months_ago(1))
    assert max(loaded) == 1  # the member's ledger only, not the union's six
