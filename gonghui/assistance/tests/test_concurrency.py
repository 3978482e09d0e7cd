"""Two cadres clicking 发放 at once on PostgreSQL: one payment is made, the other refused (the unique
constraint; the file's row lock orders them)."""

import datetime as dt
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gonghui.assistance import services
from gonghui.assistance.models import AidPayment
from gonghui.assistance.tests.test_services import approved

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent transactions")


@pytest.mark.django_db(transaction=True)
def test_two_cadres_paying_at_once_pay_once(cast):
    file = approved(cast)
    start, outcomes = threading.Barrier(2), []

    def pay(actor):
        try:
            start.wait()
            services.aid_pay(actor=actor, file=file, kind="living", period="2026", amount="2000",
                             fund_source="帮扶专项资金", paid_on=dt.date(2026, 3, 1), received_by="张伟")  # fmt: skip
            outcomes.append("paid")
        except ValidationError as error:
            outcomes.append(error.messages[0])
        finally:
            connection.close()

    threads = [threading.Thread(target=pay, args=(user,)) for user in (cast.users.grassroots_admin,
                                                                        cast.users.province_admin)]  # fmt: skip
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(outcomes) == sorted(["paid", services.DOUBLE_PAYMENT])
    assert AidPayment.objects.filter(file=file).count() == 1
