"""The pages as a cadre uses them: the grassroots admin forms the committee and is told in Chinese why the
chair may not sit on it; the finance side reports the rectification and the committee's director closes it;
the lists narrow to the user's subtree and export; the issued report downloads as PDF and xlsx."""

import datetime as dt
import io

from django.urls import reverse
from openpyxl import load_workbook

from gonghui.cases.models import Case
from gonghui.core.models import AuditEvent, ExportJob
from gonghui.core.tasks import export_task
from gonghui.fundreview.models import Committee, Finding, Report
from gonghui.fundreview.tests.conftest import make_finding, make_plan, reviewer, today


def test_forming_the_committee_keeps_the_chair_off(client, cast):
    org = cast.orgs.company
    client.force_login(cast.users.grassroots_admin)
    start = today().replace(month=1, day=1)
    response = client.post(reverse("fundreview:committee_new"), {
        "org": org.pk, "term_start": start, "term_end": start.replace(year=start.year + 5) - dt.timedelta(days=1),
        "elected_on": start}, follow=True)  # fmt: skip
    assert "已登记经费审查委员会" in response.content.decode()
    committee = Committee.objects.get(org=org)
    client.post(reverse("fundreview:officer_new"), {"org": org.pk, "card_number": cast.members.li.card_number,
                                                    "post": "chair", "since": "2023-05-01", "account": ""})  # fmt: skip
    response = client.post(reverse("fundreview:member_add"), {
        "org": org.pk, "card_number": cast.members.li.card_number, "role": "director", "account": ""},
        follow=True)  # fmt: skip
    page = response.content.decode()
    assert (
        "李娜现任本会工会主席（2023-05-01起），工会主席、分管财务的副主席和财务人员不得担任经费审查委员会委员。" in page
    )
    assert not committee.members.exists()
    response = client.post(reverse("fundreview:member_add"), {
        "org": org.pk, "card_number": cast.members.zhang.card_number, "role": "director", "account": "lina"},
        follow=True)  # fmt: skip
    assert "没有这个工作账号" in response.content.decode()
    reviewer(cast)
    response = client.post(reverse("fundreview:member_add"), {
        "org": org.pk, "card_number": cast.members.zhang.card_number, "role": "director", "account": "lina"},
        follow=True)  # fmt: skip
    assert "已增补张伟为主任" in response.content.decode()
    assert committee.members.get().account == cast.users.reviewer


def test_rectification_through_the_pages(client, cast):
    finding = make_finding(cast)
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("fundreview:finding", args=[finding.pk])).content.decode()
    assert "报送整改情况" in page and "确认整改完成" not in page
    client.post(reverse("fundreview:finding_respond", args=[finding.pk]),
                {"version": finding.case.version, "response": "已补齐签收记录。"})  # fmt: skip
    finding.refresh_from_db()
    assert finding.status == Finding.Status.RESPONDED
    page = client.get(reverse("fundreview:finding", args=[finding.pk])).content.decode()
    assert "等待本会经费审查委员会委员确认整改情况" in page
    client.force_login(reviewer(cast))
    page = client.get(reverse("fundreview:finding", args=[finding.pk])).content.decode()
    assert "确认整改完成（销号）" in page
    close = reverse("fundreview:finding_close", args=[finding.pk])
    version = Case.objects.get(pk=finding.case_id).version
    response = client.post(close, {"version": version, "decision": "return", "note": ""}, follow=True)
    assert "“退回重新整改”须填写理由。" in response.content.decode()
    response = client.post(close, {"version": version, "decision": "accept", "note": "同意"}, follow=True)
    assert "已确认整改完成，问题销号。" in response.content.decode()
    finding.refresh_from_db()
    assert finding.status == Finding.Status.CLOSED and finding.closed_by == cast.users.reviewer


def test_lists_follow_scope_and_export(client, cast, django_assert_max_num_queries):
    plan = make_plan(cast)
    for n in range(3):
        make_finding(cast, plan, title=f"问题{n}")
    client.force_login(cast.users.province_admin)
    with django_assert_max_num_queries(25):
        page = client.get(reverse("fundreview:findings"), {"status": "open"}).content.decode()
    assert "问题0" in page and "问题2" in page
    assert "年度预算执行情况审查" in client.get(reverse("fundreview:plans")).content.decode()
    client.post(reverse("exports:list"), {"list": "fundreview.findings", "status": "open"})
    job = ExportJob.objects.get()
    export_task.call(job.pk)
    response = client.get(reverse("exports:download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0][:3] == ["被审查工会", "审查事项", "问题"] and len(rows) == 4
    assert AuditEvent.objects.filter(action="fundreview.findings.export").exists()
    client.force_login(cast.users.sibling_admin)
    assert "没有符合条件的问题" in client.get(reverse("fundreview:findings")).content.decode()
    assert client.get(reverse("fundreview:findings"), {"org": cast.orgs.company.pk}).status_code == 404


def test_the_report_is_issued_once_and_downloads(client, cast):
    make_finding(cast)
    client.force_login(cast.users.grassroots_admin)
    url = reverse("fundreview:report_issue")
    response = client.post(url, {"org": cast.orgs.company.pk, "year": today().year}, follow=True)
    assert "年度经费审查工作报告" in response.content.decode()
    response = client.post(url, {"org": cast.orgs.company.pk, "year": today().year}, follow=True)
    assert "已经签发，不能重复签发" in response.content.decode()
    report = Report.objects.get()
    pdf = client.get(reverse("fundreview:report_file", args=[report.pk, "pdf"]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    xlsx = client.get(reverse("fundreview:report_file", args=[report.pk, "xlsx"]))
    assert load_workbook(io.BytesIO(xlsx.content))["概况"]["B2"].value == cast.orgs.company.name
    assert client.get(reverse("fundreview:report_file", args=[report.pk, "doc"])).status_code == 404


def test_the_home_page_shows_the_union_at_a_glance(client, cast):
    make_finding(cast)
    client.force_login(cast.users.grassroots_admin)
    page = client.get(reverse("fundreview:home")).content.decode()
    assert "李娜" in page and "主任" in page and "慰问品发放缺少签收" in page and "年度预算执行情况审查" in page
    client.force_login(cast.users.readonly)
    page = client.get(reverse("fundreview:home"), {"org": cast.orgs.company.pk}).content.decode()
    assert "增补委员" not in page and "制定审查计划" not in page
