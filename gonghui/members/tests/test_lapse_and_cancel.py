"""Transfers withdrawn and auto-accepted; lapse warnings, the counselling step and lapse; the daily jobs."""

import datetime as dt
from io import StringIO

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from gonghui.core.models import AuditEvent
from gonghui.members.models import LapseWarning, Membership, TransferRequest
from gonghui.members.services import (
    _months_before,
    lapse_counsel,
    lapse_warnings_raise,
    membership_lapse,
    membership_retire,
    memberships_mark_active,
    transfer_cancel,
    transfer_release,
    transfer_start,
    transfers_auto_accept,
)
from gonghui.testing.api import ApiClient, url

TODAY = dt.date(2026, 11, 25)


def _released(cast, *, days_ago: int) -> TransferRequest:
    transfer = transfer_start(actor=cast.users.grassroots_admin, membership=cast.members.zhang,
                              to_org=cast.orgs.logistics, reason="工作调动")  # fmt: skip
    transfer = transfer_release(actor=cast.users.grassroots_admin, transfer=transfer)
    TransferRequest.objects.filter(pk=transfer.pk).update(
        released_at=timezone.make_aware(dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(10)))
    )
    return transfer


# ----- 撤回 and 超期自动接收 --------------------------------------------------------------------------------------


def test_member_withdraws_their_own_request_from_the_phone(client, cast):
    client.force_login(cast.users.worker)
    page = client.post(reverse("portal:transfer"), {"to_org": cast.orgs.logistics.pk, "reason": "换工作"}, follow=True)
    assert "已提交转会申请" in page.content.decode()
    transfer = TransferRequest.objects.get(membership=cast.members.zhang)
    assert transfer.initiated_by == "member"
    page = client.post(reverse("portal:transfer"), {"cancel": transfer.pk, "reason": "留在原单位"}, follow=True)
    assert "已撤回" in page.content.decode()
    transfer.refresh_from_db()
    assert transfer.status == "cancelled" and transfer.reject_reason == "留在原单位"
    assert Membership.objects.get(pk=cast.members.zhang.pk).status == "active"


def test_only_the_member_or_the_sending_union_may_withdraw(cast):
    transfer = _released(cast, days_ago=1)
    with pytest.raises(PermissionDenied):
        transfer_cancel(actor=cast.users.sibling_admin, transfer=transfer, reason="不需要了")  # the receiving side
    with pytest.raises(ValidationError, match="撤回原因"):
        transfer_cancel(actor=cast.users.grassroots_admin, transfer=transfer, reason="")
    transfer_cancel(actor=cast.users.grassroots_admin, transfer=transfer, reason="员工留任")
    with pytest.raises(ValidationError, match="已撤回"):  # a stale copy: the locked row decides
        transfer_cancel(actor=cast.users.grassroots_admin, transfer=transfer, reason="再撤一次")


def test_cadre_withdraws_from_the_transfer_list(client, cast):
    transfer = _released(cast, days_ago=1)
    client.force_login(cast.users.grassroots_admin)
    assert "撤回原因" in client.get(reverse("members:transfers")).content.decode()
    client.post(reverse("members:transfer_cancel", args=[transfer.pk]), {"reason": "员工留任"})
    assert TransferRequest.objects.get(pk=transfer.pk).status == "cancelled"


def test_api_cancel_by_the_member(cast):
    api = ApiClient()
    transfer = transfer_start(actor=cast.users.worker, membership=cast.members.zhang, to_org=cast.orgs.logistics,
                              reason="换工作")  # fmt: skip
    r = api.post(url(f"/members/transfers/{transfer.pk}/cancel"), cast.users.worker, {"reason": "不转了"})
    assert r.status_code == 200 and r.json()["status"] == "cancelled"
    other = api.post(url(f"/members/transfers/{transfer.pk + 999}/cancel"), cast.users.worker, {"reason": "x"})
    assert other.status_code == 404


def test_a_released_transfer_left_unanswered_for_thirty_days_is_accepted(cast):
    waiting = _released(cast, days_ago=29)
    assert transfers_auto_accept(today=TODAY) == 0
    waiting.refresh_from_db()
    TransferRequest.objects.filter(pk=waiting.pk).update(released_at=waiting.released_at - dt.timedelta(days=1))
    assert transfers_auto_accept(today=TODAY) == 1
    waiting.refresh_from_db()
    assert waiting.status == "accepted" and waiting.decided_by is None
    new = waiting.new_membership
    assert new.org == cast.orgs.logistics and new.joined_on == cast.members.zhang.joined_on
    assert AuditEvent.objects.filter(action="transfer.accept", actor=None).exists()
    assert transfers_auto_accept(today=TODAY) == 0  # idempotent


def test_auto_accept_can_be_turned_off(cast, settings):
    settings.GONGHUI_MEMBERSHIP = {"transfer_auto_accept_days": None}
    _released(cast, days_ago=90)
    assert transfers_auto_accept(today=TODAY) == 0


# ----- 会籍预警 ----------------------------------------------------------------------------------------------------


@given(st.dates(dt.date(2000, 1, 1), dt.date(2100, 12, 31)), st.integers(0, 36))
def test_months_before_lands_on_the_same_day_or_the_month_end(day, months):
    earlier = _months_before(day, months)
    assert (day.year * 12 + day.month) - (earlier.year * 12 + earlier.month) == months
    assert earlier.day == day.day or (earlier + dt.timedelta(days=1)).day == 1


def _inactive_since(membership, day):
    Membership.objects.filter(pk=membership.pk).update(last_active_on=day)


def test_six_months_without_dues_or_activity_raises_one_warning(cast):
    zhang, li, wang = cast.members.zhang, cast.members.li, cast.members.wang
    _inactive_since(zhang, dt.date(2026, 5, 25))  # exactly six months
    _inactive_since(li, dt.date(2026, 5, 26))  # a day short
    Membership.objects.filter(pk=wang.pk).update(joined_on=dt.date(2020, 1, 1), last_active_on=None)
    assert lapse_warnings_raise(today=TODAY) == 2
    assert set(LapseWarning.objects.values_list("membership_id", flat=True)) == {zhang.pk, wang.pk}
    assert LapseWarning.objects.get(membership=wang).inactive_since == dt.date(2020, 1, 1)
    assert lapse_warnings_raise(today=TODAY) == 0  # one open warning per membership


def test_retirees_are_never_warned_and_retiring_lifts_a_warning(cast):
    _inactive_since(cast.members.zhang, dt.date(2025, 1, 1))
    lapse_warnings_raise(today=TODAY)
    membership_retire(actor=cast.users.grassroots_admin, membership=cast.members.zhang)
    assert LapseWarning.objects.get(membership=cast.members.zhang).status == "resolved"
    assert lapse_warnings_raise(today=TODAY) == 0


def test_paying_again_lifts_the_warning(cast):
    zhang = cast.members.zhang
    _inactive_since(zhang, dt.date(2025, 1, 1))
    lapse_warnings_raise(today=TODAY)
    memberships_mark_active(membership_ids=[zhang.pk], on=dt.date(2026, 11, 1))
    lapse_warnings_raise(today=TODAY)
    warning = LapseWarning.objects.get(membership=zhang)
    assert warning.status == "resolved" and warning.close_reason == "已恢复缴费或参加活动"


def test_lapse_only_after_a_recorded_talk(cast):
    zhang = cast.members.zhang
    _inactive_since(zhang, dt.date(2025, 1, 1))
    lapse_warnings_raise(today=timezone.localdate())
    warning = LapseWarning.objects.get(membership=zhang)
    admin = cast.users.grassroots_admin
    with pytest.raises(ValidationError, match="须先进行谈话教育"):
        membership_lapse(actor=admin, warning=warning)
    with pytest.raises(PermissionDenied):
        lapse_counsel(actor=cast.users.readonly, warning=warning, note="电话联系")
    with pytest.raises(ValidationError, match="谈话情况"):
        lapse_counsel(actor=admin, warning=warning, note="  ")
    warning = lapse_counsel(actor=admin, warning=warning, note="电话联系两次，本人表示不再参加")
    assert warning.status == "counselled"
    membership_lapse(actor=admin, warning=warning)
    zhang.refresh_from_db()
    assert zhang.status == "lapsed" and "经教育拒不改正" in zhang.end_reason
    assert LapseWarning.objects.get(pk=warning.pk).status == "lapsed"
    assert AuditEvent.objects.filter(action="lapse.counsel").exists()


def test_a_good_reason_lifts_the_warning_and_activity_after_the_talk_blocks_lapse(cast):
    admin = cast.users.grassroots_admin
    _inactive_since(cast.members.zhang, dt.date(2025, 1, 1))
    _inactive_since(cast.members.li, dt.date(2025, 1, 1))
    lapse_warnings_raise(today=timezone.localdate())
    sick = lapse_counsel(actor=admin, warning=LapseWarning.objects.get(membership=cast.members.zhang),
                         note="长期病假", good_reason=True)  # fmt: skip
    assert sick.status == "resolved"
    talked = lapse_counsel(actor=admin, warning=LapseWarning.objects.get(membership=cast.members.li), note="已谈话")
    memberships_mark_active(membership_ids=[cast.members.li.pk], on=timezone.localdate())
    with pytest.raises(ValidationError, match="不能除名"):
        membership_lapse(actor=admin, warning=talked)


def test_lapse_pages_and_scope(client, cast):
    _inactive_since(cast.members.zhang, dt.date(2025, 1, 1))
    _inactive_since(cast.members.wang, dt.date(2025, 1, 1))
    lapse_warnings_raise(today=timezone.localdate())
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("members:lapse")).content.decode()
    assert "张伟" in page and "王芳" not in page  # Jiangsu is out of scope
    warning = LapseWarning.objects.get(membership=cast.members.zhang)
    client.post(reverse("members:lapse_counsel", args=[warning.pk]), {"note": "上门谈话"})
    assert LapseWarning.objects.get(pk=warning.pk).status == "counselled"
    response = client.post(reverse("members:lapse_end", args=[warning.pk]), follow=True)
    assert "视为自动退会" in response.content.decode()
    other = LapseWarning.objects.get(membership=cast.members.wang)
    assert client.post(reverse("members:lapse_counsel", args=[other.pk]), {"note": "x"}).status_code == 404


def test_lapse_api(cast):
    api = ApiClient()
    _inactive_since(cast.members.zhang, dt.date(2025, 1, 1))
    lapse_warnings_raise(today=timezone.localdate())
    [item] = api.get(url("/members/lapse-warnings"), cast.users.grassroots_admin).json()["items"]
    assert item["person_name"] == "张伟" and item["status"] == "open"
    bad = api.post(url(f"/members/lapse-warnings/{item['id']}/lapse"), cast.users.grassroots_admin)
    assert bad.status_code == 400 and "谈话" in bad.json()["detail"]
    r = api.post(url(f"/members/lapse-warnings/{item['id']}/counsel"), cast.users.grassroots_admin, {"note": "已谈话"})
    assert r.json()["status"] == "counselled"
    r = api.post(url(f"/members/lapse-warnings/{item['id']}/lapse"), cast.users.grassroots_admin)
    assert r.status_code == 200 and r.json()["status"] == "lapsed"
    api.assert_no_personal_data()


def test_run_daily_runs_every_job_and_takes_a_date(cast):
    _inactive_since(cast.members.zhang, dt.date(2025, 1, 1))
    out = StringIO()
    call_command("run_daily", "--date", "2026-11-25", stdout=out)
    assert "会籍预警：1 条" in out.getvalue() and "转会超期自动接收：0 条" in out.getvalue()
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_daily", "--date", "2026/11/25")
