"""The cadre's entry pages as a cadre types into them: a competition with a team event, a team of three found by
ID number, a judge; a model worker with the first honour; a studio with an achievement; a selection round with
quotas and a share rule. Bad input gives a Chinese error on the page (400) and saves nothing."""

from django.urls import reverse

from gonghui.core.models import AuditEvent
from gonghui.members.services import member_create
from gonghui.testing.cast import LI_NA_ID, ZHANG_WEI_ID, valid_id
from gonghui.workforce.models import (
    Achievement,
    Competition,
    Competitor,
    Entry,
    Event,
    HonourAward,
    Judge,
    ModelWorker,
    SelectionRound,
    Studio,
)
from gonghui.workforce.tests.conftest import YEAR, judge_user

ZHAO_ID = valid_id("33010619880101003")
OUTSIDER_ID = valid_id("32010219800101001")


def test_a_cadre_enters_a_competition_a_team_event_a_team_of_three_and_a_judge(client, cast):
    member_create(actor=None, org=cast.orgs.company, name="赵强", id_number=ZHAO_ID, phone="13500007777")
    client.force_login(cast.users.province_admin)
    assert "登记竞赛" in client.get(reverse("workforce:competitions")).content.decode()
    new = reverse("workforce:competition_new")
    bad = client.post(new, {"org": cast.orgs.zhejiang.pk, "name": "大赛", "year": YEAR, "theory_weight": "0.5",
                            "award_shares": "10,20,30"})  # fmt: skip
    assert bad.status_code == 400 and "0.3" in bad.content.decode() and not Competition.objects.exists()
    response = client.post(new, {"org": cast.orgs.zhejiang.pk, "name": "2026年浙江省职工职业技能大赛", "year": YEAR,
                                 "theory_weight": "0.2", "award_shares": "10，20，30"})  # fmt: skip
    competition = Competition.objects.get()
    assert response.url == reverse("workforce:competition", args=[competition.pk])
    assert competition.award_shares == [10, 20, 30] and str(competition.theory_weight) == "0.20"
    # edit, then a stale version is refused
    edit = reverse("workforce:competition_edit", args=[competition.pk])
    form = {"name": "2026年浙江省职工技能大赛", "year": YEAR, "theory_weight": "0.3", "award_shares": "10,20,30",
            "version": competition.version}  # fmt: skip
    assert client.post(edit, form).status_code == 302
    stale = client.post(edit, form | {"name": "又改了"})
    assert stale.status_code == 400 and "已被他人修改" in stale.content.decode()
    competition.refresh_from_db()
    assert competition.name == "2026年浙江省职工技能大赛" and competition.version == 2

    body = client.get(reverse("workforce:competition", args=[competition.pk])).content.decode()
    assert reverse("workforce:event_new", args=[competition.pk]) in body
    event_form = {"occupation": "电工", "grade": "3", "stage": "final", "team_size": "3", "held_on": f"{YEAR}-05-01"}
    client.post(reverse("workforce:event_new", args=[competition.pk]), event_form)
    event = Event.objects.get()
    assert event.team_size == 3
    entry_new = reverse("workforce:entry_new", args=[event.pk])
    assert "队员 3（姓名、拼音或身份证号）" in client.get(entry_new).content.decode()
    team = {"name": "示例电工队", "unit": "杭州示例科技有限公司", "id_number_0": ZHANG_WEI_ID, "id_number_1": LI_NA_ID}
    # someone outside the cadre's unions, a repeated member, a malformed number: refused, nothing saved
    outside = client.post(entry_new, team | {"id_number_2": OUTSIDER_ID})
    assert outside.status_code == 400 and "在您管理的工会中没有这位会员" in outside.content.decode()
    assert "同一选手不能重复填写" in client.post(entry_new, team | {"id_number_2": LI_NA_ID}).content.decode()
    assert client.post(entry_new, team | {"id_number_2": "12345"}).status_code == 400
    assert not Entry.objects.exists() and not Competitor.objects.exists()
    assert client.post(entry_new, team | {"id_number_2": ZHAO_ID}).status_code == 302
    entry = Entry.objects.get()
    assert sorted(entry.competitors.values_list("person__name", flat=True)) == ["张伟", "李娜", "赵强"]
    again = client.post(entry_new, team | {"id_number_2": ZHAO_ID})
    assert again.status_code == 400 and "有选手已报名该项目" in again.content.decode()

    judge_new = reverse("workforce:judge_new", args=[event.pk])
    judge = judge_user("judge-wang", "王裁判")
    assert (
        "没有这个账号"
        in client.post(judge_new, {"username": "nobody", "name": "某人", "role": "judge"}).content.decode()
    )
    assert client.post(judge_new, {"username": judge.username, "name": "王裁判", "role": "judge"}).status_code == 302
    assert Judge.objects.get().user == judge
    body = client.get(reverse("workforce:event", args=[event.pk])).content.decode()
    assert "示例电工队" in body and "王裁判" in body
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"workforce.competition_create", "workforce.competition_update", "workforce.entry_register",
            "workforce.judge_appoint"} <= actions  # fmt: skip


def test_a_model_worker_with_the_first_honour_is_one_step_and_a_bad_honour_saves_neither(client, cast):
    client.force_login(cast.users.province_admin)
    new = reverse("workforce:model_worker_new")
    form = {"org": cast.orgs.zhejiang.pk, "id_number": LI_NA_ID, "employer_name": "杭州示例科技有限公司",
            "occupation": "数控车工", "health": "高血压", "title": "may_day_medal", "year": 2024,
            "conferred_by": "中华全国总工会 13900001111"}  # fmt: skip
    bad = client.post(new, form)
    assert bad.status_code == 400 and "不能含身份证号码或手机号码" in bad.content.decode()
    assert not ModelWorker.objects.exists()
    assert client.post(new, form | {"conferred_by": "中华全国总工会"}).status_code == 302
    worker = ModelWorker.objects.get()
    assert worker.person.name == "李娜" and worker.health_enc != "高血压"
    body = client.get(reverse("workforce:model_workers")).content.decode()
    assert "全国五一劳动奖章" in body and LI_NA_ID not in body
    honour = reverse("workforce:honour_new", args=[worker.pk])
    assert (
        client.post(honour, {"title": "provincial_model", "year": 2020, "conferred_by": "浙江省人民政府"}).status_code
        == 302
    )
    twice = client.post(honour, {"title": "provincial_model", "year": 2020, "conferred_by": "浙江省人民政府"})
    assert twice.status_code == 400 and "已经登记" in twice.content.decode()
    assert HonourAward.objects.filter(model_worker=worker).count() == 2
    # the same person twice
    assert "已在劳模名册中" in client.post(new, form | {"conferred_by": "中华全国总工会"}).content.decode()


def test_a_studio_is_named_edited_and_gets_an_achievement(client, cast):
    client.force_login(cast.users.province_admin)
    form = {"org": cast.orgs.zhejiang.pk, "name": "李娜数控创新工作室", "level": "provincial", "leader_name": "",
            "field": "数控加工", "host_employer": "杭州示例科技有限公司", "members": 8, "named_year": 2025}  # fmt: skip
    bad = client.post(reverse("workforce:studio_new"), form)
    assert bad.status_code == 400 and "请选择领衔劳模或填写领衔人姓名" in bad.content.decode()
    response = client.post(reverse("workforce:studio_new"), form | {"leader_name": "李娜"})
    studio = Studio.objects.get()
    assert response.url == reverse("workforce:studio_edit", args=[studio.pk])
    assert (
        reverse("workforce:studio_edit", args=[studio.pk]) in client.get(reverse("workforce:studios")).content.decode()
    )
    edit = {k: v for k, v in form.items() if k != "org"} | {
        "leader_name": "李娜",
        "level": "national_demo",
        "members": 12,
    }
    assert client.post(reverse("workforce:studio_edit", args=[studio.pk]), edit).status_code == 302
    studio.refresh_from_db()
    assert (studio.level, studio.members) == ("national_demo", 12)
    add = reverse("workforce:achievement_new", args=[studio.pk])
    client.post(add, {"kind": "benefit", "title": "刀具寿命提升", "year": 2025, "benefit_wan": "-1"})
    assert not Achievement.objects.exists()
    client.post(add, {"kind": "benefit", "title": "刀具寿命提升", "year": 2025, "benefit_wan": "120.5"})
    body = client.get(reverse("workforce:studio_edit", args=[studio.pk])).content.decode()
    assert "刀具寿命提升" in body and "120.50" in body
    # the read-only role sees the list but not the edit page
    client.force_login(cast.users.readonly)
    assert client.get(reverse("workforce:studio_edit", args=[studio.pk])).status_code == 403


def test_a_round_is_published_with_quotas_by_union_name_and_share_rules(client, cast):
    client.force_login(cast.users.province_admin)
    new = reverse("workforce:round_new")
    form = {"org": cast.orgs.zhejiang.pk, "name": "2026年浙江省五一劳动奖章评选", "title": "may_day_medal",
            "year": YEAR, "notice_days": 5, "quotas": "杭州市总工会 3\n南京市总工会 1", "rule_industrial": "least",
            "percent_industrial": "35", "rule_enterprise_head": "most", "percent_enterprise_head": "20"}  # fmt: skip
    outside = client.post(new, form)
    assert outside.status_code == 400 and "找不到唯一的“南京市总工会”" in outside.content.decode()
    assert "请填写农民工的比例" in client.post(new, form | {"quotas": "", "rule_migrant": "least"}).content.decode()
    assert "第 1 行" in client.post(new, form | {"quotas": "杭州市总工会 三"}).content.decode()
    assert client.post(new, form | {"notice_days": 3}).status_code == 400
    assert not SelectionRound.objects.exists()
    response = client.post(new, form | {"quotas": "杭州市总工会 3"})
    row = SelectionRound.objects.get()
    assert response.url == reverse("workforce:round", args=[row.pk])
    assert row.quotas == {str(cast.orgs.hangzhou.pk): 3}
    assert row.share_rules == [{"category": "industrial", "at_least": True, "percent": "35"},
                               {"category": "enterprise_head", "at_least": False, "percent": "20"}]  # fmt: skip
    assert "发布评选" in client.get(reverse("workforce:rounds")).content.decode()
