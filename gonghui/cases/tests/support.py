"""A kind of case for the kernel's own tests: a grassroots union submits with two documents, the level above
reviews (or returns it with a reason), the level above that approves (or refuses with a reason)."""

from gonghui.cases import services
from gonghui.cases.kinds import CaseKind, ClockRule, Deadline, TransitionRule, register

REVIEW = register(
    CaseKind(
        code="test_review",
        name="困难帮扶（测试）",
        statuses={
            "draft": "草稿",
            "submitted": "待审核",
            "reviewed": "待审批",
            "approved": "已批准",
            "returned": "已退回",
            "refused": "不予批准",
        },  # fmt: skip
        initial="draft",
        closed=frozenset({"approved", "refused"}),
        transitions={
            "draft": {"submitted": TransitionRule("提交", level=0, requires_documents=True)},
            "submitted": {
                "reviewed": TransitionRule("审核通过", level=1),
                "returned": TransitionRule("退回", level=1, reason_required=True),
            },
            "returned": {"submitted": TransitionRule("重新提交", level=0)},
            "reviewed": {
                "approved": TransitionRule("批准", level=2),
                "refused": TransitionRule("不予批准", level=2, reason_required=True),
            },
        },  # fmt: skip
        deadlines={"draft": Deadline(10), "submitted": Deadline(5), "reviewed": Deadline(10, working=False)},
        clocks=(ClockRule("审核期限", "submitted", Deadline(15, working=False)),),
        required_documents={"application": "申请表", "income": "收入证明"},
    )
)

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def opened(cast, *, subject: str = "困难职工帮扶申请"):
    return services.case_open(actor=cast.users.grassroots_admin, kind=REVIEW.code, org=cast.orgs.company,
                              subject=subject)  # fmt: skip


def with_documents(cast, case):
    from django.core.files.uploadedfile import SimpleUploadedFile

    for document in REVIEW.required_documents:
        services.attachment_add(actor=cast.users.grassroots_admin, case=case, document=document,
                                file=SimpleUploadedFile("a.pdf", PDF), file_name="a.pdf")  # fmt: skip
    return case


def submitted(cast):
    case = with_documents(cast, opened(cast))
    return services.case_transition(actor=cast.users.grassroots_admin, case=case, to="submitted", version=1)
