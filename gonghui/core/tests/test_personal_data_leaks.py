"""No plaintext personal data at rest or in logs (docs/security.md §§10, 11)."""

import io
import logging
import re

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from gonghui.members.selectors import member_search
from gonghui.members.services import member_create, member_unmask, member_update
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID, valid_id

EXTRA_ID = valid_id("33010619781124301")
EXTRA_PHONE = "15088889999"
PLAINTEXT = [ZHANG_WEI_ID, LI_NA_ID, WANG_FANG_ID, EXTRA_ID, "13812345678", "13900001111", "13700002222",
             EXTRA_PHONE, "18600001234"]  # fmt: skip
# An ID or mobile number standing alone (not inside a longer run such as a hex digest), or after +86.
ID_OR_PHONE = re.compile(r"(?:(?<![0-9A-Za-z])|(?<=\+86))(?:\d{17}[\dXx]|1[3-9]\d{9})(?![0-9A-Za-z])")


def all_text_values():
    """Every text value of every table, read with raw SQL (str, and JSON as its text)."""
    quoted = connection.ops.quote_name
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            # get_table_description() trips over orgs_org's CHECK (... IN (3, 5)) on SQLite, so the
            # column names come from the cursor instead.
            cursor.execute(f"SELECT * FROM {quoted(table)}")  # noqa: S608
            columns = [c[0] for c in cursor.description]
            for row in cursor.fetchall():
                for column, value in zip(columns, row, strict=True):
                    if isinstance(value, str | bytes | dict | list):
                        yield table, column, value.decode(errors="replace") if isinstance(value, bytes) else str(value)


@pytest.fixture
def more_people(cast):
    admin = cast.users.grassroots_admin
    member = member_create(actor=admin, org=cast.orgs.company, name="赵敏", id_number=EXTRA_ID, phone=EXTRA_PHONE)
    member_update(actor=admin, person=cast.members.li.person, version=1, phone="186 0000 1234")
    member_unmask(actor=admin, person=member.person)
    member_search(admin, q=EXTRA_ID).count()
    return member


def test_no_plaintext_id_or_phone_in_any_text_column(more_people):
    seen_columns, leaks = set(), []
    for table, column, value in all_text_values():
        seen_columns.add((table, column))
        leaks += [(table, column, secret) for secret in PLAINTEXT if secret in value]
    assert leaks == []
    assert ("members_person", "id_number_enc") in seen_columns
    assert ("core_auditevent", "detail") in seen_columns


def test_the_scan_would_see_personal_data_columns(more_people):
    """Guards the scan itself: masked values are found where expected."""
    masked = {v for t, c, v in all_text_values() if (t, c) == ("members_person", "id_number_masked")}
    assert EXTRA_ID[:4] + "**********" + EXTRA_ID[-4:] in masked


@pytest.fixture
def log_output(caplog, settings):
    """Everything logged, as the handler from settings.LOGGING writes it, plus pytest's own capture."""
    root = logging.getLogger()
    handler = next(h for h in root.handlers if any(type(f).__name__ == "MaskPersonalDataFilter" for f in h.filters))
    stream = io.StringIO()
    old_stream, old_level = handler.setStream(stream), root.level
    caplog.set_level(logging.DEBUG)
    db_logger = logging.getLogger("django.db.backends")
    db_logger.setLevel(logging.DEBUG)
    connection.force_debug_cursor = True
    try:
        yield lambda: stream.getvalue() + "\n" + caplog.text
    finally:
        connection.force_debug_cursor = False
        db_logger.setLevel(logging.NOTSET)
        handler.setStream(old_stream)
        root.setLevel(old_level)


def _failing_service_calls(cast, log):
    admin = cast.users.grassroots_admin
    for raw_id, phone in [(ZHANG_WEI_ID, "13812345678"), (ZHANG_WEI_ID[:-1] + "5", ""), (EXTRA_ID, "12812345678")]:
        try:
            member_create(actor=admin, org=cast.orgs.company, name="张伟", id_number=raw_id, phone=phone)
        except ValidationError as exc:
            log.warning("入会登记失败 id=%s phone=%s: %s", raw_id, phone, exc)
            log.info(f"入会登记失败 {raw_id} {phone}")


def test_personal_data_is_masked_in_every_log_line(cast, log_output):
    log = logging.getLogger("gonghui.members")
    _failing_service_calls(cast, log)
    member_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, name="赵敏", id_number=EXTRA_ID,
                  phone=EXTRA_PHONE)  # fmt: skip
    member_search(cast.users.grassroots_admin, q="13812345678").count()
    member_search(cast.users.grassroots_admin, q=ZHANG_WEI_ID).count()
    logging.getLogger("django.request").error("Bad request for %s", {"id_number": ZHANG_WEI_ID})
    output = log_output()
    assert "入会登记失败" in output
    assert ID_OR_PHONE.findall(output) == []
    assert [s for s in PLAINTEXT if s in output] == []


def test_personal_data_in_exception_tracebacks_is_masked(cast, log_output):
    log = logging.getLogger("gonghui.imports")
    try:
        try:
            member_create(actor=None, org=cast.orgs.company, name="张伟", id_number=ZHANG_WEI_ID[:-1] + "5")
        except ValidationError as exc:
            raise RuntimeError(f"导入第 3 行失败：{ZHANG_WEI_ID[:-1] + '5'}，电话 13812345678") from exc
    except RuntimeError:
        log.exception("导入失败")
    output = log_output()
    assert "导入失败" in output
    assert ID_OR_PHONE.findall(output) == []
