"""The pages as people use them: a cadre registers a course, records a completion by ID number, imports a sheet
(dry run, error file, import), reads the report and exports; a worker checks in, sees the credits and downloads
the certificate, which anyone can verify."""

from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from gonghui.core.models import AuditEvent
from gonghui.learning import certificates
from gonghui.learning.models import CheckIn, Completion, Course
from gonghui.learning.tests.conftest import a_completion, a_course, sheet
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID


def test_a_cadre_registers_a_course_and_records_completions(client, cast):
    client.force_login(cast.users.grassroots_admin)
    form = {"org": cast.orgs.company.pk, "title": "班组长管理能力提升培训", "provider": "企业职工学校",
            "category": "skill", "mode": "offline", "hours": "12", "credits": "3", "starts_on": "2026-03-05",
            "ends_on": "2026-03-01"}  # fmt: skip
    refused = client.post("/learning/courses/new/", form)
    assert refused.status_code == 400 and "结束日期不能早于开始日期" in refused.content.decode()
    created = client.post("/learning/courses/new/", form | {"ends_on": "2026-03-06"})
    course = Course.objects.get(title="班组长管理能力提升培训")
    assert created.url == f"/learning/courses/{course.pk}/"
    wrong = client.post(f"/learning/courses/{course.pk}/completions/new/",
                        {"id_number": ZHANG_WEI_ID, "name": "张三", "completed_on": "2026-03-06"})  # fmt: skip
    assert wrong.status_code == 400 and "姓名与身份证号码对应的会员不一致" in wrong.content.decode()
    outside = client.post(f"/learning/courses/{course.pk}/completions/new/",
                          {"id_number": WANG_FANG_ID, "name": "王芳", "completed_on": "2026-03-06"})  # fmt: skip
    assert outside.status_code == 400 and "在您管理的工会中没有这位会员" in outside.content.decode()
    zhang = {"id_number": ZHANG_WEI_ID, "name": "张伟", "completed_on": "2026-03-06", "score": "91"}
    done = client.post(f"/learning/courses/{course.pk}/completions/new/", zhang)
    assert done.status_code == 302 and Completion.objects.get().credits == Decimal(3)
    page = client.get(f"/learning/courses/{course.pk}/").content.decode()
    assert "张*" in page and "张伟" not in page  # masked in the list
    check = client.post(f"/learning/courses/{course.pk}/completions/import/",
                        {"mode": "check", "file": sheet([["李娜", LI_NA_ID, "2026-03-06", "", ""],
                                                          ["张伟", ZHANG_WEI_ID, "2026-03-06", "", ""]])})  # fmt: skip
    body = check.content.decode()
    assert check.status_code == 200 and "共 2 行，其中 1 行有误" in body and "第 3 行：已有这门课程的结业记录" in body
    errors = client.post(f"/learning/courses/{course.pk}/completions/import/",
                         {"mode": "errors", "file": sheet([["张伟", ZHANG_WEI_ID, "2026-03-06", "", ""]])})  # fmt: skip
    assert errors["Content-Type"].startswith("application/vnd.openxmlformats")
    junk = SimpleUploadedFile("x.xlsx", b"not a workbook")
    assert (
        client.post(f"/learning/courses/{course.pk}/completions/import/", {"mode": "check", "file": junk}).status_code
        == 400
    )
    imported = client.post(f"/learning/courses/{course.pk}/completions/import/",
                           {"mode": "import", "file": sheet([["李娜", LI_NA_ID, "2026-03-06", "80", ""]])})  # fmt: skip
    assert imported.status_code == 302 and Completion.objects.count() == 2
    assert AuditEvent.objects.filter(action="learning.completions_import").exists()


def test_the_report_and_the_lists(client, cast):
    a_completion(cast)
    client.force_login(cast.users.province_admin)
    report = client.get("/learning/report/").content.decode()
    assert "浙江省总工会（合计）" in report and "杭州市总工会" in report
    drill = client.get(f"/learning/report/?org={cast.orgs.hangzhou.pk}").content.decode()
    assert "杭州市西湖区总工会" in drill
    client.force_login(cast.users.sibling_admin)
    assert client.get(f"/learning/report/?org={cast.orgs.hangzhou.pk}").status_code == 404
    assert "劳模工匠精神宣讲培训" not in client.get("/learning/").content.decode()
    client.force_login(cast.users.grassroots_admin)  # a course of the union above reaches the company's members
    assert "劳模工匠精神宣讲培训" in client.get("/learning/").content.decode()
    exported = client.post("/exports/", {"list": "learning.report"})
    assert exported.status_code in (200, 302)


def test_a_worker_checks_in_and_gets_the_certificate(client, cast):
    done = a_completion(cast, a_course(cast, credits="2"))
    client.force_login(cast.users.worker)
    page = client.get("/learning/me/").content.decode()
    assert "劳模工匠精神宣讲培训" in page and "data-credits-total>2.0<" in page
    refused = client.post("/learning/me/checkin/", {"title": "平凡的世界", "minutes": "0"})
    assert refused.status_code == 400 and "确保该值大于或等于1" in refused.content.decode()
    assert client.post("/learning/me/checkin/", {"title": "平凡的世界", "minutes": "60"}).status_code == 302
    assert CheckIn.objects.get().credits == 1
    assert "data-credits-total>3.0<" in client.get("/learning/me/").content.decode()
    pdf = client.get(f"/learning/certificates/{done.pk}.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(cast.users.sibling_admin)
    assert client.get(f"/learning/certificates/{done.pk}.pdf").status_code == 404
    client.logout()
    verified = client.get(f"/learning/verify/{certificates.certificate_code(done)}/").content.decode()
    assert "真实有效" in verified and "张*" in verified and "张伟" not in verified
