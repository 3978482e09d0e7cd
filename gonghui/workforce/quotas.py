"""The checks of a selection round's list before a union submits it (docs/domain.md 3.9), pure: quotas per
subtree and the share rules of the round, both data of the round, never code.

A share rule says that of the nominees on the list, those with a category (industrial worker, front-line,
migrant worker, non-public sector, enterprise head …) make up at least or at most a percentage. The arithmetic
is in integers: ``count × 100 ≥ percent × size`` (at least), ``count × 100 ≤ percent × size`` (at most)."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

CATEGORIES = {
    "industrial": "产业工人",
    "frontline": "一线职工和专业技术人员",
    "science": "科教人员",
    "migrant": "农民工",
    "non_public": "非公有制经济组织",
    "enterprise_head": "企业负责人",
}


@dataclass(frozen=True)
class ShareRule:
    category: str
    at_least: bool  # True: ≥ percent; False: ≤ percent
    percent: Decimal

    @property
    def text(self) -> str:
        return f"{CATEGORIES.get(self.category, self.category)}{'不少于' if self.at_least else '不超过'}{self.percent}%"

    def holds(self, count: int, size: int) -> bool:
        if size == 0:
            return True
        return count * 100 >= self.percent * size if self.at_least else count * 100 <= self.percent * size


def rule_from(data: dict) -> ShareRule:
    """A rule from the round's stored data, or ValueError in Chinese."""
    category = data.get("category")
    if category not in CATEGORIES:
        raise ValueError("比例要求的人员类别无效。")
    try:
        percent = Decimal(str(data.get("percent")))
    except ArithmeticError:
        raise ValueError("比例应为数字。") from None
    if not Decimal(0) <= percent <= 100:
        raise ValueError("比例应在 0 至 100 之间。")
    return ShareRule(category, bool(data.get("at_least", True)), percent)


@dataclass(frozen=True)
class Share:
    rule: ShareRule
    count: int
    size: int

    @property
    def ok(self) -> bool:
        return self.rule.holds(self.count, self.size)

    @property
    def percent(self) -> Decimal:
        return (Decimal(100 * self.count) / self.size).quantize(Decimal("0.1")) if self.size else Decimal(0)


def shares(nominees: Sequence[frozenset[str]], rules: Sequence[ShareRule]) -> list[Share]:
    """Each rule with how many of the list meet its category."""
    size = len(nominees)
    return [Share(rule, sum(1 for n in nominees if rule.category in n), size) for rule in rules]


def problems(nominees: Sequence[frozenset[str]], rules: Sequence[ShareRule], *, quota: int | None,
             already: int = 0) -> list[str]:  # fmt: skip
    """Why the list may not be submitted (Chinese, one sentence each); empty when it may.

    ``quota``: the most nominations the subtree may send in the round; ``already`` those it sent before."""
    found = []
    if not nominees:
        found.append("名单为空，请先添加推荐人选。")
    if quota is not None and already + len(nominees) > quota:
        found.append(f"超出名额：本单位及下级共 {quota} 个名额，已报送 {already} 人，本次 {len(nominees)} 人。")
    for share in shares(nominees, rules):
        if not share.ok:
            found.append(f"比例不符：{share.rule.text}，本次名单为 {share.count}/{share.size}（{share.percent}%）。")
    return found
