"""知识竞赛 pages: the cadres' contests, question bank (one question, a spreadsheet import with a dry run and
an error file) and results; the member's open contests, answering on the phone and the leaderboards."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.core import sheet_import
from gonghui.core.lists import list_rows
from gonghui.core.web import flashed, int_param
from gonghui.news import contest_selectors as selectors
from gonghui.news import contest_services as services
from gonghui.news.forms import ContestForm, QuestionForm, QuestionImportForm
from gonghui.news.lists import RESULTS
from gonghui.news.models import Attempt, Difficulty, QuestionKind
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors


def _first(user) -> dict | None:
    """The form's union: the user's top union they may write to."""
    tops = [o for o in access.top_orgs(user) if access.can_write(user, o)]
    return {"org": tops[0]} if tops else None


# ----- the cadres ------------------------------------------------------------------------------------------------


@login_required
def contests(request):
    access.require_cadre(request.user)
    page = Paginator(selectors.contests_visible_to(request.user), 20).get_page(
        int_param(request.GET.get("page", 1)) or 1
    )
    return render(request, "news/contests.html", {"page": page, "now": timezone.now(), "nav": "news"})


@login_required
@require_http_methods(["GET", "POST"])
def contest_new(request):
    access.require_cadre(request.user)
    writable = org_selectors.writable_orgs(request.user)
    tops = [o for o in access.top_orgs(request.user) if access.can_write(request.user, o)]
    depth = min((o.depth for o in tops), default=0)
    below = writable.filter(depth__gt=depth, depth__lte=depth + 2) if tops else writable.none()
    form = ContestForm(request.POST or None, initial={"org": tops[0]} if tops else None, orgs=writable,
                       targets=below)  # fmt: skip
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data["forms"] = data.pop("employment_forms")
        data["targets"] = list(data["targets"])
        try:
            contest = services.contest_create(actor=request.user, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "竞赛已创建，开始时间一到即向参赛范围内的会员开放。")
            return redirect("news:contest_detail", pk=contest.pk)
    return render(request, "news/contest_edit.html", {"form": form, "nav": "news"}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def contest_edit(request, pk: int):
    """修改 a contest before it opens; after that the page says why it cannot."""
    from gonghui.news.models import Contest

    contest = Contest.objects.get_for_write(request.user, pk)
    writable = org_selectors.writable_orgs(request.user)
    below = writable.filter(path__startswith=contest.org.path, depth__gt=contest.org.depth,
                            depth__lte=contest.org.depth + 2)  # fmt: skip
    initial = {"org": contest.org, "title": contest.title, "description": contest.description,
               "audience": contest.audience, "targets": [t.org for t in contest.targets.all()],
               "employment_forms": contest.form_list, "starts_at": timezone.localtime(contest.starts_at),
               "ends_at": timezone.localtime(contest.ends_at), "question_count": contest.question_count,
               "category": contest.category, "difficulty": contest.difficulty,
               "time_limit_minutes": contest.time_limit_minutes,
               "attempts_allowed": contest.attempts_allowed}  # fmt: skip
    form = ContestForm(request.POST or None, initial=initial, orgs=writable, targets=below)
    form.fields["org"].disabled = True
    started = contest.starts_at <= timezone.now()
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("org")
        data["forms"] = data.pop("employment_forms")
        data["targets"] = list(data["targets"])
        try:
            services.contest_update(actor=request.user, contest=contest, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "竞赛已修改。")
            return redirect("news:contest_detail", pk=contest.pk)
    context = {"form": form, "contest": contest, "started": started, "started_message": services.STARTED,
               "nav": "news"}  # fmt: skip
    return render(request, "news/contest_edit.html", context, status=400 if form.errors else 200)


@login_required
def contest_detail(request, pk: int):
    contest = selectors.contest_for_read(request.user, pk)
    listing = list_rows(request, RESULTS, filters={"contest": contest.pk})
    context = {**listing.context(), "c": contest, "top": selectors.ranking(contest, contest.org.path, 10),
               "can_unmask": access.can_unmask(request.user, contest.org), "now": timezone.now(),
               "nav": "news"}  # fmt: skip
    return render(request, "news/contest_detail.html", context)


@login_required
def bank(request):
    """题库: the questions of the unions in scope, by union, kind, category and difficulty."""
    access.require_cadre(request.user)
    get = request.GET
    org_id = int_param(get.get("org")) if get.get("org") else None
    rows = selectors.questions_visible_to(request.user, org_id=org_id, category=get.get("category", "").strip(),
                                          difficulty=get.get("difficulty", ""), kind=get.get("kind", ""))  # fmt: skip
    page = Paginator(rows, 30).get_page(int_param(get.get("page", 1)) or 1)
    context = {"page": page, "kinds": QuestionKind.choices, "difficulties": Difficulty.choices, "nav": "news"}
    return render(request, "news/bank.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def question_edit(request, pk: int):
    """修改 a question, unless a contest that has opened could draw it."""
    from gonghui.news.models import Question

    question = Question.objects.get_for_write(request.user, pk)
    letters = dict(zip("abcd", question.options if question.kind != QuestionKind.JUDGE else [], strict=False))
    initial = {"org": question.org, "kind": question.kind, "text": question.text, "category": question.category,
               "difficulty": question.difficulty,
               "answer": {"A": "正确", "B": "错误"}[question.answer] if question.kind == QuestionKind.JUDGE
               else question.answer} | {f"option_{x}": v for x, v in letters.items()}  # fmt: skip
    form = QuestionForm(request.POST or None, initial=initial, orgs=org_selectors.writable_orgs(request.user))
    form.fields["org"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        data.pop("org")
        options = [data.pop(f"option_{x}") for x in "abcd"]
        try:
            services.question_update(actor=request.user, question=question, options=options, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "题目已修改。")
            return redirect("news:bank")
    context = {"form": form, "question": question, "nav": "news"}
    return render(request, "news/question_new.html", context, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def question_new(request):
    access.require_cadre(request.user)
    form = QuestionForm(
        request.POST or None, initial=_first(request.user), orgs=org_selectors.writable_orgs(request.user)
    )
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        options = [data.pop(f"option_{x}") for x in "abcd"]
        try:
            services.question_create(actor=request.user, options=options, **data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "题目已加入题库。")
            return redirect("news:bank")
    return render(request, "news/question_new.html", {"form": form, "nav": "news"}, status=400 if form.errors else 200)


@login_required
@require_http_methods(["GET", "POST"])
def question_import(request):
    """导入题目: 预检 reads and checks every row and imports nothing; 导入 imports all rows or none; 下载错误文件
    gives back the wrong rows with their reasons (the same file uploaded again)."""
    access.require_cadre(request.user)
    form = QuestionImportForm(request.POST or None, request.FILES or None, initial=_first(request.user),
                              orgs=org_selectors.writable_orgs(request.user))  # fmt: skip
    check, listed = None, []
    if request.method == "POST" and form.is_valid():
        org, upload, mode = form.cleaned_data["org"], form.cleaned_data["file"], form.cleaned_data["mode"]
        try:
            access.require_write(request.user, org)
            outcome = sheet_import.run(mode, upload, services.QUESTION_SHEET, error_file="题目导入错误.xlsx",
                                       commit=lambda: services.questions_import(actor=request.user, org=org,
                                                                                upload=upload))  # fmt: skip
        except ValidationError as error:
            form.add_service_error(error)
        else:
            if outcome.count is not None:
                messages.success(request, f"已导入 {outcome.count} 道题。")
                return redirect("news:bank")
            if outcome.download is not None:
                return outcome.download
            if outcome.note:
                form.add_error(None, outcome.note)
            check, listed = outcome.check, outcome.check.listed_errors()
    context = {"form": form, "check": check, "errors": listed, "header": services.IMPORT_HEADER, "nav": "news"}
    return render(request, "news/question_import.html", context, status=400 if form.errors else 200)


@login_required
def question_template(request):
    """题目导入模板: the header and one example of each kind."""
    access.require_cadre(request.user)
    rows = [["单选题", "《中华人民共和国工会法》规定，工会是谁自愿结合的工人阶级群众组织？", "职工", "农民", "学生", "",
             "", "", "A", "工会法", "容易"],
            ["多选题", "下列哪些属于新就业形态劳动者？", "快递员", "外卖配送员", "网约车司机", "公务员", "", "", "ABC",
             "新就业形态", "中等"],
            ["判断题", "工会会员享有选举权、被选举权和表决权。", "", "", "", "", "", "", "正确", "工会章程",
             "容易"]]  # fmt: skip
    return sheet_import.xlsx_response("题目导入模板.xlsx", "题目", services.IMPORT_HEADER, rows)


# ----- the member ------------------------------------------------------------------------------------------------


@login_required
def quizzes(request):
    """知识竞赛 (phone first): the open contests that reach the member."""
    return render(request, "news/quizzes.html", {"rows": selectors.open_for(request.user), "nav": "me"})


@login_required
def quiz(request, pk: int):
    contest = selectors.open_contest(request.user, pk)
    membership = selectors.membership_of(request.user)
    mine = list(Attempt.objects.filter(contest=contest, person_id=membership.person_id).order_by("number"))
    now = timezone.now()
    running = next((a for a in mine if a.submitted_at is None and a.deadline > now), None)
    context = {"c": contest, "mine": mine, "left": max(0, contest.attempts_allowed - len(mine)), "running": running,
               "boards": selectors.leaderboards(contest, membership), "now": now, "nav": "me"}  # fmt: skip
    return render(request, "news/quiz.html", context)


@login_required
@require_POST
def quiz_start(request, pk: int):
    contest = selectors.open_contest(request.user, pk)
    try:
        attempt = services.attempt_start(actor=request.user, contest=contest)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
        return redirect("news:quiz", pk=pk)
    return redirect("news:attempt", pk=attempt.pk)


@login_required
def attempt(request, pk: int):
    row = selectors.own_attempt(request.user, pk)
    left = max(0, int((row.deadline - timezone.now()).total_seconds()))
    left_text = f"{left // 60} 分 {left % 60} 秒" if left >= 60 else f"{left} 秒"
    context = {"a": row, "c": row.contest, "paper": selectors.paper(row), "left": left, "left_text": left_text,
               "nav": "me"}  # fmt: skip
    return render(request, "news/attempt.html", context)


@login_required
@require_POST
def attempt_submit(request, pk: int):
    row = selectors.own_attempt(request.user, pk)
    answers = {}
    for item in row.items.all():
        answers[item.position] = request.POST.getlist(f"q{item.position}")
    with flashed(request) as outcome:
        row = services.attempt_submit(actor=request.user, attempt=row, answers=answers)
        outcome.success = f"已交卷，得分 {row.score}。"
    return redirect("news:attempt", pk=pk)
