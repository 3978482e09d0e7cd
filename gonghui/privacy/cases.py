"""个人信息权利请求 as a case kind: the union holding the person's record starts it, then completes it or
refuses it with the reason (个人信息保护法第五十条), within the working days of the privacy policy."""

from django.urls import reverse

from gonghui.cases.kinds import CaseKind, Deadline, TransitionRule
from gonghui.privacy.policy import privacy_policy

DATA_REQUEST = "data_request"
SUBJECT = "个人信息权利请求"


def _due_days() -> int:
    return privacy_policy().request_due_working_days


def _app_page(case) -> str:
    return reverse("privacy:request_detail", args=[case.data_request.pk])


def _mirror(case) -> None:
    """The request's own status and deadline follow its case."""
    from gonghui.privacy.models import DataSubjectRequest

    fields = {"status": case.status} | ({"due_on": case.deadline} if case.deadline else {})
    DataSubjectRequest.objects.filter(case=case).update(**fields)


_FINISH = {
    "completed": TransitionRule("办结"),
    "refused": TransitionRule("不予办理", reason_required=True),
}
CASE_KINDS = [
    CaseKind(
        code=DATA_REQUEST,
        name="个人信息权利请求",
        statuses={"received": "已受理", "in_progress": "处理中", "completed": "已办结", "refused": "不予办理"},
        initial="received",
        closed=frozenset({"completed", "refused"}),
        transitions={"received": {"in_progress": TransitionRule("开始办理"), **_FINISH}, "in_progress": _FINISH},
        deadlines={"received": Deadline(_due_days)},
        escalate=False,  # the person's own union answers; nothing is handed upwards
        opened_by_cadre=False,
        app_page=_app_page,
        mirror=_mirror,
        owner_page=lambda case: reverse("privacy:mine"),
    )
]
