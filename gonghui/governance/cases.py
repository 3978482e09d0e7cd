"""劳动关系风险预警 as a case kind (decision 0041): the daily job raises it to the responsible union with the
score's reasons; the union takes it in hand and closes it with a note (what was found and done). Ten working
days to take it in hand, then it escalates to the union above once."""

from gonghui.cases.kinds import CaseKind, Deadline, TransitionRule

RISK_ALERT = "risk_alert"


def _mirror(case) -> None:
    """The alert's own status and closing time follow its case (an open alert blocks a second one)."""
    from gonghui.governance.models import RiskAlert

    RiskAlert.objects.filter(case=case).update(status=case.status, closed_at=case.closed_at, org=case.org)


_CLOSE = TransitionRule("核查处置完毕，关闭预警", reason_required=True)
CASE_KINDS = [
    CaseKind(
        code=RISK_ALERT,
        name="劳动关系风险预警",
        statuses={"open": "待核查", "handling": "核查处置中", "closed": "已关闭"},
        initial="open",
        closed=frozenset({"closed"}),
        transitions={
            "open": {"handling": TransitionRule("开始核查"), "closed": _CLOSE},
            "handling": {"closed": _CLOSE},
        },
        deadlines={"open": Deadline(10), "handling": Deadline(30, working=False)},
        opened_by_cadre=False,  # the daily job raises it
        mirror=_mirror,
    )
]
