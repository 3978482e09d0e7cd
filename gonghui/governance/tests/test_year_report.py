"""统计年报: the values of a node's subtree, the fixed xlsx layout and the PDF kept encrypted; a kept report does
not change when the records do; a closed year is final; the pages list, generate and download within scope."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.core import files, jobs
from gonghui.core.models import AuditEvent
from gonghui.core.spreadsheets import read_sheets
from gonghui.governance import services, yearly
from gonghui.governance.models import FigureMonth, YearReport, YearReportJob
from gonghui.governance.yearly import value_of
from gonghui.members.services import member_create
from gonghui.orgs.models import Org
from gonghui.testing.cast import valid_id

TODAY = timezone.localdate()
LAST = TODAY.year - 1


def _read(path: str) -> bytes:
    with files.open_private(path) as reader:
        return reader.read()


def test_the_values_of_a_subtree(cast):
    FigureMonth.objects.create(org=cast.orgs.zhejiang, key="dues_paid", month=dt.date(LAST, 11, 1), value=30,
                               computed_at=timezone.now())  # fmt: skip
    FigureMonth.objects.create(org=cast.orgs.zhejiang, key="dues_paid", month=dt.date(LAST, 12, 1), value=12,
                               computed_at=timezone.now())  # fmt: skip
    report = services.year_report_generate(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=LAST)
    values = report.values
    assert values["org"] == "浙江省总工会" and values["year"] == LAST and values["rollup_month"] == f"{LAST}-12"
    assert value_of(values, "orgs_province") == "1" and value_of(values, "orgs_grassroots") == "1"
    assert value_of(values, "orgs_total") == "5" and value_of(values, "orgs_status_active") == "5"
    assert value_of(values, "members_total") == "2"  # 张伟 and 李娜; 王芳 is in 江苏
    assert value_of(values, "members_migrant") == "1" and value_of(values, "members_gig") == "1"
    assert value_of(values, "figure_dues_paid") == "12" and value_of(values, "year_dues_paid") == "42"
    company = services.year_report_generate(actor=cast.users.grassroots_admin, org=cast.orgs.company, year=LAST)
    assert value_of(company.values, "coverage_union_rate") == "不适用"  # a grassroots union has no region to count
    assert value_of(company.values, "orgs_total") == "1"


def test_the_files_are_encrypted_in_the_fixed_layout(cast):
    report = services.year_report_generate(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=LAST)
    raw = files.path_of(report.xlsx_file).read_bytes()
    assert not raw.startswith(b"PK") and "浙江".encode() not in raw  # encrypted at rest
    rows = list(next(read_sheets(io.BytesIO(_read(report.xlsx_file)), "xlsx")).rows)
    assert rows[0] == ["栏目", "指标", "数值", "单位"] and rows[1][0] == f"浙江省总工会{LAST}年度统计年报"
    labels = [row[1] for row in rows[5:]]
    assert labels[:2] == ["全国总工会", "省级总工会"] and "建会率" in labels and "其中：女性会员" in labels
    assert len(labels) == sum(len(s["rows"]) for s in report.values["sections"])
    pdf = _read(report.pdf_file)
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf  # the Chinese font is embedded


def test_a_kept_report_does_not_change_when_the_records_do(cast, django_capture_on_commit_callbacks):
    report = services.year_report_generate(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=LAST)
    kept, xlsx, pdf = report.values, _read(report.xlsx_file), _read(report.pdf_file)
    member_create(actor=None, org=cast.orgs.company, name="赵敏", id_number=valid_id("33010619900101123"),
                  phone="13600003333", employment_form="courier", is_migrant=True)  # fmt: skip
    Org.objects.filter(pk=cast.orgs.xixi.pk).update(status=Org.Status.REVOKED)
    FigureMonth.objects.create(org=cast.orgs.zhejiang, key="dues_paid", month=dt.date(LAST, 12, 1), value=99,
                               computed_at=timezone.now())  # fmt: skip
    with pytest.raises(ValidationError, match="已经结束.*不能重新生成"):
        services.year_report_generate(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=LAST)
    report.refresh_from_db()
    assert report.values == kept and report.version == 1
    assert _read(report.xlsx_file) == xlsx and _read(report.pdf_file) == pdf
    # this year's report is a provisional one: generated again, it shows the records as they are now
    now = services.year_report_generate(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=TODAY.year)
    first_files = (now.xlsx_file, now.pdf_file)
    with django_capture_on_commit_callbacks(execute=True):
        again = services.year_report_generate(actor=cast.users.province_admin, org=cast.orgs.zhejiang,
                                              year=TODAY.year)  # fmt: skip
    assert again.pk == now.pk and again.version == 2 and YearReport.objects.count() == 2
    assert value_of(again.values, "members_total") == "3" and value_of(again.values, "orgs_status_revoked") == "1"
    assert not any(files.exists(path) for path in first_files)  # the replaced files are gone


def test_refusals_are_in_chinese_and_save_nothing(cast):
    with pytest.raises(ValidationError, match="年度应在"):
        services.year_report_generate(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=TODAY.year + 1)
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.year_report_generate(actor=cast.users.readonly, org=cast.orgs.zhejiang, year=LAST)
    assert not YearReport.objects.exists()


def test_the_pages_list_generate_and_download_within_scope(client, cast):
    client.force_login(cast.users.province_admin)
    url = reverse("governance:year_reports", args=[cast.orgs.zhejiang.pk])
    assert "尚未生成年报" in client.get(url).content.decode()
    response = client.post(url, {"year": LAST})
    job = YearReportJob.objects.get()  # a long job (core.jobs): queued, its page shows the progress
    assert response.status_code == 302 and response["Location"] == reverse("governance:year_report_job", args=[job.pk])
    assert not YearReport.objects.exists() and job.status == "running" and job.lease_owner.startswith(jobs.QUEUED)
    page = client.get(response["Location"]).content.decode()
    assert "生成中" in page and "已统计 0 / 4 个栏目" in page and "hx-trigger" in page
    assert client.post(url, {"year": LAST}).status_code == 302 and YearReportJob.objects.count() == 1  # the same
    services.year_report_run(job_id=job.pk)  # the worker
    page = client.get(response["Location"]).content.decode()
    report = YearReport.objects.get()
    assert "已完成" in page and reverse("governance:year_report", args=[report.pk]) in page and "hx-trigger" not in page
    body = client.get(reverse("governance:year_report", args=[report.pk])).content.decode()
    assert "二、会员" in body and "入会率" in body and "已定稿" in body
    response = client.post(url, {"year": LAST})
    assert response.status_code == 400 and "不能重新生成" in response.content.decode()
    response = client.get(reverse("governance:year_report_file", args=[report.pk, "pdf"]))
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert AuditEvent.objects.filter(action="governance.year_report_download").count() == 1
    assert client.get(reverse("governance:year_report_file", args=[report.pk, "doc"])).status_code == 404
    body = client.get(url).content.decode()
    assert f'data-report="{LAST}"' in body and "已定稿" in body
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("governance:year_report_job", args=[job.pk])).status_code == 404
    assert client.get(reverse("governance:year_report", args=[report.pk])).status_code == 404
    assert client.get(reverse("governance:year_report_file", args=[report.pk, "xlsx"])).status_code == 404


def test_a_job_whose_worker_died_resumes_at_its_next_section(cast, monkeypatch):
    job = services.year_report_request(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=LAST)
    done = [yearly.compute_section(cast.orgs.zhejiang, LAST, i) for i in range(2)]
    expired = timezone.now() - dt.timedelta(minutes=1)
    YearReportJob.objects.filter(pk=job.pk).update(values={"sections": done}, steps_done=2, lease_owner="dead:1:x",
                                                   lease_expires_at=expired)  # fmt: skip
    job.refresh_from_db()
    assert job.stalled and job.percent == 40
    assert jobs.resume_stalled() == 1  # queued again, once
    computed = []
    real = yearly.compute_section
    monkeypatch.setattr(yearly, "compute_section", lambda org, year, i: computed.append(i) or real(org, year, i))
    job = services.year_report_run(job_id=job.pk)
    assert computed == [2, 3] and job.status == "done" and job.percent == 100
    assert job.report.values == yearly.compute(cast.orgs.zhejiang, LAST, today=job.as_of)
    assert AuditEvent.objects.filter(action="governance.year_report_generate").count() == 1
    again = services.year_report_request(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=TODAY.year)
    with pytest.raises(ValidationError, match="不能重新生成"):
        services.year_report_request(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=LAST)
    assert again.status == "running"
