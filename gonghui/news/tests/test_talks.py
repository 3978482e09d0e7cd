"""宣讲与班组学习 through the pages: a cadre registers a talk with a model worker picked by search, uploads its
handout (encrypted), the member of the subtree sees it on the phone and signs in on the day (and only then),
the cadre sees who attended (masked without the unmask right), the list exports; the overview figure; the
retention of sign-ins and of contest attempts."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from gonghui.core import files
from gonghui.news import talk_selectors, talk_services
from gonghui.news.models import Talk, TalkAttendance, TalkMaterial

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def model_worker(cast):
    from gonghui.workforce.services import model_worker_add

    return model_worker_add(actor=None, org=cast.orgs.zhejiang, person=cast.members.li.person,
                            employer_name="杭州示例科技有限公司", occupation="高级技师")  # fmt: skip


def a_talk(cast, starts_at=None, **extra):
    fields = {"org": cast.orgs.company, "kind": "talk", "topic": "劳模工匠进车间", "place": "一号车间",
              "starts_at": starts_at or timezone.now() - dt.timedelta(minutes=10), "minutes": 60,
              "speaker_name": "市总宣讲团"} | extra  # fmt: skip
    return talk_services.talk_create(actor=cast.users.grassroots_admin, **fields)


def test_a_cadre_registers_a_talk_with_a_model_worker_found_by_name(client, cast, model_worker):
    client.force_login(cast.users.grassroots_admin)
    options = client.get(reverse("news:speaker_options"), {"speaker_q": "李"}).content.decode()
    assert f'value="{model_worker.pk}"' in options and "李娜" in options and "高级技师" in options
    assert "没有找到" in client.get(reverse("news:speaker_options"), {"speaker_q": "赵"}).content.decode()
    form = {"org": cast.orgs.company.pk, "kind": "talk", "topic": "精益求精的质量故事", "place": "一号车间",
            "starts_at": "2026-12-03T14:00", "minutes": 60, "speaker": model_worker.pk}  # fmt: skip
    bad = client.post(reverse("news:talk_new"), form | {"speaker": ""})
    assert bad.status_code == 400 and "请选择主讲劳模，或填写主讲人姓名" in bad.content.decode()
    response = client.post(reverse("news:talk_new"), form)
    talk = Talk.objects.get()
    assert response.status_code == 302 and (talk.speaker, talk.speaker_name) == (model_worker, "李娜")
    listing = client.get(reverse("news:talks"), {"q": "质量"}).content.decode()
    assert "精益求精的质量故事" in listing and "劳模" in listing
    client.force_login(cast.users.sibling_admin)  # 江苏: the registry of 浙江 is not theirs to pick from
    assert "李娜" not in client.get(reverse("news:speaker_options"), {"speaker_q": "李"}).content.decode()
    assert client.get(reverse("news:talk_detail", args=[talk.pk])).status_code == 404
    with pytest.raises(Exception, match="只能从本级、下属或上级工会的劳模名册中选择主讲人"):
        talk_services.talk_create(actor=cast.users.sibling_admin, org=cast.orgs.logistics, kind="talk", topic="x",
                                  place="y", starts_at=timezone.now(), minutes=30, speaker=model_worker)  # fmt: skip


def test_the_member_signs_in_on_the_day_and_the_cadre_sees_who(client, cast):
    today = a_talk(cast)
    later = a_talk(cast, topic="送教到基层：入会与权益", starts_at=timezone.now() + dt.timedelta(days=3))
    other = talk_services.talk_create(
        actor=None,
        org=cast.orgs.logistics,
        kind="study",
        topic="南京的班组学习",
        place="仓库",
        starts_at=timezone.now(),
        minutes=60,
        speaker_name="王",
    )
    client.force_login(cast.users.worker)
    page = client.get(reverse("news:my_talks")).content.decode()
    assert "劳模工匠进车间" in page and "送教到基层" in page and "南京的班组学习" not in page
    assert page.count("签到</button>") == 1  # only today's is open
    early = client.post(reverse("news:talk_checkin", args=[later.pk]), follow=True).content.decode()
    assert "签到从开始前 30 分钟开放" in early
    assert client.post(reverse("news:talk_checkin", args=[other.pk])).status_code == 404
    client.post(reverse("news:talk_checkin", args=[today.pk]))
    client.post(reverse("news:talk_checkin", args=[today.pk]))  # a second tap changes nothing
    today.refresh_from_db()
    assert today.attendance == 1 and TalkAttendance.objects.count() == 1
    assert "data-attended" in client.get(reverse("news:my_talks")).content.decode()
    with pytest.raises(Exception, match="签到已结束"):
        talk_services.talk_checkin(actor=cast.users.worker, talk=later, now=later.starts_at + dt.timedelta(hours=3))
    client.force_login(cast.users.grassroots_admin)  # may unmask
    assert "张伟" in client.get(reverse("news:talk_detail", args=[today.pk])).content.decode()
    client.force_login(cast.users.province_admin)
    detail = client.get(reverse("news:talk_detail", args=[today.pk])).content.decode()
    assert "张*" in detail and "张伟" not in detail and detail.count("data-attendee") == 1


def test_materials_are_stored_encrypted_and_served_to_the_talks_people(client, cast):
    talk = a_talk(cast)
    client.force_login(cast.users.grassroots_admin)
    refused = client.post(reverse("news:talk_material_add", args=[talk.pk]),
                          {"file": SimpleUploadedFile("a.pdf", b"MZ\x90\x00" + b"\x00" * 60)}, follow=True)  # fmt: skip
    assert "不接受可执行文件" in refused.content.decode() and not TalkMaterial.objects.exists()
    client.post(reverse("news:talk_material_add", args=[talk.pk]), {"file": SimpleUploadedFile("宣讲提纲.pdf", PDF)})
    material = TalkMaterial.objects.get()
    assert material.file_name == "宣讲提纲.pdf" and b"%PDF" not in files.path_of(material.file_path).read_bytes()
    for user, status in ((cast.users.grassroots_admin, 200), (cast.users.worker, 200), (cast.users.sibling_admin, 404)):
        client.force_login(user)
        response = client.get(reverse("news:talk_material", args=[material.pk]))
        assert response.status_code == status
        if status == 200:
            assert b"".join(response.streaming_content) == PDF


def test_the_list_exports_and_the_figure_counts_the_year(client, cast):
    a_talk(cast)
    a_talk(cast, topic="明年的宣讲", starts_at=timezone.now() + dt.timedelta(days=400))
    assert talk_selectors.talks_this_year(cast.users.province_admin) == 1
    assert talk_selectors.talks_this_year_under(cast.orgs.xihu) == 1
    assert talk_selectors.talks_this_year_under(cast.orgs.jiangsu) == 0
    assert talk_selectors.talks_this_year_by_org() == {cast.orgs.company.pk: 1}
    import io

    from openpyxl import load_workbook

    from gonghui.core.models import AuditEvent, ExportJob
    from gonghui.core.tasks import export_task

    client.force_login(cast.users.province_admin)
    client.post(reverse("exports:list"), {"list": "news.talks", "when": "past"})
    job = ExportJob.objects.get()
    export_task.call(job.pk)
    response = client.get(reverse("exports:download", args=[job.pk]))
    rows = [list(r) for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
        values_only=True)]  # fmt: skip
    assert rows[0][:3] == ["主题", "类型", "主办工会"] and [r[0] for r in rows[1:]] == ["劳模工匠进车间"]
    assert AuditEvent.objects.filter(action="news.talks.export").exists()


def test_retention_deletes_old_sign_ins_and_attempts(cast):
    from gonghui.news import contest_services
    from gonghui.news.models import Attempt
    from gonghui.news.tests.conftest import a_contest

    talk = a_talk(cast)
    talk_services.talk_checkin(actor=cast.users.worker, talk=talk)
    contest = a_contest(cast)
    contest_services.attempt_start(actor=cast.users.worker, contest=contest)
    later = timezone.now() + dt.timedelta(days=10)
    assert talk_services.attendance_delete(cutoff=timezone.now() - dt.timedelta(days=1), batch_size=10) == 0
    assert talk_services.attendance_delete(cutoff=later, batch_size=10) == 1
    assert contest_services.attempts_delete(cutoff=timezone.now(), batch_size=10) == 0  # the contest runs
    assert contest_services.attempts_delete(cutoff=later, batch_size=10) == 1 and not Attempt.objects.exists()
    talk.refresh_from_db()
    assert talk.attendance == 1  # the count stays
