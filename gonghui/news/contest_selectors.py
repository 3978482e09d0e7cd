"""Reads of knowledge contests: a union's bank, the contests in a cadre's scope, the open contests that reach a
member (the audience as an article's), a member's attempt (questions without their answers until submitted),
the leaderboard at each union level and the results list."""

import datetime as dt

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery, Window
from django.db.models.functions import RowNumber
from django.http import Http404
from django.utils import timezone

from gonghui.core.masking import mask_name
from gonghui.news.models import Attempt, Audience, Contest, ContestTarget, Question
from gonghui.news.selectors import membership_of
from gonghui.orgs.models import Org

__all__ = ["membership_of"]
BOARD_SIZE = 10


def bank(org: Org, *, category: str = "", difficulty: str = "") -> QuerySet:
    rows = Question.objects.filter(org=org)
    if category:
        rows = rows.filter(category=category)
    if difficulty:
        rows = rows.filter(difficulty=difficulty)
    return rows


def questions_visible_to(user, *, org_id: int | None = None, category: str = "", difficulty: str = "",
                         kind: str = "") -> QuerySet:  # fmt: skip
    rows = Question.objects.in_scope(user).select_related("org")
    for name, value in (("org_id", org_id), ("category", category), ("difficulty", difficulty), ("kind", kind)):
        if value:
            rows = rows.filter(**{name: value})
    return rows.order_by("-created_at", "-id")


def contests_visible_to(user) -> QuerySet:
    return Contest.objects.in_scope(user).select_related("org").order_by("-starts_at", "-id")


def contest_for_read(user, pk: int) -> Contest:
    return Contest.objects.get_for_read(user, pk)


# ----- the member ------------------------------------------------------------------------------------------------


def reaching(membership, now: dt.datetime | None = None) -> QuerySet:
    """The open contests that reach a member: of their union or one above it, to its subtree or to a chosen
    union on the member's path, and to their employment form if limited."""
    now = now or timezone.now()
    org, form = membership.org, membership.person.employment_form
    chain = [*org.ancestor_paths(), org.path]
    chosen = Exists(ContestTarget.objects.filter(contest=OuterRef("pk"), path__in=chain))
    reach = Q(audience=Audience.SUBTREE) | (Q(audience=Audience.CHOSEN) & chosen)
    forms = Q(forms="") | Q(forms__contains=f",{form},")
    return Contest.objects.filter(org__path__in=chain, starts_at__lte=now, ends_at__gt=now).filter(reach & forms)


def open_for(user) -> list:
    """知识竞赛 on the phone: the open contests that reach the member, each with the attempts they used and
    their best score. Empty for someone who is not a member."""
    membership = membership_of(user)
    if membership is None:
        return []
    rows = list(reaching(membership).select_related("org").order_by("ends_at", "pk"))
    mine = Attempt.objects.filter(contest__in=rows, person_id=membership.person_id)
    used: dict[int, list[Attempt]] = {}
    for a in mine:
        used.setdefault(a.contest_id, []).append(a)
    for c in rows:
        done = [a for a in used.get(c.pk, []) if a.submitted_at]
        c.used = len(used.get(c.pk, []))
        c.best = max((a.score for a in done), default=None)
        c.left = max(0, c.attempts_allowed - c.used)
    return rows


def open_contest(user, pk: int) -> Contest:
    """One contest open to the member (404 for anything else)."""
    membership = membership_of(user)
    contest = reaching(membership).filter(pk=pk).select_related("org").first() if membership else None
    if contest is None:
        raise Http404("竞赛不存在或不在您的参赛范围内")
    return contest


def own_attempt(user, pk: int) -> Attempt:
    """The member's own attempt (404 for anyone else's)."""
    person = getattr(user, "person_id", None)
    attempt = (Attempt.objects.filter(pk=pk, person_id=person).select_related("contest__org").first()
               if person else None)  # fmt: skip
    if attempt is None:
        raise Http404("答题记录不存在")
    return attempt


def paper(attempt: Attempt) -> list[dict]:
    """The attempt's questions as the member sees them: the answer and whether they were right only once it
    is submitted. This is the one place a question is put into a page or a response."""
    shown = attempt.submitted_at is not None
    out = []
    for item in attempt.items.select_related("question"):
        q = item.question
        row = {"position": item.position, "kind": q.kind, "kind_label": q.get_kind_display(), "text": q.text,
               "options": [{"letter": chr(65 + i), "text": t} for i, t in enumerate(q.options)]}  # fmt: skip
        if shown:
            row |= {"chosen": item.chosen, "answer": q.answer, "right": bool(item.right)}
        out.append(row)
    return out


# ----- leaderboard -----------------------------------------------------------------------------------------------


# The order of a board: higher score first, then less time, then the earlier submission, then the person.
BOARD_ORDER = (F("score").desc(), F("seconds").asc(), F("submitted_at").asc(), F("person_id").asc())


def _best_attempts(contest: Contest, path: str) -> QuerySet:
    """Each person's best submitted attempt under ``path`` (one row per person): a correlated subquery picks
    the first of their attempts in the board's order."""
    level = Attempt.objects.filter(contest=contest, submitted_at__isnull=False, org_path__startswith=path)
    best = level.filter(person_id=OuterRef("person_id")).order_by("-score", "seconds", "submitted_at", "pk")
    return level.filter(pk=Subquery(best.values("pk")[:1]))


def ranking(contest: Contest, path: str, limit: int | None = None) -> list[dict]:
    """The board under ``path``, computed in the database: the best attempts numbered by a window function
    (ROW_NUMBER over the board's order; SQLite and PostgreSQL alike), the first ``limit`` of them."""
    fields = ("rank", "person_id", "person__name", "org_path", "score", "seconds")
    rows = (_best_attempts(contest, path).annotate(rank=Window(RowNumber(), order_by=BOARD_ORDER))
            .order_by("rank").values_list(*fields))  # fmt: skip
    if limit is not None:
        rows = rows[:limit]
    return [{"rank": rank, "person_id": person, "name": mask_name(name), "path": where, "score": score,
             "seconds": seconds or 0} for rank, person, name, where, score, seconds in rows]  # fmt: skip


def place(contest: Contest, path: str, person_id: int) -> dict | None:
    """One person's row of the board under ``path`` (None if they have no submitted attempt there): their
    best attempt, and its rank as one more than the best attempts ahead of it (a count in the database)."""
    mine = (_best_attempts(contest, path).filter(person_id=person_id)
            .values_list("person__name", "org_path", "score", "seconds", "submitted_at").first())  # fmt: skip
    if mine is None:
        return None
    name, where, score, seconds, at = mine
    ahead = (Q(score__gt=score) | Q(score=score, seconds__lt=seconds)
             | Q(score=score, seconds=seconds, submitted_at__lt=at)
             | Q(score=score, seconds=seconds, submitted_at=at, person_id__lt=person_id))  # fmt: skip
    rank = _best_attempts(contest, path).filter(ahead).count() + 1
    return {"rank": rank, "person_id": person_id, "name": mask_name(name), "path": where, "score": score,
            "seconds": seconds or 0}  # fmt: skip


def leaderboards(contest: Contest, membership) -> list[dict]:
    """排行榜 at the member's union and each level above it up to the organiser: the top ten and the member's
    own place (names masked)."""
    org = membership.org
    levels = list(Org.objects.filter(path__in=[*org.ancestor_paths(), org.path], path__startswith=contest.org.path)
                  .order_by("-depth"))  # fmt: skip
    boards = []
    for level in levels:
        entrants = _best_attempts(contest, level.path).count()
        boards.append({"org": level, "top": ranking(contest, level.path, BOARD_SIZE), "entrants": entrants,
                       "me": place(contest, level.path, membership.person_id)})  # fmt: skip
    return boards


def results(user, contest_id: int | None) -> QuerySet:
    """成绩 of one contest (or every contest in scope), the submitted attempts, best first."""
    rows = Attempt.objects.in_scope(user).filter(submitted_at__isnull=False).select_related("contest", "person", "org")
    if contest_id:
        rows = rows.filter(contest_id=contest_id)
    return rows.order_by("-score", "seconds", "submitted_at", "pk")


def open_count(user) -> int:
    return len(open_for(user))
