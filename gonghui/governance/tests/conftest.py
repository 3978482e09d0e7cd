"""Governance tests: the cast's tree (全总 → 浙江/江苏 → … → two company unions) rolled up for this month."""

import datetime as dt
from decimal import Decimal

from django.utils import timezone

from gonghui.governance import rollup, services
from gonghui.governance.models import Target

DUE = dt.date(timezone.localdate().year + 1, 12, 31)


def rolled(cast):
    """The cast with this month's rollup computed (once per test)."""
    if not getattr(cast, "rolled", False):
        rollup.rollup_month()
        cast.rolled = True
    return cast


def zhejiang_target(cast, value="10") -> Target:
    if not hasattr(cast, "target"):
        cast.target = services.target_create(actor=None, org=cast.orgs.zhejiang, key="members", due_on=DUE,
                                             value=Decimal(value), source="测试")  # fmt: skip
    return cast.target
