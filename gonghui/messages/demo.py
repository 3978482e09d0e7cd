"""Demo data of the message centre: the demo worker (zhigong) asks for hardship help from the phone and the
grassroots union's chair (jiceng) takes it up, so the worker finds the union's answer in the inbox. Every
message of the demo is sent by the services that decide (joining's acceptances and refusals too)."""

from django.db import transaction

from gonghui.accounts.models import User
from gonghui.assistance.services import request_submit
from gonghui.cases.services import case_transition
from gonghui.core.registry import DemoRun
from gonghui.messages.models import Message


@transaction.atomic
def demo_load(run: DemoRun) -> None:
    worker = User.objects.filter(username="zhigong").first()
    chair = User.objects.filter(username="jiceng").first()
    if worker is not None and chair is not None:
        case = request_submit(actor=worker)
        case_transition(actor=chair, case=case, to="accepted", version=case.version,
                        note="工会将在三个工作日内上门了解家庭情况，请保持电话畅通。")  # fmt: skip
    run.summary.append(f"{Message.objects.count()} 条消息")
