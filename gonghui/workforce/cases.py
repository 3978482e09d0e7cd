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


def _innovation_page(case) -> str:
    return reverse("workforce:innovation", args=[case.innovation.pk])


def _innovation_owner_page(case) -> str:
    return reverse("workforce:my_innovation", args=[case.innovation.pk])


def _innovation_mirror(case) -> None:
    from gonghui.workforce.models import Innovation

    Innovation.objects.filter(case=case).update(status=case.status)


def _refuse(label: str = "不予推荐") -> TransitionRule:
    return TransitionRule(label, reason_required=True)


# 五小创新和合理化建议: the union that received it checks it (初审), its review panel decides (评审: 采纳 or not), the
# benefit of an adopted one is assessed (效益核定, in fen, on the workforce pages) and the reward paid (奖励).
INNOVATION = "innovation"
I_SUBMITTED, I_REVIEW, I_ADOPTED, I_ASSESSED, I_REWARDED, I_REJECTED = (
    "submitted", "review", "adopted", "assessed", "rewarded", "rejected")  # fmt: skip
ADOPTED_STATUSES = (I_ADOPTED, I_ASSESSED, I_REWARDED)

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
    CaseKind(
        code=INNOVATION,
        name="五小创新和合理化建议",
        statuses={
            I_SUBMITTED: "待初审",
            I_REVIEW: "待评审",
            I_ADOPTED: "已采纳，待核定效益",
            I_ASSESSED: "效益已核定，待奖励",
            I_REWARDED: "已奖励",
            I_REJECTED: "未采纳",
        },
        initial=I_SUBMITTED,
        closed=frozenset({I_REWARDED, I_REJECTED}),
        transitions={
            I_SUBMITTED: {I_REVIEW: TransitionRule("初审通过，提交评审"), I_REJECTED: _refuse("不予采纳")},
            I_REVIEW: {I_ADOPTED: TransitionRule("评审通过，予以采纳"), I_REJECTED: _refuse("不予采纳")},
            I_ADOPTED: {I_ASSESSED: TransitionRule("核定经济效益")},
            I_ASSESSED: {I_REWARDED: TransitionRule("发放奖励")},
        },
        escalate=False,  # no statutory time limit: the union's own review panel meets when it meets
        opened_by_cadre=False,
        app_page=_innovation_page,
        owner_page=_innovation_owner_page,
        mirror=_innovation_mirror,
    ),
]
