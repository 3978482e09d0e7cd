"""会籍预警 as a case kind: the daily job raises it; the member's union records the counselling talk, then ends
the membership as lapsed (视为自动退会) or lifts the warning for a good reason (a reason required). The
platform lifts it too when dues or activity resume, the membership ends or the member transfers. No
deadline: the 章程 sets none (docs/domain.md)."""

from django.urls import reverse

from gonghui.cases.kinds import CaseKind, TransitionRule

LAPSE = "lapse"
SUBJECT = "会籍预警"


def _app_page(case) -> str:
    return reverse("members:lapse")


def _mirror(case) -> None:
    """The warning's own status and union follow its case."""
    from gonghui.members.models import LapseWarning

    LapseWarning.objects.filter(case=case).update(status=case.status, org=case.org)


_LIFT = TransitionRule("解除预警", reason_required=True)
CASE_KINDS = [
    CaseKind(
        code=LAPSE,
        name="会籍预警",
        statuses={"open": "预警中", "counselled": "已谈话", "resolved": "已解除", "lapsed": "已除名"},
        initial="open",
        closed=frozenset({"resolved", "lapsed"}),
        transitions={
            "open": {"counselled": TransitionRule("谈话教育"), "resolved": _LIFT},
            "counselled": {
                "counselled": TransitionRule("再次谈话"),
                "resolved": _LIFT,
                "lapsed": TransitionRule("视为自动退会"),
            },
        },
        escalate=False,  # no deadline, nothing to hand upwards
        opened_by_cadre=False,  # the daily job raises it
        app_page=_app_page,
        mirror=_mirror,
    )
]
