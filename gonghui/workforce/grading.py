"""A studio's yearly grade from its score (pure: no database, no clock), by the policy's two thresholds."""

from decimal import Decimal


def grade_of(score: Decimal, *, excellent: int, passing: int) -> str:
    """ "excellent" from ``excellent`` up, "pass" from ``passing`` up, else "fail" (0 ≤ passing ≤ excellent ≤ 100)."""
    if not 0 <= passing <= excellent <= 100:
        raise ValueError("考核等次的分数线无效。")
    if score >= excellent:
        return "excellent"
    if score >= passing:
        return "pass"
    return "fail"
