"""五小创新和合理化建议 through the paths users take: a worker submits on the phone (errors in Chinese, nothing
saved), the company union reviews, adopts, assesses the benefit in yuan (kept in fen) and pays the reward; the
worker reads each step on their page and in their messages; a cadre enters a paper submission by ID number; the
list filters and exports; the overview figures add up over the tree; the API."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from gonghui.core.models import AuditEvent, ExportJob
from gonghui.core.registry import overview_figures
from gonghui.core.tasks import export_task
from gonghui.messages.models import Message
from gonghui.testing.api import ApiClient
from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID
from gonghui.workforce import selectors, services
from gonghui.workforce.models import Innovation

IDEA = {"kind": "renovation", "title": "数控车床快速换刀夹具", "unit": "机加工车间",
        "problem": "换刀一次要 20 分钟，停机时间长。", "proposal": "改用快换夹具，换刀缩短到 3 分钟。"}  # fmt: skip


def submit(cast, **changes):
    return services.innovation_submit(actor=cast.users.worker, **(IDEA | changes))


def step(client, innovation, to, **data):
    innovation.refresh_from_db()
    innovation.case.refresh_from_db()
    return client.post(reverse("workforce:innovation_step", args=[innovation.pk]),
                       {"to": to, "version": innovation.case.version, **data})  # fmt: skip


def test_a_worker_submits_on_the_phone_and_the_union_adopts_assesses_and_rewards(client, cast):
    client.force_login(cast.users.worker)
    home = client.get(reverse("portal:me")).content.decode()
    assert reverse("workforce:my_innovations") in home
    new = reverse("workforce:my_innovation_new")
    bad = client.post(new, IDEA | {"kind": "", "proposal": "请联系我 13812345678"})
    body = bad.content.decode()
    assert bad.status_code == 400 and "类别" in body and "不能含身份证号码或手机号码" in body
    assert not Innovation.objects.exists()
    response = client.post(new, IDEA)
    innovation = Innovation.objects.get()
    assert response.url == reverse("workforce:my_innovation", args=[innovation.pk])
    assert innovation.org == cast.orgs.company and innovation.person == cast.members.zhang.person
    assert innovation.channel == "phone" and innovation.status == "submitted"
    page = client.get(response.url).content.decode()
    assert "待初审" in page and "数控车床快速换刀夹具" in page
    # the worker cannot open the cadre's page, nor anyone else's idea
    assert client.get(reverse("workforce:innovation", args=[innovation.pk])).status_code == 403

    client.force_login(cast.users.grassroots_admin)
    listing = client.get(reverse("workforce:innovations")).content.decode()
    assert "数控车床快速换刀夹具" in listing and "张伟" in listing
    detail = client.get(reverse("workforce:innovation", args=[innovation.pk])).content.decode()
    assert 'data-move="review"' in detail and 'data-move="rejected"' in detail
    # a refusal needs a reason
    assert step(client, innovation, "rejected").status_code == 302
    innovation.refresh_from_db()
    assert innovation.status == "submitted"
    step(client, innovation, "review", note="材料齐全")
    step(client, innovation, "adopted")
    innovation.refresh_from_db()
    assert innovation.status == "adopted" and innovation.adopted_on == timezone.localdate()
    # the benefit: yuan with at most two decimals, a note on how it was assessed
    step(client, innovation, "assessed", amount="12,345.678", note="按减少停机时间测算")
    step(client, innovation, "assessed", amount="12,345.67")
    innovation.refresh_from_db()
    assert innovation.status == "adopted" and innovation.benefit_fen is None
    step(client, innovation, "assessed", amount="12,345.67", note="按减少停机时间测算")
    step(client, innovation, "rewarded", amount="0")
    innovation.refresh_from_db()
    assert innovation.benefit_fen == 1_234_567 and innovation.status == "assessed"
    step(client, innovation, "rewarded", amount="500")
    innovation.refresh_from_db()
    assert innovation.status == "rewarded" and innovation.reward_fen == 50_000
    assert innovation.rewarded_on == timezone.localdate()
    detail = client.get(reverse("workforce:innovation", args=[innovation.pk])).content.decode()
    assert "12,345.67" in detail and "500.00" in detail and "data-move" not in detail

    # the worker heard of every step and reads the result
    assert Message.objects.filter(user=cast.users.worker).count() == 4
    client.force_login(cast.users.worker)
    mine = client.get(reverse("workforce:my_innovation", args=[innovation.pk])).content.decode()
    assert "已奖励" in mine and "12,345.67" in mine and "按减少停机时间测算" in mine
    assert AuditEvent.objects.filter(action="workforce.innovation_advance").count() == 4


def test_a_worker_without_a_membership_in_force_is_told_so(client, cast):
    from gonghui.accounts.models import User

    outsider = User.objects.create(username="nomember", display_name="某职工")
    client.force_login(outsider)
    assert client.get(reverse("workforce:my_innovation_new")).status_code == 403
    assert client.get(reverse("workforce:my_innovations")).status_code == 200


def test_reviewers_outside_the_union_and_the_read_only_role_cannot_move_it(client, cast):
    innovation = submit(cast)
    for user, status in ((cast.users.sibling_admin, 404), (cast.users.readonly, 200)):
        client.force_login(user)
        assert client.get(reverse("workforce:innovation", args=[innovation.pk])).status_code == status
        step(client, innovation, "review")
        innovation.refresh_from_db()
        assert innovation.status == "submitted"
    # the province above the company may take the company union's step only if the table says so: level 0 is the
    # company's union and every writer whose scope covers it
    client.force_login(cast.users.province_admin)
    step(client, innovation, "review")
    innovation.refresh_from_db()
    assert innovation.status == "review"


def test_a_cadre_enters_a_paper_submission_by_id_number(client, cast):
    client.force_login(cast.users.grassroots_admin)
    new = reverse("workforce:innovation_new")
    form = IDEA | {"org": cast.orgs.company.pk, "kind": "rationalisation", "title": "仓库分区管理建议"}
    outside = client.post(new, form | {"id_number": WANG_FANG_ID})
    assert outside.status_code == 400 and "在您管理的工会中没有这位会员" in outside.content.decode()
    assert client.post(new, form | {"id_number": "12345"}).status_code == 400
    assert not Innovation.objects.exists()
    response = client.post(new, form | {"id_number": LI_NA_ID})
    innovation = Innovation.objects.get()
    assert response.url == reverse("workforce:innovation", args=[innovation.pk])
    assert innovation.person == cast.members.li.person and innovation.channel == "cadre"
    # 李娜 has no account: no message; a cadre who typed it in is not the proposer
    assert not Message.objects.exists()


def test_the_list_filters_exports_and_the_figures_add_up_over_the_tree(client, cast):
    adopted = submit(cast)
    submit(cast, title="包装线节能建议", kind="suggestion")
    actor = cast.users.grassroots_admin
    for to in ("review", "adopted"):
        adopted.case.refresh_from_db()
        services.innovation_advance(actor=actor, innovation=adopted, to=to, version=adopted.case.version)
    adopted.case.refresh_from_db()
    services.innovation_advance(actor=actor, innovation=adopted, to="assessed", version=adopted.case.version,
                                note="测算", benefit_fen=800_000)  # fmt: skip
    client.force_login(cast.users.province_admin)
    listing = client.get(reverse("workforce:innovations"), {"status": "assessed"}).content.decode()
    assert "数控车床快速换刀夹具" in listing and "包装线节能建议" not in listing
    assert 'data-figure="adopted">1 ' in listing or 'data-figure="adopted">1<' in listing

    figures = {f.key: f for f in overview_figures()}
    adopted_fig, benefit_fig = figures["workforce_innovations_adopted"], figures["workforce_innovations_benefit"]
    assert adopted_fig.value(cast.users.province_admin) == 1 and adopted_fig.value(cast.users.sibling_admin) == 0
    assert str(benefit_fig.value(cast.users.national_admin)) == "8000.00"
    assert adopted_fig.value_under(cast.orgs.xihu) == 1 and benefit_fig.value_under(cast.orgs.jiangsu) == 0
    assert adopted_fig.values_by_org() == {cast.orgs.company.pk: 1}
    assert str(benefit_fig.values_by_org()[cast.orgs.company.pk]) == "8000.00"

    client.post(reverse("exports:list"), {"list": "workforce.innovations", "kind": "renovation"})
    job = ExportJob.objects.get()
    export_task.call(job.pk)
    response = client.get(reverse("exports:download", args=[job.pk]))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    rows = [list(r) for r in book.active.iter_rows(values_only=True)]
    assert rows[0][:3] == ["名称", "类别", "提出人"] and len(rows) == 2
    assert rows[1][6] == "效益已核定，待奖励" and rows[1][8] == 8000
    assert AuditEvent.objects.filter(action="workforce.innovations.export").exists()


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


def test_the_api_submits_for_the_worker_and_lists_for_the_cadre(api, cast):
    bad = api.post("/api/v1/workforce/my/innovations", cast.users.worker, IDEA | {"kind": "patent"})
    assert bad.status_code == 400 and "请选择类别" in bad.json()["detail"]
    made = api.post("/api/v1/workforce/my/innovations", cast.users.worker, IDEA)
    assert made.status_code == 201 and made.json()["status_label"] == "待初审"
    assert made.json()["org_name"] == "杭州示例科技有限公司工会"
    assert [r["title"] for r in api.get("/api/v1/workforce/my/innovations", cast.users.worker).json()] == [
        IDEA["title"]
    ]
    assert api.get("/api/v1/workforce/innovations", cast.users.worker).status_code == 403
    assert api.get("/api/v1/workforce/innovations", cast.users.sibling_admin).json()["items"] == []
    listed = api.get("/api/v1/workforce/innovations", cast.users.province_admin).json()["items"]
    assert [r["title"] for r in listed] == [IDEA["title"]]
    entered = api.post("/api/v1/workforce/innovations", cast.users.grassroots_admin,
                       IDEA | {"org_id": cast.orgs.company.pk, "person_id": cast.members.li.person.pk})  # fmt: skip
    assert entered.status_code == 201
    assert selectors.own_innovations(cast.users.worker).count() == 1
