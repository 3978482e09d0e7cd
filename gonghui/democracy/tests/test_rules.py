"""The congress arithmetic at its boundaries: quorum (2/3 present), adoption (more than half of ALL formal
representatives), a representative's election, the size formula and the composition shares."""

from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.democracy import rules
from gonghui.democracy.policy import SHANGHAI_TIERS

FEW = settings(max_examples=50, deadline=None)
totals = st.integers(min_value=1, max_value=3000)


@FEW
@given(totals)
def test_quorum_is_exactly_two_thirds(total):
    need = rules.quorum_needed(total)
    assert rules.quorum(need, total) and not rules.quorum(need - 1, total)
    assert 3 * need >= 2 * total > 3 * (need - 1)


@FEW
@given(totals, st.integers(min_value=0, max_value=3000))
def test_adoption_needs_more_than_half_of_all_not_of_those_present(total, present):
    present = min(present, total)
    need = rules.majority_needed(total)
    assert rules.passes(need, total) and not rules.passes(need - 1, total)
    # every one of those present voting yes is not enough when they are half of all or fewer
    assert rules.passes(present, total) == (2 * present > total)


def test_adoption_examples():
    assert not rules.passes(50, 100) and rules.passes(51, 100) and rules.passes(3, 5) and not rules.passes(2, 5)
    assert not rules.passes(0, 0) and not rules.quorum(0, 0)
    assert rules.quorum(67, 100) and not rules.quorum(66, 100) and rules.quorum(2, 3) and not rules.quorum(1, 3)


@FEW
@given(st.integers(min_value=1, max_value=5000), st.data())
def test_election_valid_iff_two_thirds_voting_and_half_of_all_in_favour(size, data):
    voted = data.draw(st.integers(min_value=0, max_value=size))
    votes_for = data.draw(st.integers(min_value=0, max_value=voted))
    assert rules.election_valid(size, voted, votes_for) == (3 * voted >= 2 * size and 2 * votes_for > size)


def test_election_boundaries():
    assert rules.election_valid(30, 20, 16) and not rules.election_valid(30, 19, 19)  # 19 < 2/3 of 30
    assert not rules.election_valid(30, 30, 15) and rules.election_valid(30, 30, 16)  # 15 is half, not more
    assert not rules.election_valid(30, 20, 21)  # more votes than voters is not an election


def test_shanghai_size_formula():
    size = [rules.min_size(staff, SHANGHAI_TIERS) for staff in (50, 100, 199, 200, 1000, 2999, 3000, 10000)]
    assert size == [30, 30, 30, 35, 75, 170, 175, 175]


@FEW
@given(st.integers(min_value=0, max_value=20000), st.integers(min_value=0, max_value=20000))
def test_size_never_falls_as_staff_grow(a, b):
    low, high = sorted((a, b))
    assert rules.min_size(low, SHANGHAI_TIERS) <= rules.min_size(high, SHANGHAI_TIERS)


@FEW
@given(st.integers(min_value=1, max_value=500), st.data())
def test_managers_share_boundary(formal, data):
    managers = data.draw(st.integers(min_value=0, max_value=formal))
    [_, check, *_] = rules.composition(staff=formal, women_staff=0, formal=formal, managers=managers, frontline=formal,
                                       women=0, tiers=((0, 1, 0, 1),), managers_max_percent=20,
                                       frontline_min_percent=None)  # fmt: skip
    assert check.name == "领导人员比例" and check.ok == (5 * managers <= formal)


def test_composition_checks_each_rule():
    checks = rules.composition(staff=300, women_staff=120, formal=40, managers=9, frontline=19, women=15,
                               tiers=SHANGHAI_TIERS, managers_max_percent=20, frontline_min_percent=50)  # fmt: skip
    verdicts = {c.name: c.ok for c in checks}
    # 300 staff → at least 40; 9 managers > 8 (20% of 40); 19 < 20 front-line; women ≥ 120×40÷300 = 16
    assert verdicts == {"代表名额": True, "领导人员比例": False, "一线职工比例": False, "女职工比例": False}
    small = rules.composition(staff=20, women_staff=10, formal=20, managers=4, frontline=10, women=10,
                              tiers=SHANGHAI_TIERS, managers_max_percent=20, frontline_min_percent=None)  # fmt: skip
    assert all(c.ok for c in small) and "应不少于 20 名" in small[0].detail  # never more than the staff
