"""职工诉求 and 法律援助案件 as case kinds.

A request: 待受理 → 办理中 → 已答复 → 已办结, the deadline per category in working days (set by the service when
the request is filed, reassigned or reopened: the kind itself carries none, so it runs on through the steps),
escalated once to the upper union when it passes (the kernel's daily job). The worker closes it with a rating,
asks again after a reply, or reopens it within the policy's days; those steps go through rights.services,
which checks that the worker filed it (an anonymous request's case names nobody).

A legal case: 办理中 until its outcome (调解结案、仲裁裁决、法院判决、撤回); its statutory clocks are computed by
rights.clocks from its events, not kept as a deadline of the case."""

from django.urls import reverse

from gonghui.cases.kinds import CaseKind, TransitionRule

REQUEST = "rights_request"
LEGAL = "rights_legal"
SUBMITTED, HANDLING, REPLIED, CLOSED = "submitted", "handling", "replied", "closed"
OPEN_LEGAL = "open"


def _request_page(case) -> str:
    return reverse("rights:detail", args=[case.rights_request.pk])


def _owner_page(case) -> str:
    return reverse("rights:mine_detail", args=[case.rights_request.pk])


def _mirror(case) -> None:
    from gonghui.rights.models import RightsRequest

    RightsRequest.objects.filter(case=case).update(status=case.status, version=case.version, org=case.org,
                                                   due_on=case.deadline, escalated_to=case.escalated_to)  # fmt: skip


def _legal_page(case) -> str:
    return reverse("rights:legal_detail", args=[case.rights_legal.pk])


def _legal_mirror(case) -> None:
    from gonghui.rights.models import LegalCase

    LegalCase.objects.filter(case=case).update(version=case.version)


CASE_KINDS = [
    CaseKind(
        code=REQUEST,
        name="职工诉求",
        statuses={SUBMITTED: "待受理", HANDLING: "办理中", REPLIED: "已答复", CLOSED: "已办结"},
        initial=SUBMITTED,
        closed=frozenset({CLOSED}),
        transitions={
            SUBMITTED: {HANDLING: TransitionRule("受理"), REPLIED: TransitionRule("答复")},
            HANDLING: {REPLIED: TransitionRule("答复")},
            REPLIED: {
                CLOSED: TransitionRule("办结"),
                HANDLING: TransitionRule("继续办理", reason_required=True),
            },
            CLOSED: {HANDLING: TransitionRule("重新办理", reason_required=True)},
        },
        opened_by_cadre=False,
        app_page=_request_page,
        owner_page=_owner_page,
        owner_messages=False,  # rights.services sends its own (the reply's text is in the message)
        mirror=_mirror,
    ),
    CaseKind(
        code=LEGAL,
        name="法律援助案件",
        statuses={
            OPEN_LEGAL: "办理中",
            "settled": "调解结案",
            "award": "仲裁裁决",
            "judgment": "法院判决",
            "withdrawn": "撤回",
        },  # fmt: skip
        initial=OPEN_LEGAL,
        closed=frozenset({"settled", "award", "judgment", "withdrawn"}),
        transitions={
            OPEN_LEGAL: {
                "settled": TransitionRule("调解结案"),
                "award": TransitionRule("仲裁裁决结案"),
                "judgment": TransitionRule("法院判决结案"),
                "withdrawn": TransitionRule("撤回", reason_required=True),
            },
        },
        escalate=False,
        app_page=_legal_page,
        owner_messages=False,
        mirror=_legal_mirror,
    ),
]
