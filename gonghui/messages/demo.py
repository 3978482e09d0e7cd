"""Demo data of the message centre: the demo worker (zhigong) has applied for hardship help from the phone
(the hardship demo), and the upper union that reviews it returns it asking for two documents, so the worker
finds the union's answer in the inbox. Every message of the demo is sent by the services that decide
(joining's acceptances and refusals too)."""

from django.db import transaction

from gonghui.accounts.models import Grant
from gonghui.assistance import cases as kinds
from gonghui.assistance.models import HardshipFile
from gonghui.assistance.services import file_step
from gonghui.core.registry import DemoRun
from gonghui.messages.models import Message
from gonghui.orgs import access


@transaction.atomic
def demo_load(run: DemoRun) -> None:
    file = (HardshipFile.objects.filter(person__account__username="zhigong", status=kinds.SUBMITTED)
            .select_related("org__parent", "case").first())  # fmt: skip
    upper = file.org.parent if file is not None else None
    if upper is not None:
        above = [g for g in Grant.objects.select_related("user", "org").filter(role__in=access.WRITE_ROLES)
                 if upper.path.startswith(g.org.path)]  # fmt: skip
        if above:
            reviewer = max(above, key=lambda g: len(g.org.path)).user  # the nearest union above the worker's
            file_step(actor=reviewer, file=file, to=kinds.RETURNED, version=file.case.version,
                      note="请补充配偶的诊断证明和近三个月的住院费用票据，交到所在工会后重新提交。")  # fmt: skip
    run.summary.append(f"{Message.objects.count()} 条消息")
