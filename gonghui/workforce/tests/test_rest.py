"""劳模疗休养 in batches, as a cadre uses the pages: a batch, enrolment of model workers whose care to-do has the
rest holiday, the capacity, the attendance after the batch marking the care item done; the export."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.core.models import ExportJob
from gonghui.core.tasks import export_task
from gonghui.testing.concurrency import at_once
from gonghui.workforce import services
from gonghui.workforce.models import CareItem, CareKind, RestBatch, RestEnrolment
from gonghui.workforce.tests.conftest import make_model_worker


def batch_form(cast, **changes):
    today = timezone.localdate()
    return {"org": cast.orgs.zhejiang.pk, "place": "莫干山劳模疗休养院", "starts_on": today, "ends_on": today,
            "capacity": 1} | changes  # fmt: skip


def test_a_cadre_runs_a_batch_from_enrolment_to_attendance(client, cast):
    zhang = make_model_worker(cast)
    li = make_model_worker(cast, cast.members.li.person)
    client.force_login(cast.users.province_admin)
    today = timezone.localdate()
    bad = client.post(reverse("workforce:rest_batch_new"), batch_form(cast, ends_on=today - dt.timedelta(days=1)))
    assert bad.status_code == 400 and "结束日期不能早于开始日期" in bad.content.decode()
    assert client.post(reverse("workforce:rest_batch_new"), batch_form(cast)).status_code == 302
    batch = RestBatch.objects.get()
    url = reverse("workforce:rest_batch", args=[batch.pk])
    enrol = reverse("workforce:rest_enrol", args=[batch.pk])
    # without this year's care plan nobody is offered, and the service says why
    page = client.get(url).content.decode()
    assert "没有可报名的劳模" in page
    with pytest.raises(Exception, match="请先生成年度关爱计划"):
        services.rest_enrol(actor=cast.users.province_admin, batch=batch, model_worker=zhang)
    client.post(reverse("workforce:care_open"), {"org": cast.orgs.zhejiang.pk, "year": today.year})
    assert client.post(enrol, {"model_worker": zhang.pk}).status_code == 302
    full = client.post(enrol, {"model_worker": li.pk}, follow=True).content.decode()
    assert "名额已满" in full
    assert list(RestEnrolment.objects.values_list("model_worker", flat=True)) == [zhang.pk]
    # the batch ends today: attendance now, once; the care item is done on the last day
    enrolment = RestEnrolment.objects.get()
    attendance = reverse("workforce:rest_attendance", args=[batch.pk])
    done = client.post(attendance, {"attended": [enrolment.pk]}, follow=True).content.decode()
    assert "1 人参加" in done and "已参加" in done
    item = CareItem.objects.get(model_worker=zhang, year=today.year, kind=CareKind.REST)
    assert item.done_on == today and item.done_by == cast.users.province_admin
    again = client.post(attendance, {"attended": []}, follow=True).content.decode()
    assert "参加情况已经登记" in again
    assert RestEnrolment.objects.get().attended is True
    # the list and its export; a sibling province sees nothing
    listing = client.get(reverse("workforce:rest_batches")).content.decode()
    assert "莫干山劳模疗休养院" in listing and "参加 1 人" in listing
    client.post(reverse("exports:list"), {"list": "workforce.rest_batches"})
    job = ExportJob.objects.get()
    export_task.call(job.pk)
    response = client.get(reverse("exports:download", args=[job.pk]))
    rows = [list(r) for r in load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
        values_only=True)]  # fmt: skip
    assert rows[0][:5] == ["地点", "开始日期", "结束日期", "名额", "报名人数"] and rows[1][4:6] == [1, 1]
    client.force_login(cast.users.sibling_admin)
    assert "莫干山劳模疗休养院" not in client.get(reverse("workforce:rest_batches")).content.decode()
    assert client.get(url).status_code == 404


def test_attendance_waits_for_the_end_and_a_worker_goes_once_a_year(client, cast):
    zhang = make_model_worker(cast)
    actor = cast.users.province_admin
    today = timezone.localdate()
    services.care_year_open(actor=actor, org=cast.orgs.zhejiang, year=today.year)
    later = today + dt.timedelta(days=1)
    if later.year != today.year:
        pytest.skip("the last day of the year has no later day in it")
    coming = services.rest_batch_create(actor=actor, org=cast.orgs.zhejiang, place="杭州疗休养基地", starts_on=later,
                                        ends_on=later, capacity=5)  # fmt: skip
    other = services.rest_batch_create(actor=actor, org=cast.orgs.zhejiang, place="千岛湖疗休养基地",
                                       starts_on=later, ends_on=later, capacity=5)  # fmt: skip
    row = services.rest_enrol(actor=actor, batch=coming, model_worker=zhang)
    with pytest.raises(Exception, match="每年只安排一次疗休养"):
        services.rest_enrol(actor=actor, batch=other, model_worker=zhang)
    client.force_login(actor)
    early = client.post(reverse("workforce:rest_attendance", args=[coming.pk]), {"attended": [row.pk]},
                        follow=True).content.decode()  # fmt: skip
    assert "结束后才能登记参加情况" in early
    assert RestEnrolment.objects.get().attended is None
    # a model worker outside the batch union's subtree is refused
    hz = services.rest_batch_create(actor=actor, org=cast.orgs.hangzhou, place="西湖疗休养基地", starts_on=later,
                                    ends_on=later, capacity=5)  # fmt: skip
    with pytest.raises(Exception, match="不是杭州市总工会及其下级工会管理的劳模"):
        services.rest_enrol(actor=actor, batch=hz, model_worker=zhang)


@pytest.mark.django_db(transaction=True)
def test_two_cadres_enrolling_at_once_never_exceed_the_places(cast):
    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    actor = cast.users.province_admin
    workers = [make_model_worker(cast), make_model_worker(cast, cast.members.li.person)]
    today = timezone.localdate()
    services.care_year_open(actor=actor, org=cast.orgs.zhejiang, year=today.year)
    batch = services.rest_batch_create(actor=actor, org=cast.orgs.zhejiang, place="杭州疗休养基地", starts_on=today,
                                       ends_on=today, capacity=1)  # fmt: skip
    outcomes = at_once([lambda w=w: services.rest_enrol(actor=actor, batch=batch, model_worker=w) for w in workers])
    errors = [o for o in outcomes if isinstance(o, str)]
    assert RestEnrolment.objects.filter(batch=batch).count() == 1
    assert len(errors) == 1 and "名额已满" in errors[0]
