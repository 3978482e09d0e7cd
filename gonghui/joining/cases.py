"""入会申请 as a case kind: the union that handles the application accepts it or returns it with a reason;
the applicant may withdraw it; 15 working days (the joining policy), then escalated once to the parent."""

from django.urls import reverse

from gonghui.cases.kinds import OWNER, CaseKind, Deadline, TransitionRule
from gonghui.joining.policy import joining_policy

JOIN = "join"
SUBJECT = "网上入会申请"


def _decision_days() -> int:
    return joining_policy().decision_working_days


def _app_page(case) -> str:
    return reverse("joining:detail", args=[case.join_application.pk])


def _owner_page(case) -> str:
    return reverse("joining:mine")


def _mirror(case) -> None:
    """The application's own status, version, union, deadline and escalation follow its case."""
    from gonghui.joining.models import JoinApplication

    fields = {"status": case.status, "version": case.version, "org": case.org, "escalated_to": case.escalated_to,
              "escalated_at": case.escalated_at}  # fmt: skip
    if case.deadline is not None:
        fields["due_on"] = case.deadline
    JoinApplication.objects.filter(case=case).update(**fields)


CASE_KINDS = [
    CaseKind(
        code=JOIN,
        name="入会申请",
        statuses={"pending": "待受理", "accepted": "已入会", "rejected": "已退回", "withdrawn": "已撤回"},
        initial="pending",
        closed=frozenset({"accepted", "rejected", "withdrawn"}),
        transitions={
            "pending": {
                "accepted": TransitionRule("受理入会"),
                "rejected": TransitionRule("退回", reason_required=True),
                "withdrawn": TransitionRule("撤回", level=OWNER),
            },
        },
        deadlines={"pending": Deadline(_decision_days)},
        opened_by_cadre=False,
        app_page=_app_page,
        mirror=_mirror,
        owner_messages=False,  # accepting or refusing sends joining's own messages (the card, the reason)
        owner_page=_owner_page,
    )
]
