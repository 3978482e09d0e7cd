"""The person's terms as a workers' representative, for their own copy of their data: the congress, term,
constituency, the election's figures, their proposals and co-signatures, the sittings they checked in at and the
ballots they voted in (never how: the papers are not linked to anyone)."""

from gonghui.democracy.models import Candidate, Elector, Question, Representative
from gonghui.members.models import Person


def representative_section(person: Person) -> list[dict]:
    reps = Representative.objects.filter(person=person).select_related("term__congress").order_by("term__starts_on")
    return [
        {"职代会": r.term.congress.name, "届次": str(r.term), "代表类别": r.get_role_display(),
         "身份": r.get_category_display(), "选举单位": r.constituency, "得票数": r.votes_for,
         "签到的会议": [c.sitting.title for c in r.checkins.select_related("sitting").order_by("sitting__starts_on")],
         "参加投票的表决": [c.ballot.title for c in r.casts.select_related("ballot").order_by("ballot_id")],
         "提出的提案": [{"案由": p.title, "提案理由": p.reasons, "建议措施": p.measures, "状态": p.get_status_display(),
                         "评价": p.get_satisfaction_display()} for p in r.proposals.order_by("id")],
         "附议的提案": [c.proposal.title for c in r.cosigned.select_related("proposal").order_by("id")]}
        for r in reps
    ]  # fmt: skip


def election_section(person: Person) -> dict:
    """The union elections the person was an elector in (and whether they voted — never how) and stood in as a
    candidate, with their declared relation to the employer's principal and the outcome."""
    electors = Elector.objects.filter(person=person).select_related("election__org").order_by("election_id")
    candidates = Candidate.objects.filter(person=person).select_related("election__org").order_by("election_id")
    return {
        "选举人": [{"选举": e.election.title, "工会": e.election.org.name, "已投票": e.casts.exists()}
                   for e in electors],
        "候选人": [{"选举": c.election.title, "工会": c.election.org.name, "申报关系": c.get_relation_display(),
                    "结果": {True: "当选", False: "未当选", None: "未计票"}[c.elected]} for c in candidates],
    }  # fmt: skip


def question_section(person: Person) -> list[dict]:
    """The person's questions on their employer's open-affairs board, with the answers."""
    rows = Question.objects.filter(asker=person).select_related("disclosure__board__org").order_by("asked_on", "id")
    return [{"单位": q.disclosure.board.org.name, "公开事项": q.disclosure.title, "问题": q.text,
             "提问日期": q.asked_on.isoformat(), "答复": q.answer,
             "答复日期": q.answered_on.isoformat() if q.answered_on else ""} for q in rows]  # fmt: skip
