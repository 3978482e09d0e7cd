"""Writes of knowledge contests (知识竞赛): a union's question bank (one question, or a spreadsheet checked in
full first: a dry run, an error file, nothing imported while any row is wrong), a contest, a member's attempt
(questions drawn and fixed at the start) and its submission, marked on the server within the time limit
(docs/decisions/0029-news-and-notices.md, "Knowledge contests")."""

import datetime as dt
import random

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from gonghui.core.audit import acting_user, atomic_audited, audit_record
from gonghui.core.errors import field_error
from gonghui.core.sheet_import import SheetCheck, SheetSpec, check_sheet, checked_for_import
from gonghui.members.models import EmploymentForm
from gonghui.news import contest_selectors as selectors
from gonghui.news.models import (
    Attempt,
    AttemptQuestion,
    Audience,
    Contest,
    ContestTarget,
    Difficulty,
    Question,
    QuestionKind,
)
from gonghui.orgs import access
from gonghui.orgs.models import Org

LETTERS = "ABCDEFGH"
JUDGE_OPTIONS = ["正确", "错误"]
JUDGE_WORDS = {"正确": "A", "对": "A", "√": "A", "T": "A", "TRUE": "A", "错误": "B", "错": "B", "×": "B", "F": "B",
               "FALSE": "B"}  # fmt: skip
GRACE = dt.timedelta(seconds=30)  # a submission may arrive this much after the limit (the network, a slow phone)
MAX_IMPORT_ROWS = 2000

# ----- the question bank -----------------------------------------------------------------------------------------


def checked_question(*, kind: str, text: str, options: list[str], answer: str, category: str = "",
                     difficulty: str = Difficulty.MEDIUM) -> dict:  # fmt: skip
    """A question's fields, checked; every problem reported at once (field -> Chinese message)."""
    errors: dict[str, str] = {}
    text = " ".join((text or "").split())
    category = (category or "").strip()
    options = [" ".join(str(o or "").split()) for o in options or []]
    while options and not options[-1]:
        options.pop()
    raw = (answer or "").strip().upper()
    answer = "".join(sorted(set(raw.replace(",", "").replace("，", "").replace("、", "").replace(" ", ""))))
    if kind not in QuestionKind.values:
        errors["kind"] = "题型须为单选题、多选题或判断题。"
    if not text:
        errors["text"] = "请填写题目。"
    elif len(text) > 300:
        errors["text"] = "题目不能超过 300 个字。"
    if len(category) > 30:
        errors["category"] = "分类不能超过 30 个字。"
    if difficulty not in Difficulty.values:
        errors["difficulty"] = "难度须为容易、中等或困难。"
    if kind == QuestionKind.JUDGE:
        options = list(JUDGE_OPTIONS)
        answer = JUDGE_WORDS.get(raw, raw if raw in ("A", "B") else "")
        if not answer:
            errors["answer"] = "判断题的答案须为“正确”或“错误”。"
    elif kind in QuestionKind.values:
        if len(options) < 2 or any(not o for o in options):
            errors["options"] = "请依次填写至少两个选项（中间不能空）。"
        elif len(options) > len(LETTERS):
            errors["options"] = f"选项不能超过 {len(LETTERS)} 个。"
        elif any(len(o) > 100 for o in options):
            errors["options"] = "每个选项不能超过 100 个字。"
        valid = LETTERS[: len(options)]
        if not answer or any(a not in valid for a in answer):
            errors["answer"] = f"答案须为选项字母（{valid[:1]}—{valid[-1:]}）。" if valid else "请填写答案。"
        elif kind == QuestionKind.SINGLE and len(answer) != 1:
            errors["answer"] = "单选题只能有一个答案。"
        elif kind == QuestionKind.MULTIPLE and len(answer) < 2:
            errors["answer"] = "多选题至少有两个正确选项。"
    if errors:
        raise ValidationError({k: ValidationError(v) for k, v in errors.items()})
    return {"kind": kind, "text": text, "options": options, "answer": answer, "category": category,
            "difficulty": difficulty}  # fmt: skip


@atomic_audited
def question_create(*, actor, org: Org, **fields) -> Question:
    """录入 one question into ``org``'s bank (a write role on it)."""
    access.require_write(actor, org)
    question = Question.objects.create(org=org, **checked_question(**fields))
    audit_record(actor=actor, action="news.question_create", obj=question, org=org)
    return question


# The import sheet: 题型 | 题目 | 选项A..选项F | 答案 | 分类 | 难度 (a header row first), read and checked by the
# shared all-or-nothing import (gonghui.core.sheet_import).
KIND_WORDS = {"单选": QuestionKind.SINGLE, "单选题": QuestionKind.SINGLE, "多选": QuestionKind.MULTIPLE,
              "多选题": QuestionKind.MULTIPLE, "判断": QuestionKind.JUDGE, "判断题": QuestionKind.JUDGE}  # fmt: skip
DIFFICULTY_WORDS = {label: value for value, label in Difficulty.choices} | {"": Difficulty.MEDIUM}
IMPORT_HEADER = ["题型", "题目", "选项A", "选项B", "选项C", "选项D", "选项E", "选项F", "答案", "分类", "难度"]


def _question_row(values: dict[str, str]) -> dict:
    return checked_question(kind=KIND_WORDS.get(values["题型"], ""), text=values["题目"],
                            options=[values[f"选项{x}"] for x in "ABCDEF"], answer=values["答案"],
                            category=values["分类"], difficulty=DIFFICULTY_WORDS.get(values["难度"], ""))  # fmt: skip


QUESTION_SHEET = SheetSpec(header=tuple(IMPORT_HEADER), required=("题型", "题目", "答案"), check_row=_question_row,
                           max_rows=MAX_IMPORT_ROWS, noun="道题", what="题目")  # fmt: skip


def questions_check(upload) -> SheetCheck:
    """Read and check an uploaded question sheet (.xlsx or .csv, the first sheet, columns as IMPORT_HEADER)."""
    return check_sheet(upload, QUESTION_SHEET)


@atomic_audited
def questions_import(*, actor, org: Org, upload) -> int:
    """导入 a checked sheet into ``org``'s bank: all rows or, if any is wrong, none."""
    access.require_write(actor, org)
    check = checked_for_import(upload, QUESTION_SHEET)
    Question.objects.bulk_create([Question(org=org, **q) for q in check.items])
    audit_record(actor=actor, action="news.question_import", org=org, detail={"count": len(check.items)})
    return len(check.items)


# ----- contests --------------------------------------------------------------------------------------------------


def _contest_fields(*, org: Org, title: str, starts_at: dt.datetime, ends_at: dt.datetime, question_count: int,
                    time_limit_minutes: int, attempts_allowed: int = 1, description: str = "",
                    audience: str = Audience.SUBTREE, targets: list[Org] | None = None, forms: list[str] | None = None,
                    category: str = "", difficulty: str = "") -> tuple[dict, list[Org]]:  # fmt: skip
    """A contest's fields and targets, checked (creation and editing); every problem reported at once."""
    errors: dict[str, str] = {}
    title = (title or "").strip()
    targets = list(dict.fromkeys(targets or []))
    forms = sorted(set(forms or []))
    if not title or len(title) > 120:
        errors["title"] = "请填写竞赛名称（不超过 120 个字）。"
    if starts_at is None or ends_at is None or ends_at <= starts_at:
        errors["ends_at"] = "结束时间须晚于开始时间。"
    elif ends_at <= timezone.now():
        errors["ends_at"] = "结束时间须晚于现在。"
    if not 1 <= (question_count or 0) <= 100:
        errors["question_count"] = "每次抽题数须为 1 至 100。"
    if not 1 <= (time_limit_minutes or 0) <= 180:
        errors["time_limit_minutes"] = "答题时限须为 1 至 180 分钟。"
    if not 1 <= (attempts_allowed or 0) <= 10:
        errors["attempts_allowed"] = "可答题次数须为 1 至 10。"
    if audience not in (Audience.SUBTREE, Audience.CHOSEN):
        errors["audience"] = "参赛范围须为本级及下属工会会员或选定的下属工会会员。"
    elif audience == Audience.CHOSEN and not targets:
        errors["targets"] = "请选择参赛的下属工会。"
    elif audience == Audience.CHOSEN and any(not t.path.startswith(org.path) or t.pk == org.pk for t in targets):
        errors["targets"] = "只能选择主办工会的下属工会。"
    elif audience != Audience.CHOSEN and targets:
        errors["targets"] = "只有“选定的下属工会会员”范围才能选择下属工会。"
    if any(f not in EmploymentForm.values for f in forms):
        errors["forms"] = "就业形态选项无效。"
    if difficulty and difficulty not in Difficulty.values:
        errors["difficulty"] = "难度选项无效。"
    bank = selectors.bank(org, category=category or "", difficulty=difficulty or "").count()
    if "question_count" not in errors and bank < (question_count or 0):
        errors["question_count"] = f"题库中符合条件的题目只有 {bank} 道，少于每次抽题数。"
    if errors:
        raise ValidationError({k: ValidationError(v) for k, v in errors.items()})
    fields = {"title": title, "description": (description or "").strip(), "audience": audience,
              "forms": "," + ",".join(forms) + "," if forms else "", "starts_at": starts_at, "ends_at": ends_at,
              "question_count": question_count, "category": (category or "").strip(), "difficulty": difficulty or "",
              "time_limit_minutes": time_limit_minutes, "attempts_allowed": attempts_allowed}  # fmt: skip
    return fields, targets


@atomic_audited
def contest_create(*, actor, org: Org, **fields) -> Contest:
    """创建 a contest of ``org`` on its own bank; the bank must hold enough questions of the chosen kind."""
    access.require_write(actor, org)
    checked, targets = _contest_fields(org=org, **fields)
    contest = Contest.objects.create(org=org, created_by=acting_user(actor), **checked)
    ContestTarget.objects.bulk_create([ContestTarget(contest=contest, org=t, path=t.path) for t in targets])
    audit_record(actor=actor, action="news.contest_create", obj=contest, org=org)
    return contest


STARTED = "竞赛已经开始，不能再修改（已开始的竞赛须对所有参赛会员保持一致）；如需调整，请创建新的竞赛。"


@atomic_audited
def contest_update(*, actor, contest: Contest, now: dt.datetime | None = None, **fields) -> Contest:
    """修改 a contest before it opens (after its start: refused, whoever has answered or not)."""
    access.require_write(actor, contest.org)
    contest = Contest.objects.select_for_update().select_related("org").get(pk=contest.pk)
    if contest.starts_at <= (now or timezone.now()):
        raise field_error("starts_at", STARTED)
    checked, targets = _contest_fields(org=contest.org, **fields)
    for name, value in checked.items():
        setattr(contest, name, value)
    contest.save()
    ContestTarget.objects.filter(contest=contest).delete()
    ContestTarget.objects.bulk_create([ContestTarget(contest=contest, org=t, path=t.path) for t in targets])
    audit_record(actor=actor, action="news.contest_update", obj=contest, org=contest.org)
    return contest


def question_in_use(question: Question, *, category: str, difficulty: str, now: dt.datetime | None = None) -> bool:
    """Whether a contest of the question's union that has opened could draw it (with these category and
    difficulty), or an attempt already holds it."""
    from django.db.models import Q

    opened = Contest.objects.filter(org_id=question.org_id, starts_at__lte=now or timezone.now())
    could = opened.filter(Q(category="") | Q(category=category), Q(difficulty="") | Q(difficulty=difficulty))
    return could.exists() or AttemptQuestion.objects.filter(question=question).exists()


@atomic_audited
def question_update(*, actor, question: Question, now: dt.datetime | None = None, **fields) -> Question:
    """修改 a question of the bank, as long as no contest that has opened could draw it, before or after the
    change (its text and answer must stay what the entrants saw); refused in Chinese otherwise."""
    access.require_write(actor, question.org)
    question = Question.objects.select_for_update().get(pk=question.pk)
    checked = checked_question(**fields)
    if question_in_use(
        question, category=question.category, difficulty=question.difficulty, now=now
    ) or question_in_use(question, category=checked["category"], difficulty=checked["difficulty"], now=now):
        raise field_error("text", "已开始的竞赛会抽到这道题（或已有会员答过），不能再修改；可以录入一道新题。")
    for name, value in checked.items():
        setattr(question, name, value)
    question.save()
    audit_record(actor=actor, action="news.question_update", obj=question, org=question.org)
    return question


# ----- the member's attempt ------------------------------------------------------------------------------------


def attempt_start(*, actor, contest: Contest, now: dt.datetime | None = None) -> Attempt:
    """开始答题 on a contest that reaches the member (``selectors.open_contest``): the attempt still running if
    there is one, else a new one with its questions drawn now and fixed. Two taps at once make one attempt
    (the unique number); not audited (answering a quiz is not a decision)."""
    membership = selectors.membership_of(actor)
    if membership is None:
        raise field_error("contest", "请先加入工会，会员才能参加知识竞赛。")
    now = now or timezone.now()
    if not contest.is_open(now):
        raise field_error("contest", "竞赛不在开放时间内。")
    mine = Attempt.objects.filter(contest=contest, person_id=membership.person_id)
    running = mine.filter(submitted_at__isnull=True, deadline__gt=now).order_by("-number").first()
    if running is not None:
        return running
    used = mine.count()
    if used >= contest.attempts_allowed:
        raise field_error("contest", f"您的 {contest.attempts_allowed} 次答题机会已用完。")
    ids = list(selectors.bank(contest.org, category=contest.category, difficulty=contest.difficulty)
               .values_list("pk", flat=True))  # fmt: skip
    if len(ids) < contest.question_count:
        raise field_error("contest", "题库题目不足，请联系主办工会。")
    drawn = random.SystemRandom().sample(ids, contest.question_count)
    deadline = min(now + dt.timedelta(minutes=contest.time_limit_minutes), contest.ends_at)
    try:
        with transaction.atomic():
            attempt = Attempt.objects.create(contest=contest, person_id=membership.person_id, number=used + 1,
                                             org=membership.org, org_path=membership.org.path, started_at=now,
                                             deadline=deadline, total=len(drawn))  # fmt: skip
            AttemptQuestion.objects.bulk_create([AttemptQuestion(attempt=attempt, question_id=q, position=i)
                                                 for i, q in enumerate(drawn, start=1)])  # fmt: skip
    except IntegrityError:  # the same tap twice at the same moment
        return mine.order_by("-number").first()
    return attempt


def _normalised(kind: str, options: int, raw) -> str:
    letters = raw if isinstance(raw, list | tuple) else list(str(raw or ""))
    letters = "".join(sorted({str(x).strip().upper() for x in letters if str(x).strip()}))
    if any(a not in LETTERS[:options] for a in letters):
        raise field_error("answers", "所选答案不是本题的选项。")
    if kind != QuestionKind.MULTIPLE and len(letters) > 1:
        raise field_error("answers", "单选题和判断题只能选一个答案。")
    return letters


@atomic_audited
def attempt_submit(*, actor, attempt: Attempt, answers: dict[int, object], now: dt.datetime | None = None) -> Attempt:
    """交卷: marked here, on the server. Refused after the deadline (+ GRACE), and then the attempt stays
    unscored (it counts as used). A second submission (a double tap, a retry) changes nothing and returns the
    first result: the attempt row is locked."""
    attempt = Attempt.objects.select_for_update().get(pk=attempt.pk)
    if attempt.submitted_at is not None:
        return attempt
    now = now or timezone.now()
    if now > attempt.deadline + GRACE:
        raise field_error("answers", "已超过答题时限，本次答卷未被接受。")
    items = list(attempt.items.select_related("question"))
    correct = 0
    for item in items:
        q = item.question
        item.chosen = _normalised(q.kind, len(q.options), answers.get(item.position, ""))
        item.right = item.chosen == q.answer
        correct += item.right
    AttemptQuestion.objects.bulk_update(items, ["chosen", "right"])
    attempt.submitted_at = min(now, attempt.deadline)
    attempt.correct = correct
    attempt.score = round(correct * 100 / len(items)) if items else 0
    attempt.seconds = max(0, int((attempt.submitted_at - attempt.started_at).total_seconds()))
    attempt.save(update_fields=["submitted_at", "correct", "score", "seconds"])
    audit_record(actor=actor, action="news.attempt_submit", obj=attempt, org=attempt.contest.org,
                 detail={"score": attempt.score})  # fmt: skip
    return attempt


def attempts_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention (``news_attempt``): the attempts, with their answers, of contests that ended before ``cutoff``
    are deleted (the contest and its bank stay)."""
    from gonghui.core.batches import in_batches

    def work(ids: list[int]) -> int:
        AttemptQuestion.objects.filter(attempt_id__in=ids).delete()
        return Attempt.objects.filter(pk__in=ids).delete()[0]

    return in_batches(Attempt.objects.filter(contest__ends_at__lt=cutoff), work, batch_size)
