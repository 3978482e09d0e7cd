"""The workforce services through the paths users take: scoring with withdrawals, signing and locked scores,
appeals, certificates and their verification, the model worker registry and its care, a selection round with
its quota and share checks and an objection in its 公示, studios and the overview figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from gonghui.cases import services as case_services
from gonghui.cases.models import Objection
from gonghui.core.errors import ConflictError
from gonghui.core.models import AuditEvent
from gonghui.finance.models import Entry
from gonghui.finance.services import period_close
from gonghui.members.services import member_create
from gonghui.testing.cast import valid_id
from gonghui.workforce import certificates, selectors, services
from gonghui.workforce.cases import AWARDED, NOTICE1, NOTICE2, NOTICE3, REVIEW1, REVIEW2
from gonghui.workforce.models import CareItem, Certificate, HonourAward, ModelWorker, Nomination, ScoreChange
from gonghui.workforce.tests.conftest import YEAR, certified, make_event, make_model_worker, score_all


def test_theory_weighs_at_most_thirty_percent(cast):
    with pytest.raises(ValidationError, match="0 至 0.30"):
        services.competition_create(actor=cast.users.province_admin, org=cast.orgs.zhejiang, name="大赛", year=YEAR,
                                    theory_weight=Decimal("0.4"))  # fmt: skip


def test_a_team_has_three_members(cast):
    ev = make_event(cast, judges=1)
    team = services.event_add(actor=ev.actor, competition=ev.competition, occupation="焊工", grade="2",
                              held_on=timezone.localdate(), team_size=3)  # fmt: skip
    with pytest.raises(ValidationError, match="每队 3 人"):
        services.entry_register(
            actor=ev.actor, event=team, name="西湖队", unit="杭州示例", person_ids=[cast.members.zhang.person.pk]
        )
    third = member_create(actor=None, org=cast.orgs.company, name="赵强", id_number=valid_id("33010619880101003"),
                          phone="13500007777", joined_on=dt.date(2021, 1, 1))  # fmt: skip
    people = [cast.members.zhang.person.pk, cast.members.li.person.pk, third.person.pk]
    entry = services.entry_register(actor=ev.actor, event=team, name="西湖队", unit="杭州示例", person_ids=people)
    with pytest.raises(ValidationError, match="已报名"):
        services.entry_register(actor=ev.actor, event=team, name="二队", unit="杭州示例", person_ids=people)
    with pytest.raises(ValidationError, match="不在您的管理范围"):  # 王芳 is a member in Jiangsu
        services.entry_register(actor=ev.actor, event=ev.event, name="王芳", unit="南京示例",
                                person_ids=[cast.members.wang.person.pk])  # fmt: skip
    judge = services.judge_appoint(actor=ev.actor, event=team, user=ev.judges[0].user, name="裁判0")
    for competitor, value in zip(entry.competitors.order_by("pk"), ("90", "80", "70"), strict=True):
        services.theory_record(actor=ev.actor, competitor=competitor, theory=Decimal(value), seconds=1000)
        services.score_set(actor=judge.user, judge=judge, competitor=competitor, value=Decimal(value))
    row = selectors.ranking(team).rows[0]
    assert row.result.total == Decimal("240.00") and row.result.seconds == 3000 and row.rank == 1


def test_five_judges_drop_the_highest_and_lowest(cast):
    ev = make_event(cast)
    score_all(ev, {0: ["60", "90", "91", "92", "99"], 1: ["85", "86", "87", "88", "89"]}, sign=False)
    board = selectors.ranking(ev.event)
    zhang = next(r for r in board.rows if r.entry == ev.entries[0])
    assert zhang.result.practical == Decimal("91.00")  # 60 and 99 dropped
    assert zhang.result.total == Decimal("87.70")  # 80 × 0.3 + 91 × 0.7
    assert [r.entry for r in board.rows] == ev.entries[::-1]  # 李娜 87.90 (90 × 0.3 + 87 × 0.7) before 张伟
    assert zhang.prize == "" and zhang.honour == "technician"  # 10% of two rounds to none; top 5


def test_a_judge_never_scores_an_entrant_they_withdrew_from(cast):
    ev = make_event(cast)
    judge, zhang = ev.judges[0], ev.competitors[0]
    services.score_set(actor=judge.user, judge=judge, competitor=zhang, value=Decimal("95"))
    services.recusal_declare(actor=judge.user, judge=judge, entry=ev.entries[0], relation="same_unit")
    assert not judge.scores.filter(competitor=zhang).exists()  # the score given before is void
    with pytest.raises(PermissionDenied, match="回避"):
        services.score_set(actor=judge.user, judge=judge, competitor=zhang, value=Decimal("99"))
    assert AuditEvent.objects.filter(action="access.denied", actor=judge.user).exists()
    assert zhang not in services.panel_of(judge)
    with pytest.raises(PermissionDenied, match="裁判本人"):  # nobody scores for a judge, not even the organiser
        services.score_set(actor=ev.actor, judge=ev.judges[1], competitor=zhang, value=Decimal("99"))
    # four judges left on 张伟's panel: the mean of all four, no trimming
    score_all_but = {1: ["85"] * 5}
    score_all(ev, score_all_but, sign=False)
    for j, value in zip(ev.judges[1:], ("80", "90", "90", "100"), strict=True):
        services.score_set(actor=j.user, judge=j, competitor=zhang, value=Decimal(value))
    assert selectors.ranking(ev.event).rows[0].members[0][1] == Decimal("90.00")


def test_signed_scores_change_only_with_a_reason(cast):
    ev = make_event(cast, judges=1)
    judge = ev.judges[0]
    services.score_set(actor=judge.user, judge=judge, competitor=ev.competitors[0], value=Decimal("90"))
    with pytest.raises(ValidationError, match="未评分"):
        services.sheet_sign(actor=judge.user, judge=judge)
    services.score_set(actor=judge.user, judge=judge, competitor=ev.competitors[1], value=Decimal("80"))
    services.sheet_sign(actor=judge.user, judge=judge)
    with pytest.raises(ConflictError):
        services.sheet_sign(actor=judge.user, judge=judge)
    with pytest.raises(ValidationError, match="理由"):
        services.score_set(actor=judge.user, judge=judge, competitor=ev.competitors[1], value=Decimal("82"))
    services.score_set(actor=judge.user, judge=judge, competitor=ev.competitors[1], value=Decimal("82"),
                       reason="计时器故障，复核录像后更正")  # fmt: skip
    change = ScoreChange.objects.get()
    assert (change.old, change.new, change.by) == (Decimal("80"), Decimal("82"), judge.user)
    event = AuditEvent.objects.get(action="workforce.score_change")
    assert event.detail["reason"] == "计时器故障，复核录像后更正" and event.actor == judge.user


def test_appeals_within_two_hours_decided_by_the_arbiter(cast):
    ev = make_event(cast, judges=1)
    entry = ev.entries[1]
    with pytest.raises(ValidationError, match="尚未结束"):
        services.appeal_lodge(actor=ev.actor, entry=entry, text="计时有误")
    ended = timezone.now() - dt.timedelta(hours=1)
    services.event_end(actor=ev.actor, event=ev.event, at=ended)
    with pytest.raises(ValidationError, match="2 小时内"):
        services.appeal_lodge(actor=ev.actor, entry=entry, text="计时有误", at=ended + dt.timedelta(hours=2, minutes=1))
    appeal = services.appeal_lodge(actor=cast.users.worker, entry=ev.entries[0], text="第三项评分有误")  # 张伟 himself
    with pytest.raises(PermissionDenied, match="仲裁委员"):
        services.appeal_rule(actor=ev.judges[0].user, appeal=appeal, upheld=True, ruling="成立")
    services.appeal_rule(actor=ev.arbiter.user, appeal=appeal, upheld=False, ruling="经复核录像，评分无误。")
    with pytest.raises(ConflictError):
        services.appeal_rule(actor=ev.arbiter.user, appeal=appeal, upheld=True, ruling="改判")


def test_certificates_once_everything_is_settled_and_verified_in_public(cast, client):
    ev = make_event(cast)
    score_all(ev, {0: ["90"] * 5, 1: ["80"] * 5}, sign=False)
    services.event_end(actor=ev.actor, event=ev.event, at=timezone.now() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="未签字"):
        services.certificates_issue(actor=ev.actor, event=ev.event)
    for judge in ev.judges:
        services.sheet_sign(actor=judge.user, judge=judge)
    assert services.certificates_issue(actor=ev.actor, event=ev.event) == 2  # places 1 and 2: 全国技术能手候选
    with pytest.raises(ValidationError, match="证书已颁发"):
        services.score_set(actor=ev.judges[0].user, judge=ev.judges[0], competitor=ev.competitors[0],
                           value=Decimal(1), reason="改")  # fmt: skip
    first = Certificate.objects.get(competitor=ev.competitors[0])
    assert first.place == 1 and "全国技术能手候选" in first.title
    assert certificates.verify(certificates.certificate_code(first)).holder == "张*"
    assert certificates.verify(first.key + ":forged").status == "forged"
    body = client.get(f"/workforce/verify/{certificates.certificate_code(first)}/").content.decode()
    assert "真实有效" in body and "张*" in body and "张伟" not in body
    pdf = certificates.pdf(first, "https://example.org/workforce/verify/x/")
    assert pdf.startswith(b"%PDF") and b"FontFile2" in pdf  # the Chinese font is embedded


def test_ties_in_the_top_three_block_the_certificates(cast):
    ev = make_event(cast, judges=1, theory=("80", "80"), seconds=(3000, 3000))
    score_all(ev, {0: ["90"], 1: ["90"]})
    services.event_end(actor=ev.actor, event=ev.event, at=timezone.now() - dt.timedelta(days=1))
    assert selectors.ranking(ev.event).ties == [e.pk for e in ev.entries]
    with pytest.raises(ValidationError, match="前三名不得并列"):
        services.certificates_issue(actor=ev.actor, event=ev.event)


def test_model_workers_and_their_yearly_care(cast):
    worker = make_model_worker(cast)
    with pytest.raises(ValidationError, match="已在劳模名册"):
        services.model_worker_add(actor=cast.users.province_admin, org=cast.orgs.zhejiang, person=worker.person,
                                  employer_name="x")  # fmt: skip
    assert services.care_year_open(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=YEAR) == 4
    assert services.care_year_open(actor=cast.users.province_admin, org=cast.orgs.zhejiang, year=YEAR) == 0
    subsidy = CareItem.objects.get(model_worker=worker, kind="subsidy")
    with pytest.raises(ValidationError, match="金额"):
        services.care_done(actor=cast.users.province_admin, item=subsidy, done_on=dt.date(YEAR, 1, 20))
    with pytest.raises(PermissionDenied):
        services.care_done(actor=cast.users.readonly, item=subsidy, done_on=dt.date(YEAR, 1, 20), amount="2000")
    services.care_done(actor=cast.users.province_admin, item=subsidy, done_on=dt.date(YEAR, 1, 20), amount="2000")
    assert selectors.care_visible_to(cast.users.province_admin, year=YEAR, pending=True).count() == 3
    assert not selectors.care_visible_to(cast.users.sibling_admin, year=YEAR).exists()
    # 劳模专项补助 paid is accounted: one spending entry in the keeping union's ledger, no name in its memo
    subsidy.refresh_from_db()
    lines = sorted((x.code, x.debit_fen, x.credit_fen) for x in subsidy.entry.lines.all())
    assert lines == [("102", 0, 200_000), ("50404", 200_000, 0)] and subsidy.entry.source == "care"
    assert subsidy.entry.org == cast.orgs.zhejiang and worker.person.name not in subsidy.entry.memo
    # a day in a closed month refuses the whole: the item stays to do and nothing is booked
    period_close(actor=cast.users.province_admin, org=cast.orgs.zhejiang, month=dt.date(YEAR, 1, 1))
    visit = CareItem.objects.get(model_worker=worker, kind="festival")
    with pytest.raises(ValidationError, match="已结账"):
        services.care_done(actor=cast.users.province_admin, item=visit, done_on=dt.date(YEAR, 1, 25), amount="500")
    visit.refresh_from_db()
    assert visit.done_on is None and visit.entry is None and Entry.objects.filter(source="care").count() == 1
    visit = services.care_done(actor=cast.users.province_admin, item=visit, done_on=dt.date(YEAR, 2, 3), amount="500")
    assert visit.entry.lines.get(debit_fen=50_000).code == "50405"


def _round(cast, **extra):
    data = {"quotas_by_org": {str(cast.orgs.company.pk): 1},
            "share_rules": [{"category": "industrial", "at_least": True, "percent": 50}]} | extra  # fmt: skip
    return services.round_create(actor=cast.users.province_admin, org=cast.orgs.zhejiang, name="浙江省五一劳动奖章评选",
                                 title="may_day_medal", year=YEAR, **data)  # fmt: skip


def _nominate(cast, round_, member, categories):
    return services.nomination_add(actor=cast.users.grassroots_admin, round=round_, org=cast.orgs.company,
                                   person=member.person, unit="杭州示例科技有限公司", categories=categories,
                                   deeds="攻克关键工艺难题")  # fmt: skip


def test_a_round_checks_quotas_and_shares_before_the_list_goes(cast):
    with pytest.raises(ValidationError, match="5 至 30"):
        _round(cast, notice_days=3)
    round_ = _round(cast)
    _nominate(cast, round_, cast.members.zhang, ["frontline"])
    _nominate(cast, round_, cast.members.li, ["industrial", "migrant"])
    with pytest.raises(ValidationError) as refused:
        services.list_submit(actor=cast.users.grassroots_admin, round=round_, org=cast.orgs.company)
    assert "超出名额" in str(refused.value) and not Nomination.objects.filter(case__isnull=False).exists()
    Nomination.objects.filter(person=cast.members.li.person).delete()
    assert any("比例不符" in p for p in services.list_check(round_, cast.orgs.company))  # 0 of 1 industrial
    Nomination.objects.all().delete()
    _nominate(cast, round_, cast.members.li, ["industrial"])
    assert services.list_submit(actor=cast.users.grassroots_admin, round=round_, org=cast.orgs.company) == 1


def test_two_reviews_and_three_notices_with_an_objection(cast):
    round_ = _round(cast)
    nomination = _nominate(cast, round_, cast.members.li, ["industrial"])
    services.list_submit(actor=cast.users.grassroots_admin, round=round_, org=cast.orgs.company)
    nomination.refresh_from_db()
    notice = nomination.case.notices.get()
    assert nomination.status == NOTICE1 and (notice.closes_on - notice.opens_on).days >= 5
    objection = case_services.objection_submit(actor=cast.users.worker, notice=notice, text="事迹材料与实际不符",
                                               name="王某", phone="13600001234")  # fmt: skip
    with pytest.raises(ValidationError, match="公示期"):
        services.nomination_advance(actor=cast.users.province_admin, nomination=nomination, to=REVIEW1,
                                    version=nomination.case.version)  # fmt: skip
    notice.__class__.objects.filter(pk=notice.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="异议"):
        services.nomination_advance(actor=cast.users.province_admin, nomination=nomination, to=REVIEW1,
                                    version=nomination.case.version)  # fmt: skip
    case_services.objection_answer(actor=cast.users.province_admin, objection=Objection.objects.get(pk=objection.pk),
                                   answer="经核实，事迹属实。")  # fmt: skip
    with pytest.raises(PermissionDenied):  # the nominating grassroots union does not review
        services.nomination_advance(actor=cast.users.readonly, nomination=nomination, to=REVIEW1,
                                    version=nomination.case.version)  # fmt: skip
    for to in (REVIEW1, NOTICE2, REVIEW2, NOTICE3, AWARDED):
        nomination.case.notices.update(closes_on=timezone.localdate() - dt.timedelta(days=1))
        nomination.case.refresh_from_db()
        services.nomination_advance(actor=cast.users.province_admin, nomination=nomination, to=to,
                                    version=nomination.case.version)  # fmt: skip
    assert nomination.case.notices.count() == 3
    honour = HonourAward.objects.get(model_worker__person=cast.members.li.person)
    assert (honour.title, honour.year, honour.level) == ("may_day_medal", YEAR, "national")


def test_studios_and_the_figures_for_a_scope_and_a_subtree(cast):
    worker = make_model_worker(cast)
    for level in ("national_demo", "provincial"):
        services.studio_create(actor=cast.users.province_admin, org=cast.orgs.zhejiang, name=f"{level}工作室",
                               level=level, leader=worker, leader_name="张伟", field="电力运维",
                               host_employer="杭州示例科技有限公司", named_year=2024, members=12)  # fmt: skip
    with pytest.raises(ValidationError, match="级别"):
        services.studio_create(actor=cast.users.province_admin, org=cast.orgs.zhejiang, name="x", level="galactic",
                               leader_name="张伟", field="x", host_employer="x", named_year=2024)  # fmt: skip
    province, sibling = cast.users.province_admin, cast.users.sibling_admin
    assert (selectors.model_workers_count(province), selectors.studios_count(province),
            selectors.national_studios_count(province)) == (1, 2, 1)  # fmt: skip
    assert (selectors.model_workers_count(sibling), selectors.studios_count(sibling)) == (0, 0)
    assert (selectors.model_workers_count_under(cast.orgs.zhejiang), selectors.studios_count_under(cast.orgs.zhejiang),
            selectors.national_studios_count_under(cast.orgs.zhejiang)) == (1, 2, 1)  # fmt: skip
    assert (
        selectors.studios_count_under(cast.orgs.hangzhou),
        selectors.model_workers_count_under(cast.orgs.jiangsu),
    ) == (0, 0)
    assert ModelWorker.objects.get().health_enc and "腰椎" not in ModelWorker.objects.get().health_enc


def test_the_certified_helper_and_pipl_copy(cast):
    certified(cast)
    from gonghui.privacy.services import personal_data_of

    copy = personal_data_of(cast.members.zhang.person)["技能竞赛与劳模荣誉"]
    assert copy["技能竞赛"][0]["证书"] and copy["劳模"] is None
