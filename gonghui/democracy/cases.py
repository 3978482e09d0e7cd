"""职代会决议报送 as a case kind: a published result is reported to the upper-level union within 7 working
days (docs/domain.md §3.11); the upper union records that it has it (备案)."""

from gonghui.cases.kinds import CaseKind, Deadline, TransitionRule
from gonghui.democracy.policy import democracy_policy

REPORT = "congress_report"
PENDING, REPORTED, FILED = "pending", "reported", "filed"


def _days() -> int:
    return democracy_policy().report_working_days


CASE_KINDS = [
    CaseKind(
        code=REPORT,
        name="职代会决议报送",
        statuses={PENDING: "待报上一级工会", REPORTED: "已报送，待上级备案", FILED: "上级工会已备案"},
        initial=PENDING,
        closed=frozenset({FILED}),
        transitions={
            PENDING: {REPORTED: TransitionRule("报送上一级工会")},
            REPORTED: {
                FILED: TransitionRule("备案", level=1),
                PENDING: TransitionRule("退回补充", level=1, reason_required=True),
            },
        },
        deadlines={PENDING: Deadline(_days), REPORTED: Deadline(15)},
    ),
]
