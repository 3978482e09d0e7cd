"""The arithmetic of a workers' congress (docs/domain.md §3.7, §3.11), pure: no database, no Django.

Every share is compared in integers (a × 100 ≤ p × total), never in floats, so the boundaries are exact."""

from dataclasses import dataclass


def min_size(staff: int, tiers) -> int:
    """代表名额下限 for ``staff`` staff under a province's tiers (see ``policy.SHANGHAI_TIERS``)."""
    if staff < 0:
        raise ValueError("staff must not be negative")
    chosen = max((t for t in tiers if t[0] <= staff), key=lambda t: t[0])
    start, base, add, per = chosen
    return base + (add * ((staff - start) // per) if add else 0)


def at_least_two_thirds(part: int, whole: int) -> bool:
    """part ≥ 2/3 of whole (a sitting's quorum; a constituency's turnout)."""
    return whole > 0 and 3 * part >= 2 * whole


def more_than_half(part: int, whole: int) -> bool:
    """part > 1/2 of whole (a resolution or election passes with more than half of ALL formal representatives)."""
    return whole > 0 and 2 * part > whole


def quorum(present_formal: int, formal_total: int) -> bool:
    """A sitting is valid with at least 2/3 of the formal representatives present."""
    return at_least_two_thirds(present_formal, formal_total)


def quorum_needed(formal_total: int) -> int:
    """The fewest formal representatives present for a valid sitting: ⌈2n/3⌉."""
    return -(-2 * formal_total // 3)


def passes(yes: int, formal_total: int) -> bool:
    """Adopted (通过) when the ayes are more than half of ALL formal representatives, not of those present."""
    return more_than_half(yes, formal_total)


def majority_needed(formal_total: int) -> int:
    """The fewest ayes that adopt: ⌊n/2⌋ + 1."""
    return formal_total // 2 + 1


def election_valid(constituency: int, voted: int, votes_for: int) -> bool:
    """A representative's election: at least 2/3 of the constituency voting and more than half of ALL of it
    in favour."""
    return (
        0 <= votes_for <= voted <= constituency
        and at_least_two_thirds(voted, constituency)
        and (more_than_half(votes_for, constituency))
    )


@dataclass(frozen=True)
class Check:
    """One composition rule, its verdict and the figures behind it, in Chinese."""

    name: str
    ok: bool
    detail: str


def composition(
    *,
    staff: int,
    women_staff: int,
    formal: int,
    managers: int,
    frontline: int,
    women: int,
    tiers,
    managers_max_percent: int,
    frontline_min_percent: int | None,
) -> list[Check]:
    """The composition checks of a term's formal representatives (§3.11): size from the staff count, the
    managers' ceiling, the front-line floor where required, women in proportion to the staff."""
    need = min(min_size(staff, tiers), staff)
    checks = [Check("代表名额", formal >= need, f"正式代表 {formal} 名，按职工 {staff} 人应不少于 {need} 名")]
    checks.append(
        Check(
            "领导人员比例",
            100 * managers <= managers_max_percent * formal,
            f"领导人员 {managers} 名，不超过 {managers_max_percent}%（至多 {managers_max_percent * formal // 100} 名）",
        )
    )
    if frontline_min_percent is not None:
        least = -(-frontline_min_percent * formal // 100)
        checks.append(
            Check(
                "一线职工比例",
                frontline >= least,
                f"一线职工 {frontline} 名，不少于 {frontline_min_percent}%（至少 {least} 名）",
            )
        )
    if staff:
        least_women = women_staff * formal // staff  # in proportion, rounded down
        checks.append(
            Check(
                "女职工比例",
                women >= least_women,
                f"女代表 {women} 名，按女职工 {women_staff}/{staff} 的比例应不少于 {least_women} 名",
            )
        )
    return checks


# ----- union elections (工会基层组织选举工作条例, docs/domain.md) ----------------------------------------------------


def assembly_of_all_members(members: int, limit: int) -> bool:
    """A union of at most ``limit`` (100) members elects in a members' assembly of all of them; above it, in
    a members' representatives' assembly."""
    return 0 <= members <= limit


def turnout_valid(cast: int, electorate: int) -> bool:
    """An election is valid when at least 2/3 of those entitled to vote took part."""
    return at_least_two_thirds(cast, electorate)


def removal_passes(yes: int, electorate: int) -> bool:
    """罢免工会主席 needs more than half of ALL members (or members' representatives), not of those voting."""
    return more_than_half(yes, electorate)


def elected(votes: dict, electorate: int, seats: int) -> tuple[set, set]:
    """Who is elected: candidates with more than half of ALL the electorate, most votes first, up to ``seats``.
    When candidates tied on votes straddle the last seat, none of the tied is elected (a further round is
    needed): returns (elected keys, tied keys)."""
    passing = sorted(((n, key) for key, n in votes.items() if more_than_half(n, electorate)), reverse=True)
    if len(passing) <= seats:
        return {key for _, key in passing}, set()
    cut = passing[seats - 1][0] if seats else None
    if seats and passing[seats][0] == cut:
        tied = {key for n, key in passing if n == cut}
        return {key for n, key in passing if n > cut}, tied
    return {key for _, key in passing[:seats]}, set()
