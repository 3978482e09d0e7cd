"""Every page and API operation of the workforce area × every member of the cast (see gonghui.testing.matrix).

The competition, the model worker and the round belong to 浙江省总工会: Jiangsu and the grassroots union
(a company below it) do not see them, the read-only role sees but does not change them. A judge's sheet is
their own (none of the cast judges: 404 for all); the certificate PDF is also its holder's (张伟, the worker);
certificate verification is public."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from gonghui.members.services import member_create
from gonghui.testing.api import ApiClient
from gonghui.testing.cast import LI_NA_ID, valid_id
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect
from gonghui.workforce import certificates, selectors, services
from gonghui.workforce.models import (
    CareItem,
    Certificate,
    Competition,
    Competitor,
    Entry,
    Event,
    Innovation,
    Judge,
    ModelWorker,
    Nomination,
    Recusal,
    Score,
    Studio,
)
from gonghui.workforce.tests.conftest import YEAR, certified, judge_user, make_event, make_model_worker

PUBLIC = dict.fromkeys(USERS, 200)
SIGNED_IN_404 = dict.fromkeys(USERS, 404) | {"anonymous": 302}
CADRES = expect(200, 200, 200, 200, 200)
ZHEJIANG_READ = expect(200, 200, 404, 404, 200)
ZHEJIANG_POST = expect(302, 302, 404, 404, 403)
ZHEJIANG_FORM = expect(200, 200, 404, 404, 403)
WRITERS = expect(200, 200, 200, 200, 403)
# a union to choose that is not among the caller's writable ones is refused by the form: 400, nothing saved
ZHEJIANG_CHOICE = expect(302, 302, 400, 400, 403)


def ev(cast):
    if not hasattr(cast, "ev"):
        cast.ev = make_event(cast, judges=1)
    return cast.ev


def done(cast):
    if not hasattr(cast, "done"):
        cast.done = certified(cast, judges=1)
    return cast.done


def ended(cast):
    services.event_end(actor=None, event=ev(cast).event, at=timezone.now() - dt.timedelta(minutes=10))


def care_item(cast):
    if not hasattr(cast, "care"):
        worker = make_model_worker(cast)
        services.care_year_open(actor=None, org=cast.orgs.zhejiang, year=YEAR)
        cast.care = CareItem.objects.get(model_worker=worker, kind="health_check")
    return cast.care


def rest_batch(cast):
    """A batch of 浙江省总工会 ending today, its model worker's 疗休养 due (enrolled by the first writer)."""
    if not hasattr(cast, "rest"):
        worker = make_model_worker(cast)
        services.care_year_open(actor=None, org=cast.orgs.zhejiang, year=timezone.localdate().year)
        today = timezone.localdate()
        cast.rest = services.rest_batch_create(actor=None, org=cast.orgs.zhejiang, place="莫干山疗休养院",
                                               starts_on=today, ends_on=today, capacity=5)  # fmt: skip
        cast.rest.worker = worker
    return cast.rest


def enrolled_batch(cast):
    batch = rest_batch(cast)
    if not batch.enrolments.exists():
        services.rest_enrol(actor=None, batch=batch, model_worker=batch.worker)
    return batch


def the_round(cast):
    if not hasattr(cast, "round"):
        cast.round = services.round_create(actor=None, org=cast.orgs.zhejiang, name="2026年浙江省五一劳动奖章评选",
                                           title="may_day_medal", year=YEAR)  # fmt: skip
        cast.nomination = services.nomination_add(actor=None, round=cast.round, org=cast.orgs.company,
                                                  person=cast.members.li.person, unit="杭州示例科技有限公司",
                                                  categories=["industrial"], deeds="攻克关键工艺难题")  # fmt: skip
    return cast.round


def submitted(cast):
    the_round(cast)
    services.list_submit(actor=None, round=cast.round, org=cast.orgs.company)
    cast.nomination.refresh_from_db()
    return cast.nomination


def a_studio(cast):
    if not hasattr(cast, "studio"):
        cast.studio = services.studio_create(actor=None, org=cast.orgs.zhejiang, name="李娜创新工作室",
                                             level="provincial", leader_name="李娜", field="数控加工",
                                             host_employer="杭州示例科技有限公司", named_year=2025)  # fmt: skip
    return cast.studio


IDEA = {"kind": "renovation", "title": "快速换刀夹具", "unit": "机加工车间", "problem": "换刀慢",
        "proposal": "改用快换夹具"}  # fmt: skip
SIGNED_IN = PUBLIC | {"anonymous": 302}
# the worker's own pages: only a member (张伟) submits; an account without a member record is refused
MEMBER_ONLY = dict.fromkeys(USERS, 403) | {"worker": 200, "anonymous": 302}
OWNER_ONLY = SIGNED_IN_404 | {"worker": 200}
# the company union's innovation: Jiangsu does not see it; the read-only role sees it but may not move it
COMPANY_READ = expect(200, 200, 404, 200, 200)
COMPANY_POST = expect(302, 302, 404, 302, 403)
COMPANY_CHOICE = expect(302, 302, 400, 302, 403)


def an_innovation(cast):
    if not hasattr(cast, "innovation"):
        cast.innovation = services.innovation_submit(actor=cast.users.worker, **IDEA)
    return cast.innovation


UNIT_USCC = "91330106MA2A0000X3"
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def award_round(cast):
    if not hasattr(cast, "award_round"):
        cast.award_round = services.round_create(actor=None, org=cast.orgs.zhejiang, name="五一劳动奖状评选",
                                                 title="may_day_award", year=YEAR)  # fmt: skip
    return cast.award_round


def unit_nomination(cast):
    if not hasattr(cast, "unit_nomination"):
        cast.unit_nomination = services.nomination_add(
            actor=None, round=award_round(cast), org=cast.orgs.company, unit="杭州", categories=[], deeds="无欠薪",
            employer=selectors.employer_named(UNIT_USCC))  # fmt: skip
    return cast.unit_nomination


def unit_check(cast):
    if not hasattr(cast, "unit_check"):
        upload = SimpleUploadedFile("a.pdf", PDF)
        cast.unit_check = services.unit_check_answer(
            actor=None,
            nomination=unit_nomination(cast),
            item="no_union",
            present=False,
            note="有工会",
            file=upload,
            file_name="a.pdf",
        )
    return cast.unit_check


def _evidence(cast):
    return {"item": "accident", "present": "0", "note": "无事故", "file": SimpleUploadedFile("b.pdf", PDF)}


def second_studio(cast):
    if not hasattr(cast, "studio2"):
        cast.studio2 = services.studio_create(actor=None, org=cast.orgs.hangzhou, name="张伟电工创新工作室",
                                              level="city", leader_name="张伟", field="电力运维",
                                              host_employer="杭州电力公司", named_year=2024)  # fmt: skip
    return cast.studio2


def a_publicity(cast):
    """张伟 (a model worker of 浙江省总工会) publicised as 大国工匠年度人物 in 2024."""
    if not hasattr(cast, "publicity"):
        worker = make_model_worker(cast)
        cast.publicity = services.publicity_add(actor=None, model_worker=worker, level="national",
                                                campaign="大国工匠年度人物",
                                                published_on=dt.date(2024, 3, 1))  # fmt: skip
    return cast.publicity


def _judge(cast):
    return [ev(cast).judges[0].pk]


def _certificate(cast):
    return [Certificate.objects.get(competitor=done(cast).competitors[0]).pk]


def _code(cast):
    return [certificates.certificate_code(Certificate.objects.get(competitor=done(cast).competitors[0]))]


PAGES: list = [
    Page("workforce:competitions", CADRES),
    Page("workforce:competition", ZHEJIANG_READ, args=lambda c: [ev(c).competition.pk]),
    Page("workforce:event", ZHEJIANG_READ, args=lambda c: [ev(c).event.pk]),
    Page("workforce:event_end", ZHEJIANG_POST, method="post", args=lambda c: [ev(c).event.pk]),
    Page("workforce:appeal_lodge", ZHEJIANG_POST, method="post", args=lambda c: [ev(c).event.pk], setup=ended,
         data=lambda c: {"entry": ev(c).entries[1].pk, "text": "计时有误"}),
    Page("workforce:certificates_issue", ZHEJIANG_POST, method="post", args=lambda c: [ev(c).event.pk]),
    Page("workforce:certificate_pdf", ZHEJIANG_READ | {"worker": 200}, args=_certificate),
    Page("workforce:verify", PUBLIC, args=_code),
    Page("workforce:judging", PUBLIC | {"anonymous": 302}),
    Page("workforce:sheet", SIGNED_IN_404, args=_judge),
    Page("workforce:sheet", SIGNED_IN_404, method="post", args=_judge,
         data=lambda c: {"competitor": ev(c).competitors[0].pk, "value": "90"}),
    Page("workforce:sign", SIGNED_IN_404, method="post", args=_judge),
    Page("workforce:recuse", SIGNED_IN_404, method="post", args=_judge,
         data=lambda c: {"entry": ev(c).entries[0].pk, "relation": "same_unit"}),
    Page("workforce:appeal_rule", SIGNED_IN_404, method="post",
         args=lambda c: [ev(c).arbiter.pk, services.appeal_lodge(actor=None, entry=ev(c).entries[0], text="有误").pk],
         setup=ended, data=lambda c: {"upheld": "0", "ruling": "维持"}),
    Page("workforce:model_workers", CADRES),
    Page("workforce:care", CADRES),
    Page("workforce:care", CADRES, query=f"?year={YEAR}&pending=on", setup=care_item, variant="pending"),
    # the form only offers the unions the user may write for: anyone else's choice is refused, nothing changes
    Page("workforce:care_open", expect(302, 302, 302, 302, 302), method="post",
         data=lambda c: {"org": c.orgs.zhejiang.pk, "year": YEAR}),
    Page("workforce:care_done", ZHEJIANG_POST, method="post", args=lambda c: [care_item(c).pk],
         data=lambda c: {"done_on": f"{YEAR}-01-15"}),
    Page("workforce:rounds", CADRES),
    Page("workforce:round", expect(200, 200, 404, 200, 200), args=lambda c: [the_round(c).pk]),
    Page("workforce:round_submit", expect(302, 302, 404, 302, 302), method="post", args=lambda c: [the_round(c).pk],
         data=lambda c: {"org": c.orgs.company.pk}),
    Page("workforce:nomination_step", expect(302, 302, 404, 404, 403), method="post",
         args=lambda c: [submitted(c).pk], data=lambda c: {"to": "review1", "version": c.nomination.case.version}),
    Page("workforce:studios", CADRES),
    # the cadre's entry pages
    Page("workforce:competition_new", WRITERS),
    Page("workforce:competition_new", ZHEJIANG_CHOICE, method="post",
         data=lambda c: {"org": c.orgs.zhejiang.pk, "name": "2027年浙江省职工职业技能大赛", "year": YEAR,
                         "theory_weight": "0.3", "award_shares": "10,20,30"}),
    Page("workforce:competition_edit", ZHEJIANG_FORM, args=lambda c: [ev(c).competition.pk]),
    Page("workforce:competition_edit", ZHEJIANG_POST, method="post", args=lambda c: [ev(c).competition.pk],
         data=lambda c: {"name": "改名的大赛", "year": YEAR, "theory_weight": "0.2", "award_shares": "10,20,30",
                         "version": Competition.objects.get(pk=ev(c).competition.pk).version}),
    Page("workforce:event_new", ZHEJIANG_FORM, args=lambda c: [ev(c).competition.pk]),
    Page("workforce:event_new", ZHEJIANG_POST, method="post", args=lambda c: [ev(c).competition.pk],
         data=lambda c: {"occupation": "焊工", "grade": "2", "stage": "final", "team_size": "1",
                         "held_on": f"{YEAR}-05-01"}),
    Page("workforce:entry_new", ZHEJIANG_FORM, args=lambda c: [ev(c).event.pk]),
    Page("workforce:entry_new", ZHEJIANG_POST, method="post", args=lambda c: [ev(c).event.pk],
         data=lambda c: {"name": "赵强", "unit": "杭州示例科技有限公司", "id_number_0": third_member(c) and ZHAO_ID}),
    Page("workforce:judge_new", ZHEJIANG_FORM, args=lambda c: [ev(c).event.pk]),
    Page("workforce:judge_new", ZHEJIANG_POST, method="post", args=lambda c: [ev(c).event.pk],
         data=lambda c: {"username": judge_user("newjudge", "新裁判").username, "name": "新裁判", "role": "judge"}),
    Page("workforce:model_worker_new", WRITERS),
    Page("workforce:model_worker_new", ZHEJIANG_CHOICE, method="post",
         data=lambda c: {"org": c.orgs.zhejiang.pk, "id_number": LI_NA_ID,
                         "employer_name": "杭州示例科技有限公司", "title": "may_day_medal", "year": 2024,
                         "conferred_by": "中华全国总工会"}),
    Page("workforce:honour_new", ZHEJIANG_FORM, args=lambda c: [make_model_worker(c).pk]),
    Page("workforce:honour_new", ZHEJIANG_POST, method="post", args=lambda c: [make_model_worker(c).pk],
         data=lambda c: {"title": "may_day_medal", "year": 2024, "conferred_by": "中华全国总工会"}),
    Page("workforce:studio_new", WRITERS),
    Page("workforce:studio_new", ZHEJIANG_CHOICE, method="post",
         data=lambda c: {"org": c.orgs.zhejiang.pk, "name": "李娜创新工作室", "level": "provincial",
                         "leader_name": "李娜", "field": "数控加工", "host_employer": "杭州示例科技有限公司",
                         "members": 8, "named_year": 2025}),
    Page("workforce:studio_edit", ZHEJIANG_FORM, args=lambda c: [a_studio(c).pk]),
    Page("workforce:studio_edit", ZHEJIANG_POST, method="post", args=lambda c: [a_studio(c).pk],
         data=lambda c: {"name": "李娜创新工作室", "level": "city", "leader_name": "李娜", "field": "数控加工",
                         "host_employer": "杭州示例科技有限公司", "members": 9, "named_year": 2025}),
    Page("workforce:achievement_new", ZHEJIANG_POST, method="post", args=lambda c: [a_studio(c).pk],
         data=lambda c: {"kind": "patent", "title": "一种数控夹具", "year": 2025}),
    Page("workforce:innovations", CADRES),
    Page("workforce:innovations", CADRES, query="?status=submitted&kind=renovation", setup=an_innovation,
         variant="filtered"),
    Page("workforce:innovation", COMPANY_READ, args=lambda c: [an_innovation(c).pk]),
    Page("workforce:innovation_step", COMPANY_POST, method="post", args=lambda c: [an_innovation(c).pk],
         data=lambda c: {"to": "review", "version": an_innovation(c).case.version}),
    Page("workforce:innovation_new", WRITERS),
    Page("workforce:innovation_new", COMPANY_CHOICE, method="post",
         data=lambda c: IDEA | {"org": c.orgs.company.pk, "id_number": LI_NA_ID}),
    Page("workforce:my_innovations", SIGNED_IN),
    Page("workforce:my_innovation_new", MEMBER_ONLY),
    Page("workforce:my_innovation_new", MEMBER_ONLY | {"worker": 302}, method="post", data=lambda c: IDEA),
    Page("workforce:my_innovation", OWNER_ONLY, args=lambda c: [an_innovation(c).pk]),
    Page("workforce:nomination_new", ZHEJIANG_FORM | {"grassroots_admin": 200}, args=lambda c: [award_round(c).pk]),
    Page("workforce:nomination_new", COMPANY_POST, method="post", args=lambda c: [award_round(c).pk],
         data=lambda c: {"org": c.orgs.company.pk, "employer": UNIT_USCC, "unit": "杭州", "deeds": "无欠薪"}),
    Page("workforce:nomination", COMPANY_READ, args=lambda c: [unit_nomination(c).pk]),
    Page("workforce:unit_check", COMPANY_POST, method="post", args=lambda c: [unit_nomination(c).pk],
         data=_evidence),
    Page("workforce:unit_check_file", COMPANY_READ, args=lambda c: [unit_check(c).pk]),
    Page("workforce:alliances", CADRES),
    Page("workforce:alliance_new", WRITERS),
    Page("workforce:alliance_new", ZHEJIANG_CHOICE, method="post",
         data=lambda c: {"org": c.orgs.zhejiang.pk, "name": "数控创新联盟", "field": "智能制造", "formed_year": 2025,
                         "lead": a_studio(c).pk, "members": [second_studio(c).pk]}),
    Page("workforce:studio_evaluate", ZHEJIANG_POST, method="post", args=lambda c: [a_studio(c).pk],
         data=lambda c: {"year": 2025, "score": "92", "evaluator": "考核组", "evaluated_on": "2026-01-10"}),
    Page("workforce:rest_batches", CADRES),
    Page("workforce:rest_batch_new", WRITERS),
    Page("workforce:rest_batch_new", ZHEJIANG_CHOICE, method="post",
         data=lambda c: {"org": c.orgs.zhejiang.pk, "place": "莫干山疗休养院", "starts_on": timezone.localdate(),
                         "ends_on": timezone.localdate(), "capacity": 10}),
    Page("workforce:rest_batch", ZHEJIANG_READ, args=lambda c: [enrolled_batch(c).pk]),
    Page("workforce:rest_enrol", ZHEJIANG_POST, method="post", args=lambda c: [rest_batch(c).pk],
         data=lambda c: {"model_worker": rest_batch(c).worker.pk}),
    Page("workforce:rest_attendance", ZHEJIANG_POST, method="post", args=lambda c: [enrolled_batch(c).pk],
         data=lambda c: {"attended": [enrolled_batch(c).enrolments.get().pk]}),
    Page("workforce:model_worker", ZHEJIANG_READ, args=lambda c: [make_model_worker(c).pk]),
    Page("workforce:hardship_flag", ZHEJIANG_POST, method="post", args=lambda c: [care_item(c).model_worker.pk],
         data=lambda c: {"version": 1, "note": "配偶重病"}),
    # 先进典型宣传: entered and removed by whoever may change the model worker (its union and those above)
    Page("workforce:publicity_add", ZHEJIANG_POST, method="post", args=lambda c: [make_model_worker(c).pk],
         data=lambda c: {"level": "national", "campaign": "最美职工", "published_on": "2025-05-01",
                         "link": "https://www.acftu.org/"}),
    Page("workforce:publicity_remove", ZHEJIANG_POST, method="post",
         args=lambda c: [a_publicity(c).model_worker_id, a_publicity(c).pk]),
    Page("workforce:round_new", WRITERS),
    Page("workforce:round_new", ZHEJIANG_CHOICE, method="post",
         data=lambda c: {"org": c.orgs.zhejiang.pk, "name": "2027年五一劳动奖章评选", "title": "may_day_medal",
                         "year": YEAR, "notice_days": 5, "quotas": "", "rule_industrial": "least",
                         "percent_industrial": "35"}),
]  # fmt: skip


WRITE = codes(201, 201, 404, 404, 403, 403, 403, 401)
OWN = codes(404, 404, 404, 404, 404, 404, 404, 401)
READ = codes(200, 200, 404, 404, 200, 403, 403, 401)
LIST = codes(200, 200, 200, 200, 200, 403, 403, 401)


ZHAO_ID = valid_id("33010619880101003")


def third_member(cast):
    """赵强, a third member of the company union (not entered yet)."""
    member = member_create(actor=None, org=cast.orgs.company, name="赵强", id_number=ZHAO_ID,
                           phone="13500007777", joined_on=dt.date(2021, 1, 1))  # fmt: skip
    return member.person


def _new_judge(cast, caller):
    ev(cast)
    judge_user(f"newjudge-{caller}", "新裁判")
    return {"username": f"newjudge-{caller}", "name": "新裁判"}


API_CASES: list = [
    Case("competitions", "list", "GET", "/workforce/competitions", LIST),
    Case("competition", "create", "POST", "/workforce/competitions", WRITE,
         body=lambda c, u: {"org_id": c.orgs.zhejiang.pk, "name": "2026年浙江省职工职业技能大赛", "year": YEAR}),
    Case("event", "create", "POST", "/workforce/competitions/{competition_id}/events", WRITE,
         path=lambda c: f"/workforce/competitions/{ev(c).competition.pk}/events",
         body=lambda c, u: ev(c) and {"occupation": "焊工", "grade": "2", "held_on": "2026-05-01"}),
    Case("entry", "create", "POST", "/workforce/events/{event_id}/entries", WRITE,
         path=lambda c: f"/workforce/events/{ev(c).event.pk}/entries",
         body=lambda c, u: ev(c) and {"name": "赵强", "unit": "杭州示例", "person_ids": [third_member(c).pk]}),
    Case("judge", "create", "POST", "/workforce/events/{event_id}/judges", WRITE,
         path=lambda c: f"/workforce/events/{ev(c).event.pk}/judges", body=_new_judge),
    Case("ranking", "detail", "GET", "/workforce/events/{event_id}/ranking", READ,
         path=lambda c: f"/workforce/events/{ev(c).event.pk}/ranking"),
    Case("judging", "list", "GET", "/workforce/judging", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    Case("sheet", "detail", "GET", "/workforce/judging/{judge_id}", OWN,
         path=lambda c: f"/workforce/judging/{ev(c).judges[0].pk}"),
    Case("score", "update", "POST", "/workforce/judging/{judge_id}/scores", OWN,
         path=lambda c: f"/workforce/judging/{ev(c).judges[0].pk}/scores",
         body=lambda c, u: {"competitor_id": ev(c).competitors[0].pk, "value": "90"}),
    Case("recusal", "create", "POST", "/workforce/judging/{judge_id}/recusals", OWN,
         path=lambda c: f"/workforce/judging/{ev(c).judges[0].pk}/recusals",
         body=lambda c, u: {"entry_id": ev(c).entries[0].pk, "relation": "family"}),
    Case("sign", "update", "POST", "/workforce/judging/{judge_id}/sign", OWN,
         path=lambda c: f"/workforce/judging/{ev(c).judges[0].pk}/sign", body=lambda c, u: ev(c) and None),
    Case("model_workers", "list", "GET", "/workforce/model-workers", LIST),
    Case("studios", "list", "GET", "/workforce/studios", LIST),
    Case("innovations", "list", "GET", "/workforce/innovations", LIST),
    Case("innovation", "create", "POST", "/workforce/innovations", codes(201, 201, 404, 201, 403, 403, 403, 401),
         body=lambda c, u: IDEA | {"org_id": c.orgs.company.pk, "person_id": c.members.li.person.pk}),
    Case("my_innovations", "list", "GET", "/workforce/my/innovations", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    # only a member with a membership in force submits; anyone else is told so (400), nothing saved
    Case("my_innovation", "create", "POST", "/workforce/my/innovations", codes(400, 400, 400, 400, 400, 201, 400, 401),
         body=lambda c, u: IDEA),
    Case("studio", "create", "POST", "/workforce/studios", WRITE,
         body=lambda c, u: {"org_id": c.orgs.zhejiang.pk, "name": "张伟劳模创新工作室", "level": "provincial",
                            "leader_name": "张伟", "field": "电力运维", "host_employer": "杭州示例科技有限公司",
                            "named_year": 2025}),
]  # fmt: skip


def snapshot():
    """What a refused write must leave unchanged."""
    return tuple(
        list(model.objects.order_by("pk").values_list("pk", flat=True))
        for model in (Competition, Event, Entry, Competitor, Judge, Recusal, Score, Studio, ModelWorker, Nomination,
                      Innovation)
    ) + (list(Score.objects.order_by("pk").values_list("value", "signed")),
         list(Judge.objects.order_by("pk").values_list("signed_at")))  # fmt: skip


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """浙江's competition, event and a judge's appointment for the scope probe (core/tests/test_scope_probe.py)."""
    made = make_event(cast, judges=1)
    return {"competition_id": made.competition.pk, "event_id": made.event.pk, "judge_id": made.judges[0].pk}
