"""整改 as a case kind: a finding of the fund review committee waits for the union's finance side to report
its rectification (整改中 → 已报整改情况), then for a member of the union's review committee to close it
(整改销号) or send it back with the reason (退回重新整改). Only ``fundreview.services`` moves these cases: it
checks that the one who closes is on the committee. The deadline is the one the committee set on the finding:
the kernel reminds before it and escalates to the upper union after it; the app's daily job tells the union's
cadres once it has passed."""

from django.urls import reverse

from gonghui.cases.kinds import CaseKind, TransitionRule
from gonghui.fundreview.models import Finding

RECTIFICATION = "fundreview_rectification"
SUBJECT = "经费审查问题整改"


def _page(case) -> str:
    return reverse("fundreview:finding", args=[case.fundreview_finding.pk])


def _mirror(case) -> None:
    Finding.objects.filter(case=case).update(status=case.status)


CASE_KINDS = [
    CaseKind(
        code=RECTIFICATION,
        name="经费审查问题整改",
        statuses=dict(Finding.Status.choices),
        initial=Finding.Status.RECTIFYING,
        closed=frozenset({Finding.Status.CLOSED}),
        transitions={
            Finding.Status.RECTIFYING: {Finding.Status.RESPONDED: TransitionRule("报送整改情况")},
            Finding.Status.RESPONDED: {
                Finding.Status.CLOSED: TransitionRule("确认整改完成（销号）"),
                Finding.Status.RECTIFYING: TransitionRule("退回重新整改", reason_required=True),
            },
        },
        remind_days_before=7,
        opened_by_cadre=False,  # opened by fundreview.services.finding_record, which checks the write role itself
        app_page=_page,
        mirror=_mirror,
        owner_messages=False,
    ),
]
