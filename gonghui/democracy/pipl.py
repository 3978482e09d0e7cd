"""The person's terms as a workers' representative, for their own copy of their data: the congress, term,
constituency, the election's figures, the sittings they checked in at and the ballots they voted in (never how:
the papers are not linked to anyone)."""

from gonghui.democracy.models import Representative
from gonghui.members.models import Person


def representative_section(person: Person) -> list[dict]:
    reps = Representative.objects.filter(person=person).select_related("term__congress").order_by("term__starts_on")
    return [
        {"职代会": r.term.congress.name, "届次": str(r.term), "代表类别": r.get_role_display(),
         "身份": r.get_category_display(), "选举单位": r.constituency, "得票数": r.votes_for,
         "签到的会议": [c.sitting.title for c in r.checkins.select_related("sitting").order_by("sitting__starts_on")],
         "参加投票的表决": [c.ballot.title for c in r.casts.select_related("ballot").order_by("ballot_id")]}
        for r in reps
    ]  # fmt: skip
