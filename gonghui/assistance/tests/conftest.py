"""Hardship tests: a household file made through the services, as the grassroots union would submit it."""

from decimal import Decimal

from gonghui.assistance import services
from gonghui.assistance.models import MinimumAllowance
from gonghui.orgs.models import Region
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID, valid_id

SPOUSE_ID = valid_id("33010619910512002")
CHILD_ID = valid_id("33010620150901003")
YEAR = 2026


def allowances() -> None:
    """低保 2026: Zhejiang 1000 (inherited by Hangzhou and 西湖区), Jiangsu 900, 玄武区 its own 1100."""
    for code, monthly in (("33", "1000"), ("32", "900"), ("320102", "1100")):
        MinimumAllowance.objects.update_or_create(region_id=code, year=YEAR, defaults={"monthly": Decimal(monthly)})


def household(self_id=ZHANG_WEI_ID, *, income="1000", others=()) -> list[dict]:
    """本人, spouse and a child at school: total monthly income ``income`` (the worker's)."""
    return [
        {"relation": "self", "name": "张伟", "id_number": self_id, "monthly_income": income, "work": "操作工"},
        {"relation": "spouse", "name": "刘梅", "id_number": SPOUSE_ID, "monthly_income": "0", "health": "尿毒症，透析"},
        {"relation": "child", "name": "张小明", "id_number": CHILD_ID, "monthly_income": "0", "schooling": "primary"},
        *others,
    ]  # fmt: skip


def make_file(cast, *, actor=None, org=None, person=None, members=None, region="330106", **extra):
    allowances()
    fields = {"main_cause": "illness", "bank_name": "中国工商银行", "bank_account": "6222021234567890123"} | extra
    return services.file_create(
        actor=actor or cast.users.grassroots_admin, org=org or cast.orgs.company,
        person=person or cast.members.zhang.person, region=Region.objects.get(code=region), year=YEAR,
        consent=True, household=members or household(), **fields,
    )  # fmt: skip


__all__ = ["LI_NA_ID", "WANG_FANG_ID", "make_file", "household", "allowances"]
