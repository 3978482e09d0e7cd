"""The arithmetic of a skill competition (docs/domain.md 3.10), pure: no database, no clock.

- practical: every judge of the panel scores on their own; with five or more scores the highest and the lowest
  are dropped and the rest averaged. A panel member who has not scored yet makes the result *incomplete*
  (``None``), never an average of fewer judges: a result is published only once every judge has scored. A judge
  who withdrew (回避) from an entrant is not on that entrant's panel.
- total: theory × its weight + practical × (1 − weight); the theory weight is at most 30% (default 30/70).
- a team's result is the sum of its members' (totals, practicals and times); incomplete if any member is.
- ranking: higher total first; ties go to the higher practical, then the shorter time; still equal → the same
  rank (the top 3 may not stay tied: ``top_ties`` names them for the organiser to settle).
- award tiers: shares of the ranked entrants (10/20/30% by default) rounded half up, tied entrants share the
  better tier; the top 5 are eligible for 全国技术能手, places 6-20 get a grade certificate.
- appeals: within 2 hours after the event ends."""

import datetime as dt
from collections.abc import Hashable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
MAX_THEORY_WEIGHT = Decimal("0.30")
TRIM_FROM = 5  # judges


def _q(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def practical(scores: Sequence[Decimal | None]) -> Decimal | None:
    """The practical score of one competitor from the scores of their panel (``None``: not scored yet)."""
    if not scores or any(s is None for s in scores):
        return None
    ordered = sorted(scores)
    if len(ordered) >= TRIM_FROM:
        ordered = ordered[1:-1]
    return _q(sum(ordered, Decimal(0)) / len(ordered))


def check_weight(theory_weight: Decimal) -> Decimal:
    """The theory weight if it is allowed (0 to 30%), else ValueError with the Chinese reason."""
    if not Decimal(0) <= theory_weight <= MAX_THEORY_WEIGHT:
        raise ValueError("理论成绩权重应在 0 至 30% 之间。")
    return theory_weight


def total(theory: Decimal | None, practical_score: Decimal | None, theory_weight: Decimal) -> Decimal | None:
    """The weighted total, or ``None`` while the theory or the practical score is missing (a weight of 0 needs
    no theory score)."""
    check_weight(theory_weight)
    if practical_score is None or (theory is None and theory_weight):
        return None
    theory = theory or Decimal(0)
    return _q(theory * theory_weight + practical_score * (1 - theory_weight))


@dataclass(frozen=True)
class Result:
    """One entrant's result: ``total`` and ``practical`` None while incomplete; ``seconds`` the practical time."""

    key: Hashable
    total: Decimal | None
    practical: Decimal | None
    seconds: int | None

    @property
    def complete(self) -> bool:
        return self.total is not None and self.practical is not None


def team(key: Hashable, members: Sequence[Result]) -> Result:
    """A team's result: the sum of its members' (incomplete if any member is, or if it has none)."""
    if not members or not all(m.complete for m in members):
        return Result(key, None, None, None)
    seconds = None if any(m.seconds is None for m in members) else sum(m.seconds for m in members)
    return Result(key, sum((m.total for m in members), Decimal(0)), sum((m.practical for m in members), Decimal(0)),
                  seconds)  # fmt: skip


def _order(result: Result) -> tuple:
    # no time recorded counts as the longest
    return (-result.total, -result.practical, result.seconds if result.seconds is not None else 10**9)


@dataclass(frozen=True)
class Ranked:
    rank: int | None  # None: incomplete, not ranked
    result: Result


def rank(results: Sequence[Result]) -> list[Ranked]:
    """Complete results ranked (ties on total, practical and time share a rank), then the incomplete ones."""
    complete = sorted((r for r in results if r.complete), key=_order)
    ranked: list[Ranked] = []
    for position, result in enumerate(complete, start=1):
        same = ranked and _order(ranked[-1].result) == _order(result)
        ranked.append(Ranked(ranked[-1].rank if same else position, result))
    return ranked + [Ranked(None, r) for r in results if not r.complete]


def top_ties(ranked: Sequence[Ranked], top: int = 3) -> list[Hashable]:
    """Entrants tied within the first ``top`` places (the rules do not allow it: the organiser must settle)."""
    ranks = [r.rank for r in ranked if r.rank is not None and r.rank <= top]
    return [r.result.key for r in ranked if r.rank is not None and r.rank <= top and ranks.count(r.rank) > 1]


def tier_sizes(entrants: int, shares: Sequence[int]) -> list[int]:
    """How many entrants each prize tier holds: the tiers' boundaries are the cumulative shares of ``entrants``
    rounded half up (so each boundary is within half a place of its share, and the sizes add up to the rounded
    total share), never more in all than there are entrants."""
    sizes, bound, cumulative = [], 0, 0
    for share in shares:
        cumulative += share
        exact = Decimal(entrants) * Decimal(cumulative) / 100
        nxt = min(entrants, int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP)))
        sizes.append(max(0, nxt - bound))
        bound = max(bound, nxt)
    return sizes


TIER_NAMES = ("一等奖", "二等奖", "三等奖", "优胜奖", "鼓励奖")


def tier_of(rank_number: int | None, sizes: Sequence[int]) -> int | None:
    """The tier (0 = first prize) of a rank, or None; a tied rank counts from the first of the tie."""
    if rank_number is None:
        return None
    bound = 0
    for index, size in enumerate(sizes):
        bound += size
        if rank_number <= bound:
            return index
    return None


def honour_of(rank_number: int | None, *, top: int = 5, certificate_until: int = 20) -> str:
    """What a place leads to: 全国技术能手 eligibility for the top ``top``, a grade certificate up to
    ``certificate_until``."""
    if rank_number is None:
        return ""
    if rank_number <= top:
        return "technician"
    if rank_number <= certificate_until:
        return "grade"
    return ""


def appeal_open(ended_at: dt.datetime | None, now: dt.datetime, hours: int = 2) -> bool:
    """An appeal may be lodged from the end of the event until ``hours`` after it."""
    return ended_at is not None and ended_at <= now <= ended_at + dt.timedelta(hours=hours)
