"""Properties of the competition arithmetic (gonghui/workforce/scoring.py) and of the round's list checks
(quotas.py)."""

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.workforce import quotas, scoring

FAST = settings(max_examples=50, deadline=None)
score = st.decimals(min_value=0, max_value=100, places=2, allow_nan=False, allow_infinity=False)
weight = st.decimals(min_value=0, max_value=Decimal("0.30"), places=2)


@FAST
@given(st.lists(score, min_size=1, max_size=9))
def test_practical_is_the_trimmed_mean_within_the_scores(scores):
    result = scoring.practical(scores)
    kept = sorted(scores)[1:-1] if len(scores) >= 5 else scores
    assert result == (sum(kept) / len(kept)).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")
    assert min(kept) <= result <= max(kept)
    assert scoring.practical(list(reversed(scores))) == result  # the order of the judges does not matter


@FAST
@given(st.lists(score, min_size=5, max_size=9), score)
def test_with_five_judges_one_extreme_score_moves_nothing_beyond_its_neighbour(scores, outlier):
    """The highest and lowest are dropped: raising the top score further never changes the result."""
    top = max(scores)
    raised = [*sorted(scores)[:-1], max(top, outlier)]
    assert scoring.practical(raised) == scoring.practical(scores)


@FAST
@given(st.lists(st.one_of(score, st.none()), min_size=1, max_size=7))
def test_a_missing_score_leaves_the_result_incomplete(scores):
    assert (scoring.practical(scores) is None) == (None in scores)


@FAST
@given(score, score, weight)
def test_the_total_lies_between_theory_and_practice(theory, practical, w):
    total = scoring.total(theory, practical, w)
    assert min(theory, practical) - Decimal("0.01") <= total <= max(theory, practical) + Decimal("0.01")
    missing_theory = scoring.total(None, practical, w)
    assert missing_theory is None if w else missing_theory == practical  # no theory part: the practical alone


def test_theory_weighs_at_most_thirty_percent():
    assert scoring.total(Decimal(80), Decimal(90), Decimal("0.30")) == Decimal("87.00")
    with pytest.raises(ValueError, match="30%"):
        scoring.total(Decimal(80), Decimal(90), Decimal("0.31"))


results = st.lists(
    st.tuples(st.one_of(score, st.none()), score, st.one_of(st.none(), st.integers(1, 9000))), max_size=12
)


@FAST
@given(results)
def test_ranking_orders_by_total_then_practical_then_time(rows):
    entrants = [scoring.Result(i, t, p, s) for i, (t, p, s) in enumerate(rows)]
    ranked = scoring.rank(entrants)
    assert sorted(r.result.key for r in ranked) == list(range(len(rows)))
    complete = [r for r in ranked if r.rank is not None]
    assert all(r.rank is None for r in ranked[len(complete) :])  # the incomplete come last, unranked
    for position, (a, b) in enumerate(zip(complete, complete[1:], strict=False), start=2):
        ka = (a.result.total, a.result.practical, -(a.result.seconds or 10**9))
        kb = (b.result.total, b.result.practical, -(b.result.seconds or 10**9))
        assert ka >= kb
        assert b.rank == (a.rank if ka == kb else position)


def test_ties_go_to_the_higher_practical_then_the_shorter_time():
    a = scoring.Result("a", Decimal(90), Decimal(88), 3600)
    b = scoring.Result("b", Decimal(90), Decimal(89), 4000)
    c = scoring.Result("c", Decimal(90), Decimal(89), 3000)
    d = scoring.Result("d", Decimal(90), Decimal(89), 3000)
    ranked = scoring.rank([a, b, c, d])
    assert [(r.result.key, r.rank) for r in ranked] == [("c", 1), ("d", 1), ("b", 3), ("a", 4)]
    assert scoring.top_ties(ranked) == ["c", "d"]


@FAST
@given(st.lists(st.tuples(score, score, st.integers(1, 9000)), min_size=1, max_size=3))
def test_a_team_scores_the_sum_of_its_members(members):
    parts = [scoring.Result(i, t, p, s) for i, (t, p, s) in enumerate(members)]
    team = scoring.team("team", parts)
    assert team.total == sum(t for t, _, _ in members) and team.practical == sum(p for _, p, _ in members)
    assert team.seconds == sum(s for _, _, s in members)
    assert not scoring.team("team", [*parts, scoring.Result("x", None, None, None)]).complete


@FAST
@given(st.integers(0, 500), st.lists(st.integers(0, 40), min_size=1, max_size=4))
def test_award_tiers_follow_the_shares_and_never_exceed_the_field(n, shares):
    sizes = scoring.tier_sizes(n, shares)
    assert sum(sizes) <= n and all(s >= 0 for s in sizes)
    if sum(shares) <= 100:  # each boundary within half a place of its cumulative share, each tier within one
        for k in range(1, len(shares) + 1):
            assert abs(sum(sizes[:k]) - n * sum(shares[:k]) / 100) <= 0.5 + 1e-9
        for size, share in zip(sizes, shares, strict=True):
            assert abs(size - n * share / 100) < 1 + 1e-9
    assert scoring.tier_sizes(30, [10, 20, 30]) == [3, 6, 9]


def test_tiers_and_honours_by_place():
    sizes = [3, 6, 9]
    assert [scoring.tier_of(r, sizes) for r in (1, 3, 4, 9, 10, 18, 19, None)] == [0, 0, 1, 1, 2, 2, None, None]
    assert [scoring.honour_of(r) for r in (1, 5, 6, 20, 21, None)] == ["technician"] * 2 + ["grade"] * 2 + [""] * 2


@FAST
@given(st.integers(-60, 300))
def test_appeals_are_open_for_two_hours_after_the_event(minutes):
    ended = dt.datetime(2026, 5, 1, 16, 0, tzinfo=dt.UTC)
    assert scoring.appeal_open(ended, ended + dt.timedelta(minutes=minutes)) == (0 <= minutes <= 120)
    assert not scoring.appeal_open(None, ended)


categories = st.frozensets(st.sampled_from(sorted(quotas.CATEGORIES)), max_size=3)


@FAST
@given(st.lists(categories, max_size=12), st.integers(0, 100), st.booleans(), st.integers(0, 15), st.integers(0, 5))
def test_the_list_check_refuses_exactly_what_breaks_a_quota_or_a_share(nominees, percent, at_least, quota, already):
    rule = quotas.ShareRule("industrial", at_least, Decimal(percent))
    found = quotas.problems(nominees, [rule], quota=quota, already=already)
    share = sum("industrial" in n for n in nominees) / len(nominees) * 100 if nominees else None
    share_ok = share is None or (share >= percent - 1e-9 if at_least else share <= percent + 1e-9)
    expected = (not nominees) + (already + len(nominees) > quota) + (not share_ok)
    assert len(found) == expected
    assert all(isinstance(p, str) and p.endswith("。") for p in found)


def test_share_rules_come_from_the_round_data():
    assert quotas.rule_from({"category": "migrant", "percent": "10"}).text == "农民工不少于10%"
    with pytest.raises(ValueError, match="类别"):
        quotas.rule_from({"category": "nobody", "percent": 10})
    with pytest.raises(ValueError, match="0 至 100"):
        quotas.rule_from({"category": "migrant", "percent": 120})
