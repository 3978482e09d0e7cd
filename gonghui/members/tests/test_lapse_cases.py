"""Lapse warnings on the case kernel: each warning has its case, every step is the case's (the table, the
reason, the history), the bulk lifts close the cases with a step each, the cadre's to-do list shows them, and
warnings from before the kernel get their case and history from the data migration."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.cases import selectors as case_selectors
from gonghui.cases.models import Case
from gonghui.cases.services import case_transition
from gonghui.members.models import LapseWarning, Membership
from gonghui.members.services import (
    employer_close,
    lapse_counsel,
    lapse_warnings_raise,
    membership_end,
    membership_lapse,
    memberships_mark_active,
    transfer_accept,
    transfer_release,
    transfer_start,
)
from gonghui.testing.api import ApiClient

MIGRATION = importlib.import_module("gonghui.members.migrations.0010_cases_for_existing_lapse_warnings")


def _warned(*memberships) -> list[LapseWarning]:
    Membership.objects.filter(pk__in=[m.pk for m in memberships]).update(last_active_on=dt.date(2025, 1, 1))
    lapse_warnings_raise(today=timezone.localdate())
    return [LapseWarning.objects.get(membership=m) for m in memberships]


def _history(warning) -> list[tuple[str, str, str]]:
    return list(Case.objects.get(pk=warning.case_id).steps.values_list("from_status", "to_status", "note"))


def test_the_daily_job_opens_a_case_for_every_warning_it_raises(cast):
    zhang, wang = _warned(cast.members.zhang, cast.members.wang)
    for warning in (zhang, wang):
        case = warning.case
        assert (case.kind, case.status, case.org_id, case.deadline) == ("lapse", "open", warning.org_id, None)
        assert case.subject == "会籍预警" and _history(warning) == [("", "open", "")]
    assert Case.objects.filter(kind="lapse").count() == 2


def test_counselling_then_lapse_is_the_cases_history(cast):
    [warning] = _warned(cast.members.zhang)
    admin = cast.users.grassroots_admin
    warning = lapse_counsel(actor=admin, warning=warning, note="上门谈话")
    membership_lapse(actor=admin, warning=warning)
    case = Case.objects.get(pk=warning.case_id)
    assert (case.status, case.version) == ("lapsed", 3) and case.closed_at is not None
    assert _history(warning) == [("", "open", ""), ("open", "counselled", "上门谈话"),
                                 ("counselled", "lapsed", "经谈话教育未改正")]  # fmt: skip
    assert list(case.steps.values_list("actor", flat=True)) == [None, admin.pk, admin.pk]


def test_a_good_reason_lifts_the_case_with_the_reason(cast):
    [warning] = _warned(cast.members.zhang)
    lapse_counsel(actor=cast.users.grassroots_admin, warning=warning, note="长期病假", good_reason=True)
    assert _history(warning)[-1] == ("open", "resolved", "长期病假")
    assert Case.objects.get(pk=warning.case_id).closed_at is not None


def test_the_table_refuses_an_illegal_move_and_a_lift_without_reason(cast):
    [warning] = _warned(cast.members.zhang)
    case, admin = warning.case, cast.users.grassroots_admin
    with pytest.raises(ValidationError, match="不能从“预警中”转为“已除名”"):
        case_transition(actor=admin, case=case, to="lapsed", version=case.version)
    with pytest.raises(ValidationError, match="须填写理由"):
        case_transition(actor=admin, case=case, to="resolved", version=case.version)
    assert LapseWarning.objects.get(pk=warning.pk).status == "open" and _history(warning) == [("", "open", "")]


def test_the_generic_case_api_leaves_lapse_to_the_members_pages(cast):
    [warning] = _warned(cast.members.zhang)
    response = ApiClient().post(f"/api/v1/cases/{warning.case_id}/transition", cast.users.grassroots_admin,
                                {"to": "counselled", "version": 1})  # fmt: skip
    assert response.status_code == 400 and "业务页面" in response.json()["detail"]
    assert LapseWarning.objects.get(pk=warning.pk).status == "open"


@pytest.mark.parametrize("how", ["resumed", "ended", "transferred"])
def test_the_bulk_lifts_close_the_cases_with_a_step(cast, how):
    [warning] = _warned(cast.members.zhang)
    admin, zhang = cast.users.national_admin, cast.members.zhang
    if how == "resumed":
        memberships_mark_active(membership_ids=[zhang.pk], on=timezone.localdate())
        lapse_warnings_raise(today=timezone.localdate())
    elif how == "ended":
        membership_end(actor=admin, membership=zhang, status="withdrawn", reason="本人申请退会")
    else:
        transfer = transfer_release(actor=admin, transfer=transfer_start(actor=admin, membership=zhang,
                                    to_org=cast.orgs.logistics, reason="工作调动"))  # fmt: skip
        transfer_accept(actor=admin, transfer=transfer)
    note = {"resumed": "已恢复缴费或参加活动", "ended": "会籍已终止", "transferred": "会员已转会"}[how]
    warning.refresh_from_db()
    assert (warning.status, warning.close_reason) == ("resolved", note)
    assert _history(warning)[-1] == ("open", "resolved", note)
    assert Case.objects.get(pk=warning.case_id).closed_at is not None


def test_the_case_moves_with_the_warning_when_the_employer_closes(cast):
    [warning] = _warned(cast.members.zhang)
    employer_close(actor=cast.users.province_admin, org=cast.orgs.company)
    assert Case.objects.get(pk=warning.case_id).org == cast.orgs.xihu == LapseWarning.objects.get(pk=warning.pk).org


def test_the_cadres_todo_list_shows_lapse_warnings_in_scope(cast, client):
    zhang, wang = _warned(cast.members.zhang, cast.members.wang)
    assert list(case_selectors.todo(cast.users.grassroots_admin)) == [zhang.case]
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("cases:todo")).content.decode()
    assert "会籍预警" in page and "预警中" in page
    detail = client.get(reverse("cases:detail", args=[zhang.case_id])).content.decode()
    assert reverse("members:lapse") in detail
    assert client.get(reverse("cases:detail", args=[wang.case_id])).status_code == 404


def test_the_data_migration_gives_earlier_warnings_their_case_and_history(cast):
    admin = cast.users.grassroots_admin
    talked, sick, lapsed = _warned(cast.members.zhang, cast.members.li, cast.members.wang)
    lapse_counsel(actor=admin, warning=talked, note="电话谈话")
    lapse_counsel(actor=admin, warning=sick, note="长期病假", good_reason=True)
    national = cast.users.national_admin
    membership_lapse(actor=national, warning=lapse_counsel(actor=national, warning=lapsed, note="谈话"))
    LapseWarning.objects.update(case=None)
    Case.objects.all().delete()
    MIGRATION.forwards(apps, None)
    talked, sick, lapsed = (LapseWarning.objects.get(pk=w.pk) for w in (talked, sick, lapsed))
    assert (talked.case.status, talked.case.closed_at, talked.case.version) == ("counselled", None, 2)
    assert _history(talked) == [("", "open", ""), ("open", "counselled", "电话谈话")]
    assert _history(sick) == [("", "open", ""), ("open", "resolved", "长期病假")]
    assert _history(lapsed)[1:] == [("open", "counselled", "谈话"), ("counselled", "lapsed", "经谈话教育未改正")]
    assert lapsed.case.closed_at == lapsed.closed_at and lapsed.case.org_id == lapsed.org_id
    MIGRATION.forwards(apps, None)  # idempotent
    assert Case.objects.count() == 3
