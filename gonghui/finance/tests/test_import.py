"""收缴导入 through the pages: upload, the dry run (row refusals and the posting's own, nothing posted), the error
file, the commit in batches (one audit event per batch), and a commit that stops and resumes from its cursor."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from python_calamine import CalamineWorkbook

from gonghui.core import jobs
from gonghui.core.models import AuditEvent
from gonghui.core.spreadsheets import write_xlsx
from gonghui.finance import imports
from gonghui.finance.models import Collection, CollectionImport, FundDeclaration, Line, Period, Share
from gonghui.finance.policy import FinancePolicy
from gonghui.finance.tests.conftest import zhejiang_rule
from gonghui.members.models import Employer
from gonghui.testing.cast import add_org

TECH = "91330106MA2A0000X3"


def sheet(rows, name="收缴明细.xlsx") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    write_xlsx(buffer, [("收缴明细", list(imports.HEADER), rows)])
    return SimpleUploadedFile(name, buffer.getvalue())


def more_unions(cast, n):
    out = []
    for i in range(n):
        employer = Employer.objects.create(name=f"导入测试企业{i}", uscc=f"91330106MA2D{i:04d}X3")
        out.append(add_org(cast.orgs.xihu, f"导入测试企业{i}工会", "grassroots", "330106", employer=employer))
    return out


def upload(client, cast, rows, org=None):
    client.force_login(cast.users.province_admin)
    org = org or cast.orgs.hangzhou
    response = client.post(reverse("finance:imports"), {"org": org.pk, "file": sheet(rows)})
    assert response.status_code == 302, response.content.decode()[:2000]
    job = CollectionImport.objects.latest("pk")
    imports.check(job=job)  # the task body (the queue is not run in tests)
    job.refresh_from_db()
    return job


def rows_for(unions, month="2026-03", received="2026-04-15"):
    return [[u.employer.uscc, u.employer.name, month, "100000", "2000", received, "税务代收"] for u in unions]


@pytest.fixture
def small_batches(monkeypatch):
    policy = FinancePolicy(import_batch_rows=2)
    monkeypatch.setattr("gonghui.finance.imports.finance_policy", lambda: policy)


def test_dry_run_then_commit_in_batches(client, cast, small_batches):
    zhejiang_rule(cast)
    unions = more_unions(cast, 4)
    job = upload(client, cast, rows_for(unions) + [[TECH, "", "2026年3月", "1234567.89", "24691.36", "2026-04-15",
                                                    "工会直接收缴"]])  # fmt: skip
    assert job.status == "checked" and job.errors == [] and job.rows_total == 5, job.error
    assert job.amount_fen == 4 * 200_000 + 2_469_136
    assert not Line.objects.exists() and not FundDeclaration.objects.exists()  # the dry run posted nothing
    page = client.get(reverse("finance:import_job", args=[job.pk])).content.decode()
    assert "预检通过" in page and "确认导入" in page
    before = AuditEvent.objects.filter(action="finance.collection.batch").count()
    response = client.post(reverse("finance:import_commit", args=[job.pk]))
    assert response.status_code == 302
    imports.run(job=job)
    job.refresh_from_db()
    assert job.status == "committed" and job.cursor == 5
    assert AuditEvent.objects.filter(action="finance.collection.batch").count() == before + 3  # 2 + 2 + 1 rows
    assert Collection.objects.count() == 5
    assert Collection.objects.filter(route="tax").count() == 4
    for c in Collection.objects.all():
        assert sum(Share.objects.filter(collection=c).values_list("amount_fen", flat=True)) == c.amount_fen
    assert FundDeclaration.objects.get(employer__uscc=TECH).collected_fen == 2_469_136
    assert "已入账" in client.get(reverse("finance:import_job", args=[job.pk])).content.decode()


def test_wrong_rows_are_listed_and_downloadable_and_nothing_posts(client, cast):
    zhejiang_rule(cast)
    unions = more_unions(cast, 2)
    bad = [
        ["91330106MA2Z9999X3", "", "2026-03", "100000", "2000", "2026-04-15", ""],  # unknown employer
        [unions[0].employer.uscc, "", "2026-13", "100000", "abc", "2026-04-15", "现金"],  # three reasons
        [unions[1].employer.uscc, "", "2026-03", "100000", "2001", "2026-04-15", ""],  # more than the 2% due
    ]
    job = upload(client, cast, bad)
    assert [e[0] for e in job.errors] == [2, 3]  # the row checks first; the posting is rehearsed once they pass
    assert "没有对应的已登记单位" in job.errors[0][-1]
    assert "所属月份 2026-13 不存在" in job.errors[1][-1] and "不是数字" in job.errors[1][-1]
    assert "收缴方式应为" in job.errors[1][-1]
    page = client.get(reverse("finance:import_job", args=[job.pk])).content.decode()
    assert "有 2 行有误，未入账任何收缴" in page and "确认导入</button>" not in page
    response = client.get(reverse("finance:import_errors", args=[job.pk]))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    rows = book.get_sheet_by_index(0).to_python()
    assert rows[0][-1] == "错误原因" and len(rows) == 3
    response = client.post(reverse("finance:import_commit", args=[job.pk]), follow=True)
    assert "预检有 2 行有误" in response.content.decode()
    assert not Line.objects.exists()
    # the third row alone: more than the 2% of its payroll
    job = upload(client, cast, bad[2:])
    assert job.errors[0][0] == 2 and "合计实缴超过应缴未缴的 2000.00 元" in job.errors[0][-1]


def test_payments_across_batches_are_held_against_what_is_owed(client, cast, small_batches):
    zhejiang_rule(cast)
    union = more_unions(cast, 1)[0]
    row = [union.employer.uscc, "", "2026-03", "100000", "800", "2026-04-15", ""]
    job = upload(client, cast, [row, row, row])  # 2,400 yuan paid against 2,000 due, over two batches
    assert [e[0] for e in job.errors] == [2, 3, 4] and "合计实缴超过应缴未缴的 2000.00 元" in job.errors[0][-1]


def test_rehearsal_reports_a_closed_month(client, cast):
    zhejiang_rule(cast)
    unions = more_unions(cast, 1)
    Period.objects.create(
        org=cast.orgs.xihu, month=dt.date(2026, 4, 1), closed_at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC)
    )
    job = upload(client, cast, rows_for(unions))
    assert "杭州市西湖区总工会2026年4月已结账" in job.errors[0][-1]


def test_a_union_outside_the_subtree_and_reserve_at_a_grassroots_union_are_refused(client, cast):
    zhejiang_rule(cast)
    Employer.objects.create(name="未建会企业", uscc="91330106MA2C0001X3")
    rows = [[cast.orgs.logistics.employer.uscc if cast.orgs.logistics.employer else "", "", "2026-03", "100000", "1",
             "2026-04-15", ""], ["91330106MA2C0001X3", "", "2026-03", "100000", "1", "2026-04-15", ""]]  # fmt: skip
    job = upload(client, cast, rows, org=cast.orgs.company)
    assert "尚未建立工会，建会筹备金应由县级以上总工会导入" in job.errors[-1][-1]
    employer = Employer.objects.create(name="南京单位", uscc="91320102MA2E0001X3")
    add_org(cast.orgs.xuanwu, "南京单位工会", "grassroots", "320102", employer=employer)
    client.force_login(cast.users.national_admin)
    response = client.post(reverse("finance:imports"), {"org": cast.orgs.zhejiang.pk, "file": sheet(
        [[employer.uscc, "", "2026-03", "100000", "1", "2026-04-15", ""]])})  # fmt: skip
    job = CollectionImport.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    imports.check(job=job)
    job.refresh_from_db()
    assert "不在浙江省总工会之下" in job.errors[0][-1]


def test_commit_stops_at_a_refused_batch_and_resumes_from_its_cursor(client, cast, small_batches):
    zhejiang_rule(cast)
    unions = more_unions(cast, 4)
    job = upload(client, cast, rows_for(unions))
    assert job.errors == []
    client.post(reverse("finance:import_commit", args=[job.pk]))
    # the month closes at one union after the dry run: the second batch is refused, the first stays posted
    closed = Period.objects.create(org=unions[2], month=dt.date(2026, 4, 1),
                                   closed_at=dt.datetime(2026, 5, 2, tzinfo=dt.UTC))  # fmt: skip
    imports.run(job=job)
    job.refresh_from_db()
    assert job.status == "failed" and job.cursor == 2 and Collection.objects.count() == 2
    assert "第 4 行" in job.error and "已入账" in job.error
    page = client.get(reverse("finance:import_job", args=[job.pk])).content.decode()
    assert "继续导入" in page
    Period.objects.filter(pk=closed.pk).delete()  # reopened (as a fix would be made)
    client.post(reverse("finance:import_commit", args=[job.pk]))
    imports.run(job=job)
    job.refresh_from_db()
    assert job.status == "committed" and job.cursor == 4 and Collection.objects.count() == 4
    imports.run(job=job)  # running it again posts nothing twice
    assert Collection.objects.count() == 4


def test_a_stalled_commit_is_resumed_by_the_runner(client, cast, small_batches):
    zhejiang_rule(cast)
    job = upload(client, cast, rows_for(more_unions(cast, 3)))
    client.post(reverse("finance:import_commit", args=[job.pk]))
    # a worker took the lease and died: its lease runs out, the runner puts the job back on the queue once
    CollectionImport.objects.filter(pk=job.pk).update(
        lease_owner="dead:1", lease_expires_at=dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    )
    job.refresh_from_db()
    assert job.stalled
    assert "已停滞" in client.get(reverse("finance:import_job", args=[job.pk])).content.decode()
    assert jobs.resume(job)
    imports.run(job=job)
    job.refresh_from_db()
    assert job.status == "committed" and Collection.objects.count() == 3


def test_template_and_readonly(client, cast):
    client.force_login(cast.users.readonly)
    response = client.get(reverse("finance:import_template"))
    book = CalamineWorkbook.from_filelike(io.BytesIO(response.content))
    assert tuple(book.get_sheet_by_index(0).to_python()[0]) == imports.HEADER
    response = client.post(reverse("finance:imports"), {"org": cast.orgs.zhejiang.pk, "file": sheet([])})
    assert response.status_code == 403


def test_statement_files_expire_after_90_days_and_the_record_stays(client, cast, django_capture_on_commit_callbacks):
    """Through the retention enforcement every category goes through (privacy, daily): files uploaded more than
    90 days before are deleted, a commit asked for afterwards is refused, the page says the file expired; a
    recent file and one whose commit is under way are kept."""
    from django.utils import timezone

    from gonghui.core import files
    from gonghui.privacy.services import retention_enforce

    zhejiang_rule(cast)
    unions = more_unions(cast, 3)
    checked, running, recent = (upload(client, cast, rows_for([u])) for u in unions)
    old = timezone.now() - dt.timedelta(days=91)
    CollectionImport.objects.filter(pk__in=[checked.pk, running.pk]).update(created_at=old)
    CollectionImport.objects.filter(pk=running.pk).update(status=CollectionImport.Status.COMMITTING)
    stored = checked.file_path
    assert files.exists(stored)
    with django_capture_on_commit_callbacks(execute=True):  # the files go once the batch commits
        assert retention_enforce()["finance_import_file"] == 1
    assert not files.exists(stored)
    for job in (checked, running, recent):
        job.refresh_from_db()
    assert checked.file_path == "" and checked.file_expired_at is not None and checked.status == "checked"
    assert files.exists(running.file_path) and running.file_expired_at is None
    assert files.exists(recent.file_path) and recent.file_expired_at is None
    page = client.get(reverse("finance:import_job", args=[checked.pk])).content.decode()
    assert "按保存期限到期删除" in page
    response = client.post(reverse("finance:import_commit", args=[checked.pk]), follow=True)
    assert "上传的文件已过期删除" in response.content.decode() and not Collection.objects.exists()
    assert retention_enforce()["finance_import_file"] == 0  # once
