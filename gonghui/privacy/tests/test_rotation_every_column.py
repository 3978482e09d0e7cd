"""Key rotation covers every encrypted column of every model, found by introspection (docs/security.md §27).

The data below is made through each app's own services, under an old key. After rotating, the old key is
dropped and every value of every ``EncryptedTextField`` in the project must still decrypt. An app that adds
an encrypted column without giving this test a row of it fails ``test_every_encrypted_column_has_data``."""

import datetime as dt
import re
from decimal import Decimal

import pytest
from django.apps import apps
from django.db import models

from gonghui.accounts.models import TotpDevice
from gonghui.activities.tests.test_permissions import attended
from gonghui.assistance.tests.conftest import make_file
from gonghui.benefits.services import voucher_claim
from gonghui.benefits.tests.conftest import make_offer
from gonghui.cases.services import notice_publish, objection_submit
from gonghui.cases.tests.support import submitted
from gonghui.core import crypto
from gonghui.democracy.services import board_create, disclosure_post, question_ask
from gonghui.dues.services import wage_base_set
from gonghui.joining.tests.conftest import submit
from gonghui.learning.services import checkin_create
from gonghui.messages.services import notify
from gonghui.privacy.rotation import encrypted_fields, rotate_data_key, values_not_under
from gonghui.privacy.tests.support import NEW, OLD, add_privacy_data
from gonghui.rights.services import request_reply
from gonghui.rights.tests.conftest import make_legal, make_request
from gonghui.rosters.services import export_start
from gonghui.rosters.tests.support import HEADER, upload, xlsx
from gonghui.workforce.services import hardship_flag
from gonghui.workforce.tests.conftest import make_model_worker

CIPHERTEXT = re.compile(r"^[A-Za-z0-9_.-]{1,32}\$[A-Za-z0-9+/]{24,}={0,2}$")


@pytest.fixture
def everything_encrypted(db, use_keys, settings, tmp_path, request):
    """A row in every encrypted column of the project, written by the services under the old key."""
    settings.GONGHUI_SMS_BACKEND = "locmem"
    settings.VAR_DIR = tmp_path
    use_keys(OLD)
    cast = request.getfixturevalue("cast")
    TotpDevice.objects.create(user=cast.users.national_admin, secret_enc=crypto.encrypt("JBSWY3DPEHPK3PXP"))
    submit()  # a phone verification and a join application
    wage_base_set(actor=cast.users.grassroots_admin, person=cast.members.zhang.person, base=Decimal("6543"),
                  effective_from=dt.date.today().replace(day=1))  # fmt: skip
    upload(cast, xlsx({"花名册": [HEADER, ["错行", "330106199001010000", "", "", "", "", "", "", "", "", ""]]}))
    add_privacy_data(cast)  # a completed personal-data export
    export_start(actor=cast.users.national_admin, org=cast.orgs.company)  # a list export's filters
    notice = notice_publish(actor=None, case=submitted(cast), audience="public", person_name="张伟",
                            unit="杭州示例科技有限公司", decision="拟给予帮扶")  # fmt: skip
    objection_submit(actor=None, notice=notice, text="有异议", name="李四", phone="13955556666")  # 公示 objector
    make_file(cast, incomes={"transfer": "1200"}, expenses={"medical": "3000"}, losses="100")  # a hardship file
    notify(user=cast.users.worker, event="cases.closed", context={"kind": "困难帮扶申请", "status": "不予受理",
           "org": "西溪街道工会", "note": "说明：收入高于标准"})  # a message and its text-message delivery  # fmt: skip
    hotline = make_request(
        cast, actor=cast.users.grassroots_admin, hotline=True, caller_name="赵六", caller_phone="13600001234"
    )  # a hotline request: its caller, description and reply
    request_reply(actor=cast.users.grassroots_admin, request=hotline, text="已约谈单位", version=hotline.version)
    make_legal(cast, request=hotline)  # a legal case's parties, claims and narrative
    hardship_flag(actor=None, model_worker=make_model_worker(cast), note="配偶重病", version=1)  # health, hardship
    voucher_claim(actor=cast.users.worker, offer=make_offer(cast))  # a voucher's code
    board = board_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, ownership="non_public")
    today = dt.date.today()
    shown = disclosure_post(actor=cast.users.grassroots_admin, board=board, kind="item", item="pay", title="工资方案",
                            body="上调5%", posted_on=today, until=today + dt.timedelta(days=15))  # fmt: skip
    question_ask(actor=cast.users.worker, disclosure=shown, text="是否包括派遣人员？")  # a worker's question (厂务公开)
    rated_signup(cast)  # an activity rating's comment
    checkin_create(actor=cast.users.worker, title="大国工匠", minutes=30, note="读后感")  # a reading check-in's note
    use_keys(f"{NEW},{OLD}")
    return cast


def rated_signup(cast):
    from gonghui.activities.services import feedback_submit

    feedback_submit(actor=cast.users.worker, signup=attended(cast), rating=4, comment="很好")


def stored_values() -> dict[tuple[str, str, int], str]:
    """Every non-empty value of every encrypted column: (model, field, pk) -> ciphertext."""
    values = {}
    for label, fields in encrypted_fields():
        model = apps.get_model(label)
        for pk, *row in model.objects.values_list("pk", *fields):
            for field, value in zip(fields, row, strict=True):
                if value:
                    values[(label, field, pk)] = value
    return values


def test_encrypted_columns_are_found_by_their_type():
    found = dict(encrypted_fields())
    assert found["members.Person"] == ("id_number_enc", "phone_enc")
    assert {"joining.JoinApplication", "joining.PhoneVerification", "dues.WageBase", "rosters.ImportIssue",
            "privacy.DataExport", "accounts.TotpDevice"} <= set(found)  # fmt: skip


def test_every_encrypted_column_has_data(everything_encrypted):
    covered = {(label, field) for label, field, _ in stored_values()}
    expected = {(label, field) for label, fields in encrypted_fields() for field in fields}
    assert expected - covered == set(), "give this test's fixture a row of each new encrypted column"


def test_old_key_dropped_after_rotation_every_value_still_reads(everything_encrypted, use_keys):
    plaintexts = {where: crypto.decrypt(value) for where, value in stored_values().items()}
    assert values_not_under("new2") == len(plaintexts)
    run = rotate_data_key(batch_size=2)
    assert run.status == "completed" and values_not_under("new2") == 0
    use_keys(NEW)  # the old key is gone
    after = stored_values()
    assert after.keys() == plaintexts.keys()
    assert {where: crypto.decrypt(value) for where, value in after.items()} == plaintexts


def test_no_ciphertext_hides_in_an_undeclared_column(everything_encrypted):
    """Encrypted text stored in a plain TextField would be missed by rotation: every text column that holds
    ``keyid$base64`` values must be an EncryptedTextField."""
    undeclared = []
    for model in apps.get_models():
        for field in model._meta.concrete_fields:
            if not isinstance(field, (models.CharField, models.TextField)):
                continue
            if isinstance(field, crypto.EncryptedTextField):
                continue
            values = model.objects.exclude(**{field.name: ""}).values_list(field.name, flat=True)[:200]
            if any(isinstance(v, str) and CIPHERTEXT.match(v) for v in values):
                undeclared.append(f"{model._meta.label}.{field.name}")
    assert undeclared == []
