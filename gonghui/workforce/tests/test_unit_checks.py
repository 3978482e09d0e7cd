"""A unit nominated for 五一劳动奖状 from the round's page: each exclusion item answered with evidence before the
list goes, prefilled from the platform's records with the source shown (its union from the tree, wage-arrears
requests from the rights app); the refusal lists what is missing or present; the evidence is encrypted at rest
and its download audited. A person's round refuses a unit and a unit's round a person."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from gonghui.core import files
from gonghui.core.models import AuditEvent
from gonghui.rights.services import request_file
from gonghui.testing.cast import LI_NA_ID
from gonghui.workforce import selectors, services
from gonghui.workforce.models import ExclusionItem, Nomination, UnitCheck
from gonghui.workforce.tests.conftest import YEAR

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
USCC = "91330106MA2A0000X3"  # 杭州示例科技有限公司 (the cast's company)


def award_round(cast, title="may_day_award"):
    return services.round_create(actor=None, org=cast.orgs.zhejiang, name=f"{YEAR}年浙江省五一劳动奖状评选",
                                 title=title, year=YEAR)  # fmt: skip


def answer(client, nomination, item, present="0", content=PDF, name="证明.pdf"):
    return client.post(reverse("workforce:unit_check", args=[nomination.pk]),
                       {"item": item, "present": present, "note": "人社部门出具证明",
                        "file": SimpleUploadedFile(name, content)})  # fmt: skip


def test_a_unit_is_nominated_from_the_page_and_its_checks_gate_the_list(
    client, cast, django_capture_on_commit_callbacks
):
    round_ = award_round(cast)
    client.force_login(cast.users.grassroots_admin)
    assert reverse("workforce:nomination_new", args=[round_.pk]) in client.get(
        reverse("workforce:round", args=[round_.pk])).content.decode()  # fmt: skip
    new = reverse("workforce:nomination_new", args=[round_.pk])
    form = client.get(new).content.decode()
    assert "推荐单位（统一社会信用代码或全称）" in form and "身份证号" not in form
    data = {
        "org": cast.orgs.company.pk,
        "unit": "杭州西湖区，软件和信息技术服务业",
        "deeds": "连续五年无欠薪，职工满意度高。",
    }
    missing = client.post(new, data | {"employer": "不存在的公司"})
    assert missing.status_code == 400 and "找不到该单位" in missing.content.decode()
    response = client.post(new, data | {"employer": USCC.lower()})
    nomination = Nomination.objects.get()
    assert response.url == reverse("workforce:nomination", args=[nomination.pk])
    assert nomination.employer.name == "杭州示例科技有限公司" and nomination.person is None

    page = client.get(response.url).content.decode()
    assert "组织库：杭州示例科技有限公司工会" in page and "记录显示不存在该情形" in page
    assert "职工诉求：" in page and "没有针对该单位的拖欠工资诉求" in page
    assert "职代会：没有在任期内的届次" in page and "集体合同：没有生效的合同" in page

    # nothing answered: the list does not go, and the refusal names every missing item
    refused = client.post(reverse("workforce:round_submit", args=[round_.pk]), {"org": cast.orgs.company.pk},
                          follow=True).content.decode()  # fmt: skip
    assert "以下排除情形尚未核查" in refused and "欠缴社会保险费" in refused and "未建立工会" in refused
    nomination.refresh_from_db()
    assert nomination.case is None

    # a file that is no PDF or image is refused; then every item answered, one as present
    assert answer(client, nomination, "wage_arrears", content=b"just text", name="a.pdf").status_code == 302
    assert not UnitCheck.objects.exists()
    for item in ExclusionItem.values:
        answer(client, nomination, item, present="1" if item == "accident" else "0")
    assert UnitCheck.objects.count() == 5
    check = UnitCheck.objects.get(item="no_union")
    assert check.source.startswith("组织库：杭州示例科技有限公司工会")
    assert PDF not in files.path_of(check.evidence_file).read_bytes()  # encrypted at rest
    problems = services.list_check(round_, cast.orgs.company)
    assert problems == ["杭州示例科技有限公司：存在排除情形（近三年发生重大及以上生产安全事故），不能推荐。"]

    # answered again as not present, with new evidence (the old file is removed once committed)
    old = UnitCheck.objects.get(item="accident").evidence_file
    with django_capture_on_commit_callbacks(execute=True):
        answer(client, nomination, "accident", present="0")
    assert not files.exists(old)
    assert services.list_check(round_, cast.orgs.company) == []
    client.post(reverse("workforce:round_submit", args=[round_.pk]), {"org": cast.orgs.company.pk})
    nomination.refresh_from_db()
    assert nomination.case is not None and nomination.status == "notice1"
    assert nomination.case.notices.get().person_name == "杭州示例科技有限公司"
    # once submitted, the answers stay as they were
    answer(client, nomination, "accident", present="1")
    assert not UnitCheck.objects.get(item="accident").present

    # the organiser reads the evidence; the download is audited
    client.force_login(cast.users.province_admin)
    download = client.get(reverse("workforce:unit_check_file", args=[check.pk]))
    assert b"".join(download.streaming_content) == PDF
    assert AuditEvent.objects.filter(action="workforce.unit_check_download").exists()
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("workforce:unit_check_file", args=[check.pk])).status_code == 404


def test_wage_arrears_on_the_platform_prefill_the_answer(cast):
    request_file(actor=cast.users.worker, category="wages", description="公司拖欠三个月工资",
                 employer_name="杭州示例科技有限公司", employer_uscc=USCC)  # fmt: skip
    round_ = award_round(cast)
    employer = selectors.employer_named(USCC)
    nomination = services.nomination_add(actor=None, round=round_, org=cast.orgs.company, unit="杭州",
                                         categories=[], deeds="事迹", employer=employer)  # fmt: skip
    prefill = selectors.exclusion_prefill(nomination)
    assert prefill["wage_arrears"].present is True and "1 件拖欠工资诉求" in prefill["wage_arrears"].source
    assert prefill["no_union"].present is False and prefill["social_insurance"].present is None


def test_a_person_round_refuses_a_unit_and_a_unit_round_a_person(client, cast):
    medal = award_round(cast, title="may_day_medal")
    client.force_login(cast.users.grassroots_admin)
    new = reverse("workforce:nomination_new", args=[medal.pk])
    assert "推荐人选身份证号" in client.get(new).content.decode()
    response = client.post(new, {"org": cast.orgs.company.pk, "id_number": LI_NA_ID, "unit": "杭州示例科技有限公司",
                                 "categories": ["industrial"], "deeds": "攻克关键工艺难题"})  # fmt: skip
    assert response.url == reverse("workforce:round", args=[medal.pk])
    assert Nomination.objects.get().person == cast.members.li.person
    employer = selectors.employer_named(USCC)
    for round_, kwargs in ((medal, {"employer": employer}), (award_round(cast), {"person": cast.members.li.person})):
        with pytest.raises(ValidationError, match="推荐的是"):
            services.nomination_add(actor=None, round=round_, org=cast.orgs.company, unit="杭州", categories=[],
                                    deeds="事迹", **kwargs)  # fmt: skip
    # the read-only role and a union outside the round see no nomination form
    client.force_login(cast.users.readonly)
    assert client.get(new).status_code == 403
    client.force_login(cast.users.sibling_admin)
    assert client.get(new).status_code == 404
