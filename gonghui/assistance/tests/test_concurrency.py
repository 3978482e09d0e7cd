"""Two cadres clicking 发放 at once on PostgreSQL: one payment is made, the other refused (the unique
constraint; the file's row lock orders them). Two cadres saving the same version of a file at once: one save."""

import datetime as dt

import pytest
from django.db import connection

from gonghui.assistance import services
from gonghui.assistance.models import AidPayment
from gonghui.assistance.tests.conftest import YEAR, make_file
from gonghui.assistance.tests.test_services import _rows, approved
from gonghui.core import crypto
from gonghui.orgs.models import Region
from gonghui.testing.concurrency import at_once

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks and concurrent transactions")


@pytest.mark.django_db(transaction=True)
def test_two_cadres_paying_at_once_pay_once(cast):
    file = approved(cast)

    def pay(actor):
        services.aid_pay(actor=actor, file=file, kind="living", period="2026", amount="2000",
                         fund_source="帮扶专项资金", paid_on=dt.date(2026, 3, 1), received_by="张伟")  # fmt: skip
        return "paid"

    outcomes = at_once([lambda u=u: pay(u) for u in (cast.users.grassroots_admin, cast.users.province_admin)],
                       timeout=30)  # fmt: skip
    assert sorted(outcomes) == sorted(["paid", services.DOUBLE_PAYMENT])
    assert AidPayment.objects.filter(file=file).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_cadres_saving_the_same_version_at_once_save_once(cast):
    """Both read version 1; the file's row lock orders the saves: one is saved, the other told someone else saved
    first, and nothing of the second is written."""
    file = make_file(cast)
    county = Region.objects.get(code="330106")

    def save(actor, income):
        services.file_update(actor=actor, file=file, version=1, household=_rows(file, self={"monthly_income": income}),
                             region=county, year=YEAR, main_cause="illness")  # fmt: skip
        return income

    pairs = ((cast.users.grassroots_admin, "1100"), (cast.users.national_admin, "1200"))
    outcomes = at_once([lambda a=a, i=i: save(a, i) for a, i in pairs], timeout=30)
    assert services.EDIT_CONFLICT in outcomes and len(outcomes) == 2
    [saved] = [o for o in outcomes if o != services.EDIT_CONFLICT]
    file.refresh_from_db()
    me = file.household.get(relation="self")
    assert file.version == 2 and crypto.decrypt(me.monthly_income_enc) == f"{saved}.00"
