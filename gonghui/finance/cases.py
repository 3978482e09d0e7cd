"""支出审批 as a case kind: spending above the province's approval amount waits (待审批) until a cadre of the
union or above — not the requester (checked by ``finance.services``, which alone moves these cases) —
approves it, which posts its entry, or refuses it with a reason."""

from django.urls import reverse

from gonghui.cases.kinds import CaseKind, Deadline, TransitionRule
from gonghui.finance.models import AssetMove, Spending

SPENDING = "finance_spending"
SUBJECT = "经费支出审批"
ASSET = "finance_asset"
ASSET_SUBJECT = "资产调拨或处置审批"


def _page(case) -> str:
    return reverse("finance:spending", args=[case.finance_spending.pk])


def _mirror(case) -> None:
    Spending.objects.filter(case=case).update(status=case.status)


def _asset_page(case) -> str:
    return reverse("finance:asset_move", args=[case.finance_asset_move.pk])


def _asset_mirror(case) -> None:
    AssetMove.objects.filter(case=case).update(status=case.status)


CASE_KINDS = [
    CaseKind(
        code=SPENDING,
        name="经费支出审批",
        statuses={s: label for s, label in Spending.Status.choices if s != Spending.Status.DIRECT},
        initial=Spending.Status.PENDING,
        closed=frozenset({Spending.Status.APPROVED, Spending.Status.REFUSED}),
        transitions={
            Spending.Status.PENDING: {
                Spending.Status.APPROVED: TransitionRule("批准并记账", manage=True),
                Spending.Status.REFUSED: TransitionRule("不予批准", manage=True, reason_required=True),
            },
        },
        deadlines={Spending.Status.PENDING: Deadline(5)},  # our choice: five working days to decide
        opened_by_cadre=False,  # opened by finance.services.spending_submit, which checks the write role itself
        app_page=_page,
        mirror=_mirror,
        owner_messages=False,
    ),
    CaseKind(
        code=ASSET,
        name="资产调拨或处置审批",
        statuses=dict(AssetMove.Status.choices),
        initial=AssetMove.Status.PENDING,
        closed=frozenset({AssetMove.Status.APPROVED, AssetMove.Status.REFUSED}),
        transitions={
            AssetMove.Status.PENDING: {
                AssetMove.Status.APPROVED: TransitionRule("批准并记账", manage=True),
                AssetMove.Status.REFUSED: TransitionRule("不予批准", manage=True, reason_required=True),
            },
        },
        deadlines={AssetMove.Status.PENDING: Deadline(10)},  # our choice: ten working days (it may go up levels)
        opened_by_cadre=False,  # opened at the approving union by finance.services.asset_move_submit
        app_page=_asset_page,
        mirror=_asset_mirror,
        owner_messages=False,
    ),
]
