"""困难职工建档 and 年度复核 as case kinds. The grassroots union submits; the union one level up reviews and
opens the 公示 (notice days from the policy, per province), answers objections and approves, or returns or
refuses with a reason. An approved file may exit (解困脱困, with a reason) and re-enter (重新申请). Each open
file gets a yearly review case, opened by the daily job."""

from django.urls import reverse

from gonghui.assistance.policy import assistance_policy
from gonghui.cases.kinds import CaseKind, Deadline, TransitionRule

HARDSHIP = "hardship"
REVIEW = "hardship_review"
SUBJECT = "困难职工建档申请"
REVIEW_SUBJECT = "困难职工档案年度复核"
SUBMITTED, RETURNED, NOTICING, APPROVED, REFUSED, EXITED = (
    "submitted", "returned", "noticing", "approved", "refused", "exited")  # fmt: skip
KEPT = "kept"
REVIEW_PENDING = "pending"
DOCUMENTS = {
    "id_card": "身份证、户口簿复印件",
    "income": "家庭成员收入证明",
    "expense": "医疗、教育等刚性支出票据",
    "cause": "致困原因证明（诊断证明、残疾证、事故认定等）",
    "bank": "帮扶资金发放账户（银行卡复印件）",
}


def _file_page(case) -> str:
    return reverse("assistance:detail", args=[case.hardship_file.pk])


def _review_page(case) -> str:
    return reverse("assistance:detail", args=[case.hardship_review.file_id])


def _mirror(case) -> None:
    """The file's status follows its case."""
    from gonghui.assistance.models import HardshipFile

    HardshipFile.objects.filter(case=case).update(status=case.status)


def _review_days() -> int:
    return assistance_policy().review_days


CASE_KINDS = [
    CaseKind(
        code=HARDSHIP,
        name="困难职工建档",
        statuses={
            SUBMITTED: "待上级审核",
            RETURNED: "已退回补充",
            NOTICING: "公示中",
            APPROVED: "已建档",
            REFUSED: "不予建档",
            EXITED: "已解困脱困",
        },  # fmt: skip
        initial=SUBMITTED,
        closed=frozenset({APPROVED, REFUSED, EXITED}),
        transitions={
            SUBMITTED: {
                NOTICING: TransitionRule("审核通过并公示", level=1),
                RETURNED: TransitionRule("退回补充", level=1, reason_required=True),
                REFUSED: TransitionRule("不予建档", level=1, reason_required=True),
            },
            RETURNED: {SUBMITTED: TransitionRule("重新提交")},
            NOTICING: {
                APPROVED: TransitionRule("批准建档", level=1),
                REFUSED: TransitionRule("不予建档", level=1, reason_required=True),
            },
            APPROVED: {EXITED: TransitionRule("解困脱困", reason_required=True)},
            EXITED: {SUBMITTED: TransitionRule("重新申请", reason_required=True)},
        },
        deadlines={SUBMITTED: Deadline(15), RETURNED: Deadline(15)},
        required_documents=DOCUMENTS,
        # Opened by file_create (a writer of the union) or file_apply (the member, for their own household).
        opened_by_cadre=False,
        app_page=_file_page,
        owner_page=lambda case: reverse("assistance:mine"),
        mirror=_mirror,
    ),
    CaseKind(
        code=REVIEW,
        name="困难职工档案年度复核",
        statuses={REVIEW_PENDING: "待复核", KEPT: "继续帮扶", EXITED: "已解困脱困"},
        initial=REVIEW_PENDING,
        closed=frozenset({KEPT, EXITED}),
        transitions={
            REVIEW_PENDING: {
                KEPT: TransitionRule("复核通过，继续帮扶"),
                EXITED: TransitionRule("解困脱困", reason_required=True),
            }
        },
        deadlines={REVIEW_PENDING: Deadline(_review_days, working=False)},
        opened_by_cadre=False,
        app_page=_review_page,
    ),
]
