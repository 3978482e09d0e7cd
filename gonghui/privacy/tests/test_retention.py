"""Retention periods per category, enforced by a task (docs/security.md §12)."""

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

from gonghui.accounts.models import LoginFailure
from gonghui.core.models import AuditEvent
from gonghui.members.models import Person
from gonghui.members.services import membership_end
from gonghui.privacy import services
from gonghui.privacy.models import DataExport
from gonghui.privacy.tasks import enforce_retention_task

LONG_AGO = dt.date(2020, 1, 1)


def _age_people(cast):
    Person.objects.update(created_at=timezone.now() - dt.timedelta(days=3000))


def test_phone_of_a_long_departed_member_is_erased(cast):
    _age_people(cast)
    membership_end(actor=None, membership=cast.members.li, status="withdrawn", reason="离职", ended_on=LONG_AGO)
    membership_end(actor=None, membership=cast.members.wang, status="withdrawn", reason="离职",
                   ended_on=timezone.localdate() - dt.timedelta(days=30))  # fmt: skip
    summary = services.retention_enforce()
    assert summary["inactive_phone"] == 1
    li, wang, zhang = (Person.objects.get(pk=m.person_id) for m in (cast.members.li, cast.members.wang,
                                                                      cast.members.zhang))  # fmt: skip
    assert li.phone_enc == li.phone_bidx == li.phone_masked == "" and li.id_number_enc
    assert wang.phone_enc and zhang.phone_enc  # recently departed; still a member
    assert services.retention_enforce()["inactive_phone"] == 0


def test_a_stored_rule_overrides_the_default(cast):
    _age_people(cast)
    membership_end(actor=None, membership=cast.members.wang, status="withdrawn", reason="离职",
                   ended_on=timezone.localdate() - dt.timedelta(days=30))  # fmt: skip
    services.retention_rule_set(actor=None, category="inactive_phone", days=10, action="erase")
    assert services.retention_enforce()["inactive_phone"] == 1


def test_old_login_failures_and_export_files_are_deleted(cast, settings):
    settings.GONGHUI_PRIVACY = {"batch_size": 2}
    old = [LoginFailure.objects.create(username=f"u{i}") for i in range(5)]
    LoginFailure.objects.filter(pk__in=[f.pk for f in old]).update(at=timezone.now() - dt.timedelta(days=200))
    recent = LoginFailure.objects.create(username="recent")
    request = services.request_create(actor=None, person=cast.members.zhang.person, kind="export")
    services.request_complete(actor=None, request=request)
    fresh = services.request_create(actor=None, person=cast.members.li.person, kind="export")
    services.request_complete(actor=None, request=fresh)
    DataExport.objects.filter(request=request).update(created_at=timezone.now() - dt.timedelta(days=8))
    summary = services.retention_enforce()
    assert summary["login_failure"] == 5 and summary["data_export"] == 1
    assert list(LoginFailure.objects.values_list("pk", flat=True)) == [recent.pk]
    assert list(DataExport.objects.values_list("request_id", flat=True)) == [fresh.pk]
    event = AuditEvent.objects.get(action="privacy.retention.enforce")
    assert event.detail == summary


def test_task_and_command(cast, capsys):
    LoginFailure.objects.create(username="x")
    LoginFailure.objects.update(at=timezone.now() - dt.timedelta(days=365))
    assert enforce_retention_task.call()["login_failure"] == 1
    call_command("privacy_enforce_retention")
    out = capsys.readouterr().out
    assert "登录失败记录：处理 0 条" in out and "无有效会籍人员的手机号码" in out
    assert AuditEvent.objects.filter(action="privacy.retention.enforce").count() == 2
