"""The credit arithmetic of a reading check-in, pure (no database, no clock), property-tested."""

from decimal import ROUND_FLOOR, Decimal

from gonghui.learning.policy import ReadingRule

TENTH = Decimal("0.1")


def reading_credits(minutes: int, earned_today: Decimal, rule: ReadingRule) -> Decimal:
    """The credits a sitting of ``minutes`` earns when the worker's check-ins of the day already earned
    ``earned_today``: minutes / minutes_per_credit, in whole tenths rounded down, never taking the day's total
    over ``daily_cap`` (and never below zero)."""
    raw = (Decimal(minutes) / Decimal(rule.minutes_per_credit)).quantize(TENTH, rounding=ROUND_FLOOR)
    room = max(rule.daily_cap - earned_today, Decimal(0))
    return min(raw, room).quantize(TENTH)
