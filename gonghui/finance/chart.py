"""会计科目表 — the chart of accounts of 工会会计制度 (财会〔2021〕7号) as data, as far as docs/domain.md 3.3 sources
it: the 24 accounts of a grassroots union, the six named accounts that county-level unions and above add, and
the sub-accounts the system fixes under 501, 503 and 504. 建会筹备金 is held on 215 其他应付款 (its entries say
so: source "reserve"). The chart is code, not rows: it is the same for every union of a set and never edited;
an org's own sub-accounts below any of these are rows (``models.Account``, ``account_add``).

Each row: (code, name, kind, normal side, set) — ``set`` "all" for every union, "county" for county level
and above only. The numbering of the sub-accounts (01, 02, ... in the order the rules list them) is ours."""

from dataclasses import dataclass

ASSET, LIABILITY, NET_ASSET, INCOME, EXPENSE = "asset", "liability", "net_asset", "income", "expense"
DEBIT, CREDIT = "debit", "credit"
ALL, COUNTY = "all", "county"

STANDARD: tuple[tuple[str, str, str, str, str], ...] = (
    ("101", "库存现金", ASSET, DEBIT, ALL),
    ("102", "银行存款", ASSET, DEBIT, ALL),
    ("131", "应收上级经费", ASSET, DEBIT, ALL),
    ("132", "应收下级经费", ASSET, DEBIT, COUNTY),
    ("135", "其他应收款", ASSET, DEBIT, ALL),
    ("141", "库存物品", ASSET, DEBIT, ALL),
    ("162", "固定资产", ASSET, DEBIT, ALL),
    ("163", "累计折旧", ASSET, CREDIT, ALL),
    ("182", "待处理财产损溢", ASSET, DEBIT, ALL),
    ("211", "应付上级经费", LIABILITY, CREDIT, ALL),
    ("212", "应付下级经费", LIABILITY, CREDIT, COUNTY),
    ("215", "其他应付款", LIABILITY, CREDIT, ALL),
    ("301", "资产基金", NET_ASSET, CREDIT, ALL),
    ("321", "工会资金结转", NET_ASSET, CREDIT, ALL),
    ("322", "工会资金结余", NET_ASSET, CREDIT, ALL),
    ("401", "会费收入", INCOME, CREDIT, ALL),
    ("402", "拨缴经费收入", INCOME, CREDIT, ALL),
    ("403", "上级补助收入", INCOME, CREDIT, ALL),
    ("404", "政府补助收入", INCOME, CREDIT, COUNTY),
    ("405", "行政补助收入", INCOME, CREDIT, ALL),
    ("406", "附属单位上缴收入", INCOME, CREDIT, COUNTY),
    ("408", "其他收入", INCOME, CREDIT, ALL),
    ("501", "职工活动支出", EXPENSE, DEBIT, ALL),
    ("50101", "职工教育活动支出", EXPENSE, DEBIT, ALL),
    ("50102", "文体活动支出", EXPENSE, DEBIT, ALL),
    ("50103", "宣传活动支出", EXPENSE, DEBIT, ALL),
    ("50104", "劳模和职工疗休养活动支出", EXPENSE, DEBIT, ALL),
    ("50105", "会员活动支出", EXPENSE, DEBIT, ALL),
    ("50106", "其他职工活动支出", EXPENSE, DEBIT, ALL),
    ("503", "职工服务支出", EXPENSE, DEBIT, ALL),
    ("50301", "劳动和技能竞赛支出", EXPENSE, DEBIT, ALL),
    ("50302", "职工之家建设支出", EXPENSE, DEBIT, ALL),
    ("50303", "职工创新支出", EXPENSE, DEBIT, ALL),
    ("50304", "职工书屋支出", EXPENSE, DEBIT, ALL),
    ("50305", "其他职工服务支出", EXPENSE, DEBIT, ALL),
    ("504", "维权支出", EXPENSE, DEBIT, ALL),
    ("50401", "劳动关系协调支出", EXPENSE, DEBIT, ALL),
    ("50402", "劳动保护支出", EXPENSE, DEBIT, ALL),
    ("50403", "法律援助支出", EXPENSE, DEBIT, ALL),
    ("50404", "困难职工帮扶支出", EXPENSE, DEBIT, ALL),
    ("50405", "送温暖支出", EXPENSE, DEBIT, ALL),
    ("50406", "其他维权支出", EXPENSE, DEBIT, ALL),
    ("505", "业务支出", EXPENSE, DEBIT, ALL),
    ("506", "行政支出", EXPENSE, DEBIT, COUNTY),
    ("507", "资本性支出", EXPENSE, DEBIT, ALL),
    ("508", "补助下级支出", EXPENSE, DEBIT, COUNTY),
    ("510", "其他支出", EXPENSE, DEBIT, ALL),
)
TOP_LEVEL = 3  # a top-level account's code has three digits; each level below adds two


@dataclass(frozen=True)
class ChartAccount:
    """One account of an org's chart: a standard one (``org_id`` None) or the org's own sub-account."""

    code: str
    name: str
    kind: str
    side: str
    org_id: int | None = None

    @property
    def own(self) -> bool:
        return self.org_id is not None


def standard(*, county_level: bool) -> list[ChartAccount]:
    """The standard accounts of the grassroots set, or of the county-level-and-above set."""
    return [ChartAccount(code, name, kind, side) for code, name, kind, side, which in STANDARD
            if county_level or which == ALL]  # fmt: skip


def parent_code(code: str) -> str:
    return code[:-2] if len(code) > TOP_LEVEL else ""


def top_code(code: str) -> str:
    return code[:TOP_LEVEL]


_NAMES = {code: name for code, name, *_ in STANDARD}


def name_of(code: str) -> str:
    """The standard name of ``code``; an org's own sub-account reads as its standard parent's 明细."""
    return _NAMES.get(code) or f"{_NAMES.get(top_code(code), '')}明细"
