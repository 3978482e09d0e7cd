"""What each console action does, through HTTP: accounts, grants, policy, and the audit log pages."""

import datetime as dt
import json
import re
from unittest import mock

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from gonghui.accounts.models import Grant, SecurityPolicy, User
from gonghui.core.audit import (
    GENESIS,
    audit_checkpoint,
    audit_record,
    audit_seal,
    checkpoint_mac,
    current_ip,
    event_digest,
)
from gonghui.core.models import AuditEvent
from gonghui.testing.audit import forge_audit

CJK = re.compile(r"[\u4e00-\u9fff]")
UTC = dt.UTC


def _as(client, user):
    client.force_login(user)
    return client


# ── system admin ────────────────────────────────────────────────────────────────────────────────


def test_account_create_refuses_a_weak_password_in_chinese(client, admins):
    _as(client, admins.users.system_admin)
    data = {"username": "weak", "platform_role": "", "password1": "12345678", "password2": "12345678"}
    response = client.post(reverse("console:account_create"), data)
    assert response.status_code == 400
    errors = response.context["form"].errors["password1"]
    assert errors and all(CJK.search(message) for message in errors)
    assert not User.objects.filter(username="weak").exists()


def test_account_create_makes_a_platform_admin_with_one_role(client, admins):
    _as(client, admins.users.system_admin)
    data = {"username": "audit2", "display_name": "审计二", "platform_role": "audit",
            "password1": "Xihu-Union-2026!", "password2": "Xihu-Union-2026!"}  # fmt: skip
    response = client.post(reverse("console:account_create"), data)
    assert response.status_code == 302
    user = User.objects.get(username="audit2")
    assert user.platform_role == "audit" and user.check_password("Xihu-Union-2026!")
    assert AuditEvent.objects.filter(action="account.create", object_id=str(user.pk), actor=admins.users.system_admin)
    data |= {"username": "audit3", "platform_role": "system,audit"}
    assert client.post(reverse("console:account_create"), data).status_code == 400
    assert not User.objects.filter(username="audit3").exists()


def test_account_create_refuses_a_taken_username_and_mismatched_passwords(client, admins):
    _as(client, admins.users.system_admin)
    data = {"username": "zhejiang", "platform_role": "", "password1": "Xihu-Union-2026!", "password2": "other"}
    response = client.post(reverse("console:account_create"), data)
    assert response.status_code == 400
    assert "两次输入的密码不一致" in response.content.decode()
    data["password2"] = data["password1"]
    response = client.post(reverse("console:account_create"), data)
    assert response.status_code == 400
    assert "已被使用" in response.content.decode()


def test_account_list_searches_and_shows_no_personal_data(client, admins):
    _as(client, admins.users.system_admin)
    response = client.get(reverse("console:accounts"), {"q": "zhang"})
    rows = response.context["rows"]
    assert [u.username for u in rows] == ["zhangwei"]
    html = response.content.decode()
    assert "职工" in html and "138" not in html and "3301" not in html
    response = client.get(reverse("console:accounts"), {"role": "security"})
    assert [u.username for u in response.context["rows"]] == ["secadmin"]


def test_disable_ends_the_accounts_sessions_and_enable_restores_sign_in(client, admins):
    target = admins.users.province_admin
    theirs = Client()
    theirs.force_login(target)
    assert theirs.get(reverse("orgs:tree")).status_code == 200
    _as(client, admins.users.system_admin)
    assert client.post(reverse("console:account_disable", args=[target.pk])).status_code == 302
    target.refresh_from_db()
    assert not target.is_active
    response = theirs.get(reverse("orgs:tree"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("accounts:login"))
    assert AuditEvent.objects.filter(action="account.disable", object_id=str(target.pk)).get().detail == {
        "sessions_ended": 1
    }
    assert client.post(reverse("console:account_enable", args=[target.pk])).status_code == 302
    target.refresh_from_db()
    assert target.is_active
    assert AuditEvent.objects.filter(action="account.enable", object_id=str(target.pk),
                                     actor=admins.users.system_admin).exists()  # fmt: skip
    assert Client().login(username="zhejiang", password=admins.password)


def test_system_admin_cannot_disable_themselves(client, admins):
    me = admins.users.system_admin
    _as(client, me)
    response = client.post(reverse("console:account_disable", args=[me.pk]), follow=True)
    assert "不能停用自己的账号" in response.content.decode()
    me.refresh_from_db()
    assert me.is_active


# ── security admin ──────────────────────────────────────────────────────────────────────────────


def test_grant_create_and_revoke(client, admins):
    _as(client, admins.users.security_admin)
    holder = admins.users.sibling_admin
    data = {"username": holder.username, "org": admins.orgs.xihu.pk, "role": "staff", "can_unmask": "on"}
    assert client.post(reverse("console:grant_create"), data).status_code == 302
    grant = Grant.objects.get(user=holder, org=admins.orgs.xihu)
    assert (grant.role, grant.can_unmask) == ("staff", True)
    assert AuditEvent.objects.filter(action="grant.set", object_id=str(grant.pk), actor=admins.users.security_admin)
    listed = client.get(reverse("console:grants"), {"org_q": "西湖区", "username_q": "jiangsu"}).context["rows"]
    assert [g.pk for g in listed] == [grant.pk]
    assert client.post(reverse("console:grant_revoke", args=[grant.pk])).status_code == 302
    assert not Grant.objects.filter(pk=grant.pk).exists()
    assert AuditEvent.objects.filter(action="grant.revoke", object_id=str(grant.pk)).exists()


def test_grant_refused_to_platform_admins_and_unknown_accounts(client, admins):
    _as(client, admins.users.security_admin)
    data = {"username": admins.users.audit_admin.username, "org": admins.orgs.national.pk, "role": "readonly"}
    response = client.post(reverse("console:grant_create"), data)
    assert response.status_code == 400
    assert "系统、安全、审计管理员不能再被授予组织角色" in response.content.decode()
    assert f'value="{admins.orgs.national.pk}" selected' in response.content.decode()
    response = client.post(reverse("console:grant_create"), data | {"username": "nobody"})
    assert response.status_code == 400 and "没有这个账号" in response.content.decode()
    response = client.post(reverse("console:grant_create"), data | {"username": "jiangsu", "org": ""})
    assert response.status_code == 400 and "请搜索并选择组织" in response.content.decode()
    assert not Grant.objects.filter(user__platform_role__in=["system", "security", "audit"]).exists()


def test_org_options_search_by_name(client, admins):
    _as(client, admins.users.security_admin)
    html = client.get(reverse("console:grant_org_options"), {"org_q": "西湖区"}).content.decode()
    assert f'value="{admins.orgs.xihu.pk}"' in html
    assert "江苏" not in html
    assert (
        f'value="{admins.orgs.xihu.pk}"'
        in client.get(reverse("console:grant_org_options"), {"org_q": "hzsxh"}).content.decode()
    )


def test_policy_update_is_saved_and_audited_and_bounded(client, admins):
    _as(client, admins.users.security_admin)
    data = {"dengbao_mode": "on", "password_min_length": 14, "password_expiry_days": 60, "lockout_threshold": 4,
            "lockout_window_minutes": 20, "lockout_minutes": 45, "idle_timeout_minutes": 15,
            "session_lifetime_hours": 8}  # fmt: skip
    assert client.post(reverse("console:policy"), data).status_code == 302
    policy = SecurityPolicy.objects.get()
    assert (policy.dengbao_mode, policy.password_min_length, policy.lockout_minutes) == (True, 14, 45)
    event = AuditEvent.objects.get(action="policy.update")
    assert event.detail["changes"]["password_min_length"] == [12, 14]
    assert event.actor == admins.users.security_admin
    response = client.post(reverse("console:policy"), data | {"password_min_length": 6})
    assert response.status_code == 400
    assert SecurityPolicy.objects.get().password_min_length == 14


# ── audit admin ─────────────────────────────────────────────────────────────────────────────────


def _event_at(when: dt.datetime, **kwargs):
    with mock.patch("django.utils.timezone.now", return_value=when):
        return audit_record(**kwargs)


def _search(client, **params):
    return list(client.get(reverse("console:audit"), params).context["rows"])


def test_audit_search_filters(client, admins):
    _as(client, admins.users.audit_admin)
    org = admins.orgs.company
    early = _event_at(
        dt.datetime(2026, 3, 1, 23, 30, tzinfo=UTC),
        actor=admins.users.national_admin,
        action="member.unmask",
        obj=admins.members.zhang.person,
        org=org,
    )  # 3月2日 07:30 北京时间
    denied = _event_at(
        dt.datetime(2026, 3, 2, 15, 0, tzinfo=UTC), actor=admins.users.worker, action="access.denied", result="denied"
    )  # 3月2日 23:00 北京时间
    assert [e.pk for e in _search(client, since="2026-03-02", until="2026-03-02")] == [denied.pk, early.pk]
    assert _search(client, since="2026-03-01", until="2026-03-01") == []
    assert _search(client, since="2026-03-03", until="2026-03-03") == []
    assert [e.pk for e in _search(client, actor="national", action="member.")] == [early.pk]
    assert [e.pk for e in _search(client, result="denied", since="2026-03-02", until="2026-03-02")] == [denied.pk]
    assert [e.pk for e in _search(client, org="示例科技", action="member.unmask")] == [early.pk]
    found = _search(client, object_type="members.person", object_id=str(admins.members.zhang.person_id),
                    action="member.unmask")  # fmt: skip
    assert [e.pk for e in found] == [early.pk]
    html = client.get(reverse("console:audit"), {"since": "2026-03-02", "until": "2026-03-02"}).content.decode()
    assert "2026-03-02 07:30:00" in html and "2026-03-02 23:00:00" in html
    assert client.get(reverse("console:audit"), {"since": "2026-03-03", "until": "2026-03-01"}).status_code == 400


def test_audit_search_pages_newest_first(client, admins):
    _as(client, admins.users.audit_admin)
    for i in range(51):
        audit_record(actor=None, action="test.page", detail={"i": i})
    first = client.get(reverse("console:audit"), {"action": "test.page"}).context
    assert len(first["rows"]) == 50 and first["has_next"]
    assert first["rows"][0].detail == {"i": 50}
    second = client.get(reverse("console:audit"), {"action": "test.page", "page": 2}).context
    assert [e.detail for e in second["rows"]] == [{"i": 0}] and not second["has_next"]


def test_audit_detail_is_shown_masked(client, admins):
    _as(client, admins.users.audit_admin)
    audit_record(actor=None, action="test.mask", detail={"note": "电话 13812345678"})
    html = client.get(reverse("console:audit"), {"action": "test.mask"}).content.decode()
    assert "13812345678" not in html and "138****5678" in html


def test_audit_analysis_counts(client, admins):
    _as(client, admins.users.audit_admin)
    day1, day2 = dt.datetime(2026, 4, 1, 2, 0, tzinfo=UTC), dt.datetime(2026, 4, 1, 17, 0, tzinfo=UTC)  # 4/1, 4/2
    token = current_ip.set("10.0.0.9")
    try:
        for _ in range(3):
            _event_at(day1, actor=None, action="auth.login", result="failure", detail={"username": "x"})
        _event_at(day2, actor=admins.users.worker, action="access.denied", result="denied")
    finally:
        current_ip.reset(token)
    _event_at(day2, actor=admins.users.worker, action="auth.login")
    _event_at(dt.datetime(2026, 4, 5, 2, 0, tzinfo=UTC), actor=None, action="auth.login", result="failure")
    response = client.get(reverse("console:audit_analysis"), {"since": "2026-04-01", "until": "2026-04-02"})
    analysis = response.context["analysis"]
    assert analysis.total == 5
    by_action = {(r["action"], r["result"]): r["n"] for r in analysis.by_action}
    assert by_action == {("auth.login", "failure"): 3, ("access.denied", "denied"): 1, ("auth.login", "success"): 1}
    by_actor = {r["actor_name"]: (r["failures"], r["denials"]) for r in analysis.failures_by_actor}
    assert by_actor == {"": (3, 0), "zhangwei": (0, 1)}
    assert [(r["ip"], r["failures"], r["denials"]) for r in analysis.failures_by_ip] == [("10.0.0.9", 3, 1)]
    logins = [(r["day"], r["success"], r["failure"]) for r in analysis.logins_by_day]
    assert logins == [(dt.date(2026, 4, 1), 0, 3), (dt.date(2026, 4, 2), 1, 0)]
    assert "10.0.0.9" in response.content.decode()


def test_audit_analysis_is_four_aggregate_queries_whatever_the_volume(admins, django_assert_num_queries):
    from gonghui.console.selectors import audit_analysis, day_bounds

    for i in range(30):
        audit_record(actor=None, action=f"test.volume{i % 3}", result="failure")
    start, end = day_bounds(dt.date(2020, 1, 1), dt.date(2099, 12, 31))
    with django_assert_num_queries(4):
        analysis = audit_analysis(start=start, end=end)
    assert analysis.total >= 30


def test_chain_status_shows_ok_then_the_tampered_event(client, admins):
    _as(client, admins.users.audit_admin)
    audit_seal()
    total = AuditEvent.objects.count()
    response = client.get(reverse("console:audit_chain"))
    assert response.context["status"].report.checked == total
    assert 'id="chain-ok"' in response.content.decode()
    victim = AuditEvent.objects.get(seq=3)
    forge_audit("UPDATE core_auditevent SET action = %s WHERE id = %s", ["forged", victim.pk])
    html = client.get(reverse("console:audit_chain")).content.decode()
    assert 'id="chain-broken"' in html
    assert "序号 3" in html and f"事件编号 {victim.pk}" in html and "篡改" in html


def _verify_lines(lines: list[str]) -> list[dict]:
    """Re-verify an exported copy on its own: every row's hash from its fields, every link to the one before,
    every checkpoint's signature and the hash it pins."""
    rows = [json.loads(line) for line in lines]
    points = [row.pop("checkpoint") for row in rows if "checkpoint" in row]
    rows = [row for row in rows if row]
    hashes = {row["seq"]: row["hash"] for row in rows}
    for point in points:
        at = dt.datetime.fromisoformat(point["at"])
        assert checkpoint_mac(seq=point["seq"], hash=point["hash"], at=at, key_id=point["key_id"]) == point["mac"]
        assert hashes[point["seq"]] == point["hash"]
    prev = None
    for row in rows:
        event = AuditEvent(
            id=row["id"], at=dt.datetime.fromisoformat(row["at"]), actor_id=row["actor"],
            actor_name=row["actor_name"], org_id=row["org"], action=row["action"], object_type=row["object_type"],
            object_id=row["object_id"], result=row["result"], ip=row["ip"], detail=row["detail"],
        )  # fmt: skip
        assert event_digest(event, seq=row["seq"], prev_hash=row["prev_hash"], key_id=row["key_id"]) == row["hash"]
        if prev is not None:
            assert (row["seq"], row["prev_hash"]) == (prev["seq"] + 1, prev["hash"])
        prev = row
    return rows


def test_export_download_has_every_field_verifies_and_is_audited(client, admins):
    _as(client, admins.users.audit_admin)
    audit_record(actor=None, action="test.export", detail={"phone": "13812345678"})
    today = dt.date.today().isoformat()
    response = client.post(reverse("console:audit_export"), {"since": "2020-01-01", "until": "2099-12-31"})
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="audit-20200101-20991231.jsonl"'
    body = b"".join(response.streaming_content).decode()
    rows = _verify_lines(body.splitlines())
    assert rows[0]["prev_hash"] == GENESIS and rows[0]["seq"] == 1
    assert set(rows[0]) == {"id", "seq", "at", "actor", "actor_name", "org", "action", "object_type", "object_id",
                            "result", "ip", "detail", "prev_hash", "hash", "key_id"}  # fmt: skip
    assert "13812345678" not in body
    export = AuditEvent.objects.get(action="audit.export")
    assert export.actor == admins.users.audit_admin
    assert export.detail == {"since": "2020-01-01", "until": "2099-12-31", "count": len(rows) - 1, "via": "web"}
    assert rows[-1]["action"] == "audit.export"
    response = client.post(reverse("console:audit_export"), {"since": today, "until": "2020-01-01"})
    assert response.status_code == 400


def test_export_range_is_in_beijing_days(client, admins):
    _as(client, admins.users.audit_admin)
    inside = _event_at(dt.datetime(2026, 5, 1, 16, 30, tzinfo=UTC), actor=None, action="test.range")  # 5/2 00:30
    _event_at(dt.datetime(2026, 5, 1, 15, 30, tzinfo=UTC), actor=None, action="test.range")  # 5/1 23:30
    response = client.post(reverse("console:audit_export"), {"since": "2026-05-02", "until": "2026-05-02"})
    rows = [json.loads(line) for line in b"".join(response.streaming_content).decode().splitlines()]
    assert [r["id"] for r in rows] == [inside.pk]


def test_audit_export_command_writes_a_verifiable_file(admins, tmp_path):
    audit_record(actor=None, action="test.command")
    point = audit_checkpoint()
    out = tmp_path / "audit.jsonl"
    call_command("audit_export", since="2020-01-01", until="2099-12-31", out=str(out))
    lines = out.read_text(encoding="utf-8").splitlines()
    assert json.loads(lines[-1]) == {"checkpoint": {"seq": point.seq, "hash": point.hash, "at": point.at.isoformat(),
                                                    "key_id": point.key_id, "mac": point.mac}}  # fmt: skip
    rows = _verify_lines(lines)
    assert any(r["action"] == "test.command" for r in rows)
    assert all(r["hash"] for r in rows)
    assert AuditEvent.objects.get(action="audit.export").detail["via"] == "command"


@pytest.mark.django_db
def test_audit_export_command_refuses_bad_dates(tmp_path):
    from django.core.management import CommandError

    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("audit_export", since="2026/01/01", until="2026-01-02", out=str(tmp_path / "x"))
    with pytest.raises(CommandError, match="不能早于"):
        call_command("audit_export", since="2026-01-03", until="2026-01-02", out=str(tmp_path / "x"))


def test_system_admin_sets_a_rest_day_and_deadlines_follow(client, admins):
    from gonghui.core.models import WorkdayOverride
    from gonghui.core.workdays import add_working_days

    client.force_login(admins.users.system_admin)
    before = add_working_days(dt.date(2027, 1, 1), 1)
    response = client.post(reverse("console:calendar"), {"day": before.isoformat(), "is_workday": "0",
                                                         "note": "地方性假日"}, follow=True)  # fmt: skip
    assert "设为休息日" in response.content.decode() and "地方性假日" in response.content.decode()
    assert add_working_days(dt.date(2027, 1, 1), 1) > before
    assert AuditEvent.objects.filter(action="calendar.set", actor=admins.users.system_admin).exists()
    bad = client.post(reverse("console:calendar"), {"day": "2027-13-01", "is_workday": "0"})
    assert bad.status_code == 400 and "日期格式不正确" in bad.content.decode()
    override = WorkdayOverride.objects.get()
    client.post(reverse("console:calendar_delete", args=[override.pk]))
    assert not WorkdayOverride.objects.exists() and add_working_days(dt.date(2027, 1, 1), 1) == before
