"""知识竞赛: the bank's checks and import (dry run, error file, all or nothing), the audience, scoring on the
server, the time limit, no answer before submission (page and API), a double submission, the leaderboard."""

import datetime as dt
import io
import re

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core.spreadsheets import read_sheets, write_xlsx
from gonghui.members.models import Membership
from gonghui.news import contest_selectors, contest_services
from gonghui.news.models import Attempt, AttemptQuestion, Audience, Contest, Question
from gonghui.news.tests.conftest import a_bank, a_contest
from gonghui.testing.api import ApiClient

# ----- the checks of a question and the ranking's arithmetic (no database) ---------------------------------------


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"kind": "single", "options": ["甲", "乙"], "answer": "AB"}, "answer", "单选题只能有一个答案"),
        ({"kind": "multiple", "options": ["甲", "乙"], "answer": "A"}, "answer", "至少有两个正确选项"),
        ({"kind": "single", "options": ["甲", "乙"], "answer": "C"}, "answer", "答案须为选项字母"),
        ({"kind": "single", "options": ["甲", "", "丙"], "answer": "A"}, "options", "至少两个选项"),
        ({"kind": "judge", "options": [], "answer": "也许"}, "answer", "判断题的答案"),
        ({"kind": "essay", "options": ["甲", "乙"], "answer": "A"}, "kind", "题型须为"),
    ],
)
def test_a_wrong_question_is_refused_with_its_reason(fields, field, message):
    with pytest.raises(ValidationError) as caught:
        contest_services.checked_question(text="题目", **fields)
    assert message in caught.value.message_dict[field][0]


def test_a_true_false_question_takes_its_words():
    fields = contest_services.checked_question(kind="judge", text="题目", options=["x"], answer="错误")
    assert fields["options"] == ["正确", "错误"] and fields["answer"] == "B"
    fields = contest_services.checked_question(kind="multiple", text="题", options=["a", "b", "c"], answer="c, a")
    assert fields["answer"] == "AC"


entries = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 100), st.integers(0, 600), st.integers(0, 10**6)),
                   max_size=30)  # fmt: skip


def _reference(rows) -> list[tuple]:
    """The board by its definition, in Python: each person's best (higher score, then less time, then earlier),
    ranked by the same key and then the person."""
    best: dict[int, tuple] = {}
    for person, score, seconds, at in rows:
        key = (-score, seconds, at)
        if person not in best or key < best[person]:
            best[person] = key
    ranked = sorted(best.items(), key=lambda kv: (kv[1], kv[0]))
    return [(i, p, -k[0], k[1]) for i, (p, k) in enumerate(ranked, start=1)]


@pytest.mark.django_db
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(rows=entries)
def test_the_board_in_the_database_is_each_persons_best_by_score_then_time(cast, rows):
    contest = Contest.objects.first() or a_contest(cast, org=cast.orgs.zhejiang, n=3)
    Attempt.objects.filter(contest=contest).delete()
    people = [cast.members.zhang, cast.members.li, cast.members.wang]
    at = timezone.now().replace(microsecond=0)
    data = [(people[p].person_id, s, sec, at + dt.timedelta(seconds=t)) for p, s, sec, t in rows]
    Attempt.objects.bulk_create([
        Attempt(contest=contest, person_id=person, number=i, org_path=cast.orgs.company.path, started_at=when,
                deadline=when, submitted_at=when, score=score, seconds=seconds, correct=0, total=3)
        for i, (person, score, seconds, when) in enumerate(data, start=1)])  # fmt: skip
    board = contest_selectors.ranking(contest, cast.orgs.zhejiang.path)
    assert [(r["rank"], r["person_id"], r["score"], r["seconds"]) for r in board] == _reference(data)
    assert contest_selectors.ranking(contest, cast.orgs.zhejiang.path, 2) == board[:2]
    for row in board:
        assert contest_selectors.place(contest, cast.orgs.company.path, row["person_id"]) == row
    assert contest_selectors.place(contest, cast.orgs.jiangsu.path, people[0].person_id) is None


# ----- with the cast ---------------------------------------------------------------------------------------------


def _right(attempt) -> dict[int, str]:
    return {i.position: i.question.answer for i in attempt.items.select_related("question")}


def test_scoring_on_the_server_and_a_second_submission_changes_nothing(cast):
    contest = a_contest(cast, n=3)
    attempt = contest_services.attempt_start(actor=cast.users.worker, contest=contest)
    assert contest_services.attempt_start(actor=cast.users.worker, contest=contest) == attempt  # resumes
    assert attempt.items.count() == 3 and attempt.deadline == attempt.started_at + dt.timedelta(minutes=5)
    answers = _right(attempt)
    wrong = min(answers)
    answers[wrong] = "B" if answers[wrong] != "B" else "A"
    done = contest_services.attempt_submit(actor=cast.users.worker, attempt=attempt, answers=answers)
    assert (done.correct, done.total, done.score) == (2, 3, 67)
    assert AttemptQuestion.objects.filter(attempt=attempt, right=False).count() == 1
    again = contest_services.attempt_submit(actor=cast.users.worker, attempt=attempt, answers=_right(attempt))
    assert (again.score, again.submitted_at) == (67, done.submitted_at)
    second = contest_services.attempt_start(actor=cast.users.worker, contest=contest)
    assert second.number == 2
    contest_services.attempt_submit(actor=cast.users.worker, attempt=second, answers={})
    with pytest.raises(ValidationError, match="机会已用完"):
        contest_services.attempt_start(actor=cast.users.worker, contest=contest)
    with pytest.raises(ValidationError, match="不是本题的选项"):
        third = Attempt.objects.create(contest=contest, person=cast.members.zhang.person, number=3,
                                       org_path="x", started_at=timezone.now(), deadline=timezone.now()
                                       + dt.timedelta(minutes=5))  # fmt: skip
        AttemptQuestion.objects.create(attempt=third, question=Question.objects.filter(kind="single").first(),
                                       position=1)  # fmt: skip
        contest_services.attempt_submit(actor=cast.users.worker, attempt=third, answers={1: "H"})


@pytest.mark.security
def test_the_time_limit_is_kept_on_the_server(cast):
    contest = a_contest(cast, n=3)
    attempt = contest_services.attempt_start(actor=cast.users.worker, contest=contest)
    late = attempt.deadline + contest_services.GRACE + dt.timedelta(seconds=1)
    with pytest.raises(ValidationError, match="已超过答题时限"):
        contest_services.attempt_submit(actor=cast.users.worker, attempt=attempt, answers=_right(attempt), now=late)
    attempt.refresh_from_db()
    assert attempt.submitted_at is None and attempt.score == 0
    # an expired attempt counts as used: the next start is a new one
    nxt = contest_services.attempt_start(actor=cast.users.worker, contest=contest,
                                         now=attempt.deadline + dt.timedelta(seconds=1))  # fmt: skip
    assert nxt.number == 2
    within = nxt.deadline + dt.timedelta(seconds=20)
    done = contest_services.attempt_submit(actor=cast.users.worker, attempt=nxt, answers=_right(nxt), now=within)
    assert done.score == 100 and done.submitted_at == nxt.deadline and done.seconds == 300
    # a contest's end cuts an attempt short
    ending = a_contest(cast, n=3, ends_at=timezone.now() + dt.timedelta(minutes=2), title="快结束的竞赛")
    short = contest_services.attempt_start(actor=cast.users.worker, contest=ending)
    assert short.deadline == ending.ends_at


def _scrub(text: str) -> str:
    """The page without what changes from one request to the next (the CSRF token, the seconds left)."""
    return re.sub(r"[A-Za-z0-9]{64}|剩余约 [^）]+", "", text)


@pytest.mark.security
def test_no_answer_reaches_the_phone_before_submission(cast, client):
    contest = a_contest(cast, n=3)
    client.force_login(cast.users.worker)
    response = client.post(f"/news/quizzes/{contest.pk}/start/")
    attempt = Attempt.objects.get(contest=contest)
    assert response.url == f"/news/attempts/{attempt.pk}/"
    page = _scrub(client.get(response.url).content.decode())
    api, me = ApiClient(), cast.users.worker
    body = api.get(f"/api/v1/news/attempts/{attempt.pk}", me).json()
    started = api.post(f"/api/v1/news/contests/{contest.pk}/attempts", me, {}).json()
    assert started["id"] == attempt.pk
    assert not {"answer", "right", "chosen", "score", "correct"} & (
        set(body) | {k for q in body["questions"] for k in q}
    )
    # the same attempt with every answer changed looks exactly the same
    for q in Question.objects.filter(org=contest.org):
        q.answer = "A" if q.answer != "A" else "B"
        q.save(update_fields=["answer"])
    assert _scrub(client.get(response.url).content.decode()) == page
    assert api.get(f"/api/v1/news/attempts/{attempt.pk}", me).json() == body
    assert "正确答案" not in page
    assert "继续答题" in client.get(f"/news/quizzes/{contest.pk}/").content.decode()
    answers = {str(i.position): list(i.question.answer) for i in attempt.items.select_related("question")}
    result = api.post(f"/api/v1/news/attempts/{attempt.pk}/submit", me, {"answers": answers}).json()
    assert result["score"] == 100 and all(q["right"] and q["answer"] for q in result["questions"])
    assert "正确答案" in client.get(response.url).content.decode()


@pytest.mark.django_db(transaction=True)
def test_two_submissions_at_once_score_once(cast):
    """Two threads submit the same attempt at the same moment (PostgreSQL: the row lock makes one wait)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL")
    contest = a_contest(cast, n=3)
    attempt = contest_services.attempt_start(actor=cast.users.worker, contest=contest)
    answers = _right(attempt)

    def submit(_):
        try:
            return contest_services.attempt_submit(actor=cast.users.worker, attempt=attempt, answers=answers).score
        finally:
            connections.close_all()

    with ThreadPoolExecutor(2) as pool:
        scores = list(pool.map(submit, range(2)))
    assert scores == [100, 100]
    from gonghui.core.models import AuditEvent

    assert AuditEvent.objects.filter(action="news.attempt_submit").count() == 1


def test_the_audience_is_an_articles(cast, client):
    worker, wang = cast.members.zhang, Membership.objects.get(person=cast.members.wang.person)
    zhang = Membership.objects.get(person=worker.person)
    a_bank(cast, n=3, org=cast.orgs.national)
    everyone = a_contest(cast, org=cast.orgs.national, title="全国竞赛")
    riders = a_contest(cast, org=cast.orgs.national, title="骑手竞赛", forms=["courier"])
    chosen = a_contest(cast, org=cast.orgs.national, title="江苏竞赛", audience=Audience.CHOSEN,
                       targets=[cast.orgs.nanjing])  # fmt: skip
    later = a_contest(cast, org=cast.orgs.national, title="下周竞赛", starts_at=timezone.now() + dt.timedelta(days=7),
                      ends_at=timezone.now() + dt.timedelta(days=8))  # fmt: skip
    assert set(contest_selectors.reaching(zhang)) == {everyone}
    assert set(contest_selectors.reaching(wang)) == {everyone, riders, chosen}
    client.force_login(cast.users.worker)
    page = client.get("/news/quizzes/").content.decode()
    assert "全国竞赛" in page and "骑手竞赛" not in page and "下周竞赛" not in page
    assert client.get(f"/news/quizzes/{riders.pk}/").status_code == 404
    assert client.post(f"/news/quizzes/{later.pk}/start/").status_code == 404
    with pytest.raises(ValidationError, match="只能选择主办工会的下属工会"):
        a_contest(cast, org=cast.orgs.zhejiang, audience=Audience.CHOSEN, targets=[cast.orgs.nanjing])


def test_the_leaderboard_at_each_level_breaks_ties_by_time(cast, client):
    contest = a_contest(cast, org=cast.orgs.zhejiang, n=3)
    now = timezone.now()
    li = Membership.objects.get(person=cast.members.li.person)
    zhang = Membership.objects.get(person=cast.members.zhang.person)
    for m, score, seconds in ((li, 100, 200), (zhang, 100, 150)):
        Attempt.objects.create(contest=contest, person_id=m.person_id, number=1, org=m.org, org_path=m.org.path,
                               started_at=now, deadline=now, submitted_at=now, score=score, seconds=seconds,
                               correct=3, total=3)  # fmt: skip
    boards = contest_selectors.leaderboards(contest, zhang)
    assert [b["org"] for b in boards][0] == cast.orgs.company and boards[-1]["org"] == cast.orgs.zhejiang
    assert [r["name"] for r in boards[0]["top"]] == ["张*", "李*"] and boards[0]["me"]["rank"] == 1
    client.force_login(cast.users.worker)
    page = client.get(f"/news/quizzes/{contest.pk}/").content.decode()
    assert "我的名次：第 1 名" in page and "李娜" not in page
    client.force_login(cast.users.province_admin)
    detail = client.get(f"/news/contests/{contest.pk}/").content.decode()
    assert "张**" in detail and "张伟" not in detail


def _sheet(rows) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    write_xlsx(buffer, [("题目", contest_services.IMPORT_HEADER, rows)])
    return SimpleUploadedFile("题目.xlsx", buffer.getvalue())


GOOD = ["单选题", "工会会员的义务包括？", "遵守法律", "逃避劳动", "", "", "", "", "A", "工会章程", "容易"]
BAD = ["多选题", "只有一个答案的多选题", "甲", "乙", "", "", "", "", "A", "", "中等"]


def test_import_checks_first_gives_an_error_file_and_imports_all_or_nothing(cast, client):
    client.force_login(cast.users.grassroots_admin)
    org = cast.orgs.company.pk
    rows = [GOOD, BAD, ["判断题", "会员可以自愿退会。", "", "", "", "", "", "", "正确", "", ""]]
    checked = client.post("/news/bank/import/", {"org": org, "mode": "check", "file": _sheet(rows)})
    text = checked.content.decode()
    assert "共 3 行，其中 1 行有误" in text and "第 3 行：多选题至少有两个正确选项" in text
    assert not Question.objects.exists()
    errors = client.post("/news/bank/import/", {"org": org, "mode": "errors", "file": _sheet(rows)})
    assert errors["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = next(read_sheets(io.BytesIO(errors.content), "xlsx"))
    back = [[str(c) for c in r] for r in sheet.rows]
    assert back[0][-1] == "错误原因" and len(back) == 2 and back[1][1] == BAD[1] and "至少有两个" in back[1][-1]
    refused = client.post("/news/bank/import/", {"org": org, "mode": "import", "file": _sheet(rows)})
    assert refused.status_code == 400 and "未导入任何题目" in refused.content.decode()
    assert not Question.objects.exists()
    done = client.post("/news/bank/import/", {"org": org, "mode": "import", "file": _sheet([GOOD, rows[2]])})
    assert done.status_code == 302 and Question.objects.filter(org=cast.orgs.company).count() == 2
    assert Question.objects.get(kind="judge").answer == "A"
    client.force_login(cast.users.readonly)
    refused = client.post("/news/bank/import/", {"org": org, "mode": "import", "file": _sheet([GOOD])})
    assert refused.status_code in (400, 403) and Question.objects.count() == 2


def test_a_contest_needs_enough_questions(cast, client):
    client.force_login(cast.users.grassroots_admin)
    form = {"org": cast.orgs.company.pk, "title": "知识竞赛", "audience": "subtree",
            "starts_at": "2030-01-01T09:00", "ends_at": "2030-01-10T18:00", "question_count": 5,
            "time_limit_minutes": 10, "attempts_allowed": 1}  # fmt: skip
    response = client.post("/news/contests/new/", form)
    assert response.status_code == 400 and "只有 0 道" in response.content.decode()
    a_bank(cast, n=6)
    assert client.post("/news/contests/new/", form | {"difficulty": "hard"}).status_code == 400
    assert client.post("/news/contests/new/", form).status_code == 302
