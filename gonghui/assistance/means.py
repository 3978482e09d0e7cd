"""家庭经济状况核算 (the means test): a pure function of the household's figures and the local 低保.

Per-capita monthly = (annual disposable income − rigid expenses) ÷ 12 ÷ household size, in Decimal, rounded
once at the end to the fen; 深度困难 below 低保, 相对困难 below 2 × 低保, 意外致困 by the accident criteria
(injury, disability or death on duty, or losses in the year above 80% of annual income), else not eligible."""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

FEN = Decimal("0.01")

DEEP, RELATIVE, ACCIDENT, NONE = "deep", "relative", "accident", "none"
CATEGORIES = {DEEP: "深度困难", RELATIVE: "相对困难", ACCIDENT: "意外致困", NONE: "不符合建档条件"}


@dataclass(frozen=True)
class MeansResult:
    """The figures of the test and the rule it applied (shown on the file's page)."""

    annual_income: Decimal
    rigid_expenses: Decimal
    household_size: int
    per_capita_monthly: Decimal
    allowance: Decimal
    category: str
    rule: str

    @property
    def category_label(self) -> str:
        return CATEGORIES[self.category]


def per_capita_monthly(annual_income: Decimal, rigid_expenses: Decimal, household_size: int) -> Decimal:
    """(income − expenses) ÷ 12 ÷ size, rounded half-up to the fen only here, at the end."""
    if household_size < 1:
        raise ValueError("household_size must be at least 1")
    return ((annual_income - rigid_expenses) / 12 / household_size).quantize(FEN, rounding=ROUND_HALF_UP)


def means_test(*, annual_income: Decimal, rigid_expenses: Decimal, household_size: int, allowance: Decimal,
               on_duty_accident: bool = False, losses_in_year: Decimal = Decimal(0),
               loss_share: Decimal = Decimal("0.8")) -> MeansResult:  # fmt: skip
    """The category of a household. ``allowance`` is the local monthly 低保 per person for the year."""
    figure = per_capita_monthly(annual_income, rigid_expenses, household_size)
    if figure < allowance:
        category, rule = DEEP, f"人均月收入 {figure} 元低于当地低保标准 {allowance} 元"
    elif figure < 2 * allowance:
        category, rule = RELATIVE, f"人均月收入 {figure} 元低于低保标准的 2 倍（{2 * allowance} 元）"
    elif on_duty_accident:
        category, rule = ACCIDENT, "因工受伤、致残或死亡"
    elif losses_in_year > 0 and losses_in_year > annual_income * loss_share:
        category, rule = ACCIDENT, f"当年损失 {losses_in_year} 元超过家庭年收入的 {loss_share * 100:.0f}%"
    else:
        category, rule = (
            NONE,
            f"人均月收入 {figure} 元不低于低保标准的 2 倍（{2 * allowance} 元），且不符合意外致困条件",
        )
    return MeansResult(annual_income, rigid_expenses, household_size, figure, allowance, category, rule)
