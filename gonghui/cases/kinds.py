"""Case kinds as policy data: each app declares its kinds (statuses, the transition table, deadlines,
clocks, 公示 days, required documents) in the module its AppConfig names in ``case_kinds``; that module
lists them in ``CASE_KINDS``. ``kind_of(code)`` finds a kind; nothing here touches the database."""

import datetime as dt
import importlib
from collections.abc import Callable
from dataclasses import dataclass, field

from gonghui.core import registry
from gonghui.core.workdays import add_working_days, working_days_between

# Who may take a step: the handling union (level 0) or a union ``level`` steps above it; "owner" is the
# account that opened the case (an applicant withdrawing).
OWNER = "owner"
LEVEL_LABELS = {0: "承办工会", 1: "上一级工会", 2: "上两级工会", 3: "上三级工会"}


@dataclass(frozen=True)
class TransitionRule:
    """One allowed move of the table: its button label, who takes it, and whether a reason is required
    (every refusal or return requires one)."""

    label: str
    level: int | str = 0
    manage: bool = False  # the admin role only, not staff
    reason_required: bool = False
    requires_documents: bool = False  # every required document attached first

    @property
    def who(self) -> str:
        return "申请人本人" if self.level == OWNER else LEVEL_LABELS.get(self.level, f"上{self.level}级工会")


@dataclass(frozen=True)
class Deadline:
    """办理期限 of a status: ``days`` working days (the statutory calendar under the overrides) or calendar days."""

    days: int | Callable[[], int]  # or a policy function, read when a deadline is computed
    working: bool = True

    def due(self, start: dt.date) -> dt.date:
        days = self.days() if callable(self.days) else self.days
        return add_working_days(start, days) if self.working else start + dt.timedelta(days=days)


def days_until(due: dt.date, *, working: bool, today: dt.date) -> int:
    """Days (working days if ``working``) from ``today`` until ``due``; negative once it has passed."""
    if not working:
        return (due - today).days
    return working_days_between(today, due) if due >= today else -working_days_between(due, today)


@dataclass(frozen=True)
class ClockRule:
    """法定时限 — a named clock started when the case enters ``status`` (e.g. 调解期限 15 日)."""

    name: str
    status: str
    deadline: Deadline


@dataclass(frozen=True)
class CaseKind:
    """事项类型 — one kind of case and its rules."""

    code: str
    name: str
    statuses: dict[str, str]
    initial: str
    closed: frozenset[str]
    transitions: dict[str, dict[str, TransitionRule]]
    deadlines: dict[str, Deadline] = field(default_factory=dict)
    clocks: tuple[ClockRule, ...] = ()
    remind_days_before: int = 2
    escalate: bool = True  # overdue cases go to the handling union's parent, once
    notice_days: int = 5  # 公示 in working days
    required_documents: dict[str, str] = field(default_factory=dict)
    opened_by_cadre: bool = True  # False: the app's own service opens it for an applicant
    # Kinds whose steps carry business of their own (issuing a membership…) are taken on the app's pages
    # only: ``app_page(case)`` links there, and the generic case pages and API show but do not move them.
    app_page: Callable | None = None
    # Copies the case's state onto the app's own row after every change (status, deadline, escalation).
    mirror: Callable | None = None
    # The submitter of a kind opened for an applicant (``opened_by_cadre=False``) is its subject: the kernel
    # tells them of every step someone else takes (gonghui.messages), unless the app sends its own messages.
    owner_messages: bool = True
    # Statuses in which the case waits for its submitter (e.g. 补充材料): entering one tells them so, and a
    # deadline near in one reminds them.
    awaits_owner: frozenset[str] = frozenset()
    # ``owner_page(case)``: the submitter's own page of the case (their home links there).
    owner_page: Callable | None = None

    def rule(self, current: str, to: str) -> TransitionRule | None:
        return self.transitions.get(current, {}).get(to)

    def status_label(self, status: str) -> str:
        return self.statuses.get(status, status)

    def deadline_from(self, status: str, start: dt.date, current: dt.date | None = None) -> dt.date | None:
        """The deadline on entering ``status`` on ``start``: none once closed, the status's own policy if it
        has one, else the ``current`` deadline runs on (e.g. 处理中 keeps the deadline counted from receipt)."""
        if status in self.closed:
            return None
        policy = self.deadlines.get(status)
        return policy.due(start) if policy is not None else current


_extra: dict[str, CaseKind] = {}
_declared: dict[str, CaseKind] | None = None


def _load() -> dict[str, CaseKind]:
    global _declared
    if _declared is None:
        found: dict[str, CaseKind] = {}
        for module in registry.case_kind_modules():
            for kind in importlib.import_module(module).CASE_KINDS:
                if kind.code in found:
                    raise ValueError(f"case kind {kind.code!r} is declared twice")
                found[kind.code] = kind
        _declared = found
    return _declared


def register(kind: CaseKind) -> CaseKind:
    """A kind declared outside an app's ``case_kinds`` module (tests)."""
    _extra[kind.code] = kind
    return kind


def all_kinds() -> dict[str, CaseKind]:
    return _load() | _extra


def kind_of(code: str) -> CaseKind:
    return all_kinds()[code]
