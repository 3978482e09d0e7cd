"""评选推荐 as a case kind: 两审三公示. A union's submitted list opens one case per nominee at the nominating
union, in its grassroots notice; after each notice (≥ 5 working days, objections answered — the kernel holds the
case until then) comes a review; the second review passes to the national notice and then the award, which
links the title to the person in the model worker registry. A refusal or a withdrawal needs a reason."""

from django.urls import reverse

from gonghui.cases.kinds import CaseKind, TransitionRule

NOMINATION = "honour_nomination"
NOTICE1, REVIEW1, NOTICE2, REVIEW2, NOTICE3, AWARDED, REFUSED = (
    "notice1", "review1", "notice2", "review2", "notice3", "awarded", "refused")  # fmt: skip
NOTICES = {NOTICE1: "基层公示", NOTICE2: "省级公示", NOTICE3: "全国公示"}


def _page(case) -> str:
    return reverse("workforce:round", args=[case.nomination.round_id])


def _mirror(case) -> None:
    from gonghui.workforce.models import Nomination

    Nomination.objects.filter(case=case).update(status=case.status)


def _refuse(label: str = "不予推荐") -> TransitionRule:
    return TransitionRule(label, reason_required=True)


CASE_KINDS = [
    CaseKind(
        code=NOMINATION,
        name="劳模和荣誉评选推荐",
        statuses={
            NOTICE1: "基层公示中",
            REVIEW1: "待初审",
            NOTICE2: "省级公示中",
            REVIEW2: "待复审",
            NOTICE3: "全国公示中",
            AWARDED: "已授予",
            REFUSED: "未通过",
        },  # fmt: skip
        initial=NOTICE1,
        closed=frozenset({AWARDED, REFUSED}),
        transitions={
            NOTICE1: {REVIEW1: TransitionRule("公示期满，提交初审"), REFUSED: _refuse()},
            REVIEW1: {NOTICE2: TransitionRule("初审通过，省级公示"), REFUSED: _refuse()},
            NOTICE2: {REVIEW2: TransitionRule("公示期满，提交复审"), REFUSED: _refuse()},
            REVIEW2: {NOTICE3: TransitionRule("复审通过，全国公示"), REFUSED: _refuse()},
            NOTICE3: {AWARDED: TransitionRule("公示期满，授予称号"), REFUSED: _refuse()},
        },
        opened_by_cadre=False,
        app_page=_page,
        mirror=_mirror,
    ),
]
