"""Shared set-up of the dues tests: months relative to today, and wage bases set through the service."""

import datetime as dt

from gonghui.dues.calculation import add_months, month_of
from gonghui.dues.selectors import current_month
from gonghui.dues.services import wage_base_set


def months_ago(n: int) -> dt.date:
    return add_months(current_month(), -n)


def set_base(cast, membership, base="8000", months_back=3):
    """A member gets a wage base from ``months_back`` months ago (not before joining), set by 全总's admin."""
    month = max(months_ago(months_back), month_of(membership.joined_on))
    return wage_base_set(actor=cast.users.national_admin, person=membership.person, base=base, effective_from=month)
