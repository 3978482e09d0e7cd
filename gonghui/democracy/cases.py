"""职代会决议报送 as a case kind: a published result is reported to the upper-level union within 7 working
days (docs/domain.md §3.11); the upper union records that it has it (备案)."""

from django.urls import reverse

from gonghui.cases.kinds import OWNER, CaseKind, Deadline, TransitionRule
from gonghui.democracy.policy import democracy_policy

REPORT = "congress_report"
PENDING, REPORTED, FILED = "pending", "reported", "filed"
PROPOSAL = "congress_proposal"
P_SUBMITTED, P_ACCEPTED, P_OPINION, P_REJECTED = "submitted", "accepted", "opinion", "rejected"
P_ASSIGNED, P_HANDLED, P_REPLIED, P_CLOSED = "assigned", "handled", "replied", "closed"
ELECTION = "union_election"
E_SUBMITTED, E_APPROVED, E_RETURNED = "submitted", "approved", "returned"


def _proposal_page(case) -> str:
    return reverse("democracy:proposal", args=[case.congress_proposal.pk])


def _proposal_owner_page(case) -> str:
    return reverse("democracy:proposal_mine", args=[case.congress_proposal.pk])


def _proposal_mirror(case) -> None:
    from gonghui.democracy.models import Proposal

    Proposal.objects.filter(case=case).update(status=case.status, due_on=case.deadline)


def _election_page(case) -> str:
    return reverse("democracy:election", args=[case.union_election.pk])


def _election_mirror(case) -> None:
    from gonghui.democracy.models import Election

    Election.objects.filter(case=case).update(status=case.status)


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
    # 提案: the committee reviews (立案, 转为意见建议, or 不予立案 with reasons), assigns it to a department with a
    # deadline in working days (set by the service: the kind carries none), the department handles and replies,
    # the proposer rates it. Taken on the democracy pages only (the department and reply live there).
    CaseKind(
        code=PROPOSAL,
        name="职代会提案",
        statuses={
            P_SUBMITTED: "待审查",
            P_ACCEPTED: "已立案",
            P_OPINION: "转为意见建议",
            P_REJECTED: "不予立案",
            P_ASSIGNED: "交办中",
            P_HANDLED: "已办理",
            P_REPLIED: "已答复，待评价",
            P_CLOSED: "已评价办结",
        },
        initial=P_SUBMITTED,
        closed=frozenset({P_OPINION, P_REJECTED, P_CLOSED}),
        transitions={
            P_SUBMITTED: {
                P_ACCEPTED: TransitionRule("立案"),
                P_OPINION: TransitionRule("转为意见建议", reason_required=True),
                P_REJECTED: TransitionRule("不予立案", reason_required=True),
            },
            P_ACCEPTED: {P_ASSIGNED: TransitionRule("交办")},
            P_ASSIGNED: {P_HANDLED: TransitionRule("办理完毕")},
            P_HANDLED: {P_REPLIED: TransitionRule("答复提案人")},
            P_REPLIED: {P_CLOSED: TransitionRule("提案人评价", level=OWNER)},
        },
        opened_by_cadre=False,
        escalate=False,  # the congress's own committee handles its proposals; an overdue one shows in its list
        app_page=_proposal_page,
        owner_page=_proposal_owner_page,
        owner_messages=False,  # democracy.services sends its own (acceptance, reply)
        mirror=_proposal_mirror,
    ),
    # 选举结果报批: the union submits the counted result; the upper-level union approves it (on the democracy page,
    # which records the new committee's term on the org through the orgs service) or returns it with a reason.
    CaseKind(
        code=ELECTION,
        name="工会选举结果报批",
        statuses={E_SUBMITTED: "报上级工会审批", E_APPROVED: "上级已批复", E_RETURNED: "上级退回"},
        initial=E_SUBMITTED,
        closed=frozenset({E_APPROVED}),
        transitions={
            E_SUBMITTED: {
                E_APPROVED: TransitionRule("批复同意", level=1),
                E_RETURNED: TransitionRule("退回", level=1, reason_required=True),
            },
            E_RETURNED: {E_SUBMITTED: TransitionRule("重新报批")},
        },
        deadlines={E_SUBMITTED: Deadline(15)},
        app_page=_election_page,
        mirror=_election_mirror,
    ),
]
