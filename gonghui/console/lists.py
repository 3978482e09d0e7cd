"""The console lists (core.lists): accounts, grants, the audit log and the calendar overrides. Platform-wide
(the console roles are not scoped by org). They declare no columns, so no cadre can export them; the audit log has
its own verifiable export."""

from gonghui.console import selectors
from gonghui.console.forms import AccountFilterForm, AuditFilterForm, GrantFilterForm
from gonghui.core.lists import CadreList

PAGE_SIZE = 50
AUDIT_FILTERS = ("actor", "action", "result", "org", "object_type", "object_id")


def _picked(filters: dict, names) -> dict:
    return {name: filters.get(name) or "" for name in names}


def _audit_rows(user, filters: dict):
    start, end = selectors.day_bounds(filters.get("since"), filters.get("until"))
    return selectors.audit_search(start=start, end=end, **_picked(filters, AUDIT_FILTERS))


ACCOUNTS = CadreList(
    name="console.accounts", title="账号管理", filters=AccountFilterForm, page_size=PAGE_SIZE, count=False,
    rows=lambda user, filters: selectors.accounts_search(**_picked(filters, ("q", "role", "active"))),
    columns=(),
)  # fmt: skip
GRANTS = CadreList(
    name="console.grants", title="授权管理", filters=GrantFilterForm, page_size=PAGE_SIZE, count=False,
    rows=lambda user, filters: selectors.grants_search(**_picked(filters, ("org_q", "username_q"))),
    columns=(),
)  # fmt: skip
AUDIT = CadreList(
    name="console.audit", title="审计日志", filters=AuditFilterForm, page_size=PAGE_SIZE, count=False,
    rows=_audit_rows, columns=(),
)  # fmt: skip
CALENDAR = CadreList(
    name="console.calendar", title="节假日调整", page_size=PAGE_SIZE, count=False,
    rows=lambda user, filters: selectors.workday_overrides(), columns=(),
)  # fmt: skip
