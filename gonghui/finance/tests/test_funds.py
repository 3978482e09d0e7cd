"""The 2% funds: declarations, collections split between levels with the entries at every level at once,
the tax-bureau route, the formation reserve, arrears, rules by effective month, reversal; the split never
loses a fen."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from hypothesis import given
from hypothesis import strategies as st

from gonghui.finance import services
from gonghui.finance.models import Collection, Entry, FundDeclaration, Share
from gonghui.finance.money import percent_of, split
from gonghui.finance.tests.conftest import SHARES, balances, collected, declaration, zhejiang_rule
from gonghui.members.models import Employer


def test_declaration_is_two_percent(cast):
    d = declaration(cast)
    assert d.due_fen == 2_469_136 and d.arrears_fen == 2_469_136  # 1,234,567.89 × 2% = 24,691.3578


def test_direct_collection_posts_every_level(cast):
    c = collected(cast, actor=cast.users.grassroots_admin)
    o = cast.orgs
    shares = dict(Share.objects.filter(collection=c).values_list("level", "amount_fen"))
    assert sum(shares.values()) == c.amount_fen == 2_469_136
    assert shares == {"grassroots": 1_481_482, "county": 246_914, "city": 246_913, "province": 370_370,
                      "national": 123_457}  # fmt: skip
    assert balances(o.company) == {"102": 2_469_136, "402": -1_481_482, "211": -987_654}
    assert balances(o.xihu) == {"132": 246_914, "402": -246_914}
    assert balances(o.hangzhou) == {"132": 246_913, "402": -246_913}
    assert balances(o.zhejiang) == {"132": 370_370, "402": -370_370}
    assert balances(o.national) == {"132": 123_457, "402": -123_457}
    assert Entry.objects.filter(collection=c).count() == 5
    c.declaration.refresh_from_db()
    assert c.declaration.arrears_fen == 0


def test_tax_route_lands_at_the_city(cast):
    collected(cast, route="tax")
    o = cast.orgs
    assert balances(o.hangzhou) == {"102": 2_469_136, "402": -246_913, "212": -1_728_396, "211": -493_827}
    assert balances(o.company) == {"131": 1_481_482, "402": -1_481_482}
    assert balances(o.xihu) == {"131": 246_914, "402": -246_914}
    assert balances(o.zhejiang) == {"132": 370_370, "402": -370_370}


def test_missing_level_passes_its_share_up(cast):
    """A grassroots union straight under the city: the county's 10% goes to the city."""
    from gonghui.testing.cast import add_org

    employer = Employer.objects.create(name="杭州直属单位")
    union = add_org(cast.orgs.hangzhou, "杭州直属单位工会", "grassroots", "3301", employer=employer)
    zhejiang_rule(cast)
    d = services.declaration_record(actor=None, employer=employer, org=union, month=dt.date(2026, 3, 1),
                                    payroll_fen=1_000_000)  # fmt: skip
    c = services.collection_record(actor=None, declaration=d, amount_fen=20_000, received_on=dt.date(2026, 4, 1))
    assert dict(Share.objects.filter(collection=c).values_list("level", "amount_fen")) == {
        "grassroots": 12_000, "city": 4_000, "province": 3_000, "national": 1_000}  # fmt: skip


def test_partial_payments_and_arrears(cast):
    zhejiang_rule(cast)
    d = declaration(cast)
    services.collection_record(actor=None, declaration=d, amount_fen=1_000_000, received_on=dt.date(2026, 4, 1))
    d.refresh_from_db()
    assert d.arrears_fen == 1_469_136
    with pytest.raises(ValidationError, match="超过"):
        services.collection_record(actor=None, declaration=d, amount_fen=1_469_137, received_on=dt.date(2026, 4, 2))


def test_rule_applies_from_its_month_only(cast):
    zhejiang_rule(cast)
    later = {"grassroots": 7000, "county": 500, "city": 1000, "province": 1000, "national": 500}
    zhejiang_rule(cast, shares=later, effective_from=dt.date(2026, 5, 1))
    d = declaration(cast)
    april = services.collection_record(actor=None, declaration=d, amount_fen=10_000, received_on=dt.date(2026, 4, 30))
    may = services.collection_record(actor=None, declaration=d, amount_fen=10_000, received_on=dt.date(2026, 5, 1))
    assert april.shares.get(level="grassroots").amount_fen == 6_000
    assert may.shares.get(level="grassroots").amount_fen == 7_000
    with pytest.raises(ValidationError, match="已用于经费收缴"):
        zhejiang_rule(cast, shares=later)


@pytest.mark.parametrize(
    ("shares", "message"),
    [
        ({"grassroots": 3900, "county": 1100, "city": 2000, "province": 2000, "national": 1000}, "不得低于 40%"),
        ({"grassroots": 6000, "county": 1000, "city": 1000, "province": 1000, "national": 500}, "必须是 100%"),
    ],
)
def test_rule_limits(cast, shares, message):
    with pytest.raises(ValidationError, match=message):
        zhejiang_rule(cast, shares=shares)


def test_formation_reserve_is_a_payable_of_the_upper_union(cast):
    employer = Employer.objects.create(name="西湖未建会公司")
    d = services.declaration_record(actor=cast.users.province_admin, employer=employer, org=cast.orgs.xihu,
                                    month=dt.date(2026, 3, 1), payroll_fen=5_000_000, kind="reserve")  # fmt: skip
    services.collection_record(actor=None, declaration=d, amount_fen=d.due_fen, received_on=dt.date(2026, 4, 1))
    assert balances(cast.orgs.xihu) == {"102": 100_000, "215": -100_000}
    with pytest.raises(ValidationError, match="已建立工会"):
        services.declaration_record(actor=None, employer=cast.orgs.company.employer, org=cast.orgs.xihu,
                                    month=dt.date(2026, 2, 1), payroll_fen=100, kind="reserve")  # fmt: skip
    with pytest.raises(ValidationError, match="基层工会收缴"):
        services.declaration_record(actor=None, employer=employer, org=cast.orgs.xihu, month=dt.date(2026, 2, 1),
                                    payroll_fen=100)  # fmt: skip


def test_collection_reversal_restores_every_level(cast):
    c = collected(cast)
    services.collection_reverse(actor=cast.users.grassroots_admin, collection=c, reason="重复登记")
    for org in (cast.orgs.company, cast.orgs.xihu, cast.orgs.hangzhou, cast.orgs.zhejiang, cast.orgs.national):
        assert balances(org) == {}
    c.declaration.refresh_from_db()
    assert c.declaration.arrears_fen == c.declaration.due_fen
    with pytest.raises(ValidationError, match="已冲销"):
        services.collection_reverse(actor=None, collection=c, reason="再来")
    with pytest.raises(ValidationError, match="整笔冲销"):
        services.entry_reverse(actor=None, entry=c.entries.filter(reverses=None).first(), reason="单张")


def test_closed_upper_period_refuses_the_whole_collection(cast):
    zhejiang_rule(cast)
    d = declaration(cast)
    services.period_close(actor=None, org=cast.orgs.zhejiang, month=dt.date(2026, 4, 1))
    with pytest.raises(ValidationError, match="浙江省总工会2026年4月已结账"):
        services.collection_record(actor=None, declaration=d, amount_fen=100, received_on=dt.date(2026, 4, 3))
    assert not Collection.objects.exists() and not Entry.objects.exists()


def test_collection_scope(cast):
    zhejiang_rule(cast)
    d = declaration(cast)
    with pytest.raises(Http404):
        services.collection_record(actor=cast.users.sibling_admin, declaration=d, amount_fen=100,
                                   received_on=dt.date(2026, 4, 1))  # fmt: skip
    with pytest.raises(PermissionDenied):
        services.collection_record(actor=cast.users.readonly, declaration=d, amount_fen=100,
                                   received_on=dt.date(2026, 4, 1))  # fmt: skip
    assert not Collection.objects.exists()
    with pytest.raises(ValidationError, match="已申报"):
        declaration(cast)
    assert FundDeclaration.objects.count() == 1


def test_the_rule_is_not_lost_on_rounding():
    assert split(1, [6000, 1000, 1000, 1500, 500]) == [1, 0, 0, 0, 0]
    assert split(-7, [1, 1]) == [-4, -3]
    assert percent_of(250, 200) == 5 and percent_of(25, 200) == 1  # 0.5 fen rounds up


@given(
    total=st.integers(min_value=-(10**14), max_value=10**14),
    weights=st.lists(st.integers(min_value=0, max_value=10_000), min_size=1, max_size=8).filter(any),
)
def test_split_never_loses_a_fen(total, weights):
    parts = split(total, weights)
    assert sum(parts) == total
    whole = sum(weights)
    for part, weight in zip(parts, weights, strict=True):
        assert abs(part - total * weight / whole) < 1  # each part within a fen of its exact share
        if weight == 0:
            assert part == 0


@given(total=st.integers(min_value=1, max_value=10**12), data=st.data())
def test_split_of_any_valid_rule(total, data):
    grassroots = data.draw(st.integers(min_value=4000, max_value=10_000))
    rest = 10_000 - grassroots
    cuts = sorted(data.draw(st.lists(st.integers(min_value=0, max_value=rest), min_size=3, max_size=3)))
    weights = [grassroots, cuts[0], cuts[1] - cuts[0], cuts[2] - cuts[1], rest - cuts[2]]
    parts = split(total, weights)
    assert sum(parts) == total and all(p >= 0 for p in parts)
    assert parts[0] >= total * 4000 // 10_000


def test_shares_are_zhejiangs():
    assert sum(SHARES.values()) == 10_000
