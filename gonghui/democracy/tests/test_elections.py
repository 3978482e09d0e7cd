"""Union elections (换届选举) as people take them: the list of unions whose committee's term ends soon, an
election of 杭州示例科技有限公司工会 (a members' assembly: it has fewer than 100 members) with its candidates checked
(members only, nobody related to the employer's principal), the secret ballot of the congress's machinery voted on
a phone with a receipt, the count (more than half of ALL the electorate, 2/3 turnout), the result submitted to the
upper union as a case and approved there, which records the new term on the org; a removal needs more than half
of all members; the arithmetic at its boundaries."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.cases.models import Case
from gonghui.core.models import AuditEvent
from gonghui.democracy import rules, selectors, services
from gonghui.democracy.models import Ballot, Election, SecretBallot, VoteCast
from gonghui.democracy.recount import recount
from gonghui.members.services import member_create
from gonghui.orgs.models import Org
from gonghui.testing.cast import add_user, valid_id

FEW = settings(max_examples=60, deadline=None)


# ----- the arithmetic ----------------------------------------------------------------------------------------------


@FEW
@given(st.integers(min_value=1, max_value=5000))
def test_removal_needs_more_than_half_of_all_members(total):
    half = total // 2
    assert not rules.removal_passes(half, total) and rules.removal_passes(half + 1, total)
    assert rules.removal_passes(total, total) and not rules.removal_passes(0, total)


@FEW
@given(st.integers(min_value=1, max_value=5000))
def test_an_election_is_valid_from_two_thirds_turnout(total):
    need = rules.quorum_needed(total)
    assert rules.turnout_valid(need, total) and not rules.turnout_valid(need - 1, total)


def test_the_assembly_of_all_members_up_to_the_limit():
    assert rules.assembly_of_all_members(100, 100) and not rules.assembly_of_all_members(101, 100)
    assert not rules.removal_passes(0, 0) and not rules.turnout_valid(0, 0)


@FEW
@given(st.integers(min_value=1, max_value=300), st.integers(min_value=0, max_value=9), st.data())
def test_the_elected_have_more_than_half_of_all_and_never_exceed_the_seats(total, seats, data):
    votes = data.draw(st.dictionaries(st.integers(0, 20), st.integers(0, total), max_size=12))
    won, tied = rules.elected(votes, total, seats)
    assert len(won) <= seats and not won & tied
    assert all(rules.more_than_half(votes[k], total) for k in won | tied)
    # everyone elected has more votes than anyone passing but not elected
    losers = [votes[k] for k in votes if k not in won and rules.more_than_half(votes[k], total)]
    assert all(votes[k] > max(losers, default=-1) for k in won)
    if tied:
        assert len(won) + len(tied) > seats and len({votes[k] for k in tied}) == 1


def test_a_tie_across_the_last_seat_elects_none_of_the_tied():
    assert rules.elected({"a": 9, "b": 7, "c": 7}, 10, 2) == ({"a"}, {"b", "c"})
    assert rules.elected({"a": 9, "b": 7, "c": 5}, 10, 2) == ({"a", "b"}, set())
    assert rules.elected({"a": 5, "b": 6}, 10, 2) == ({"b"}, set())  # 5 of 10 is not more than half


# ----- the life of an election -------------------------------------------------------------------------------------


def _members(cast, n: int):
    """``n`` more members of the company's union, each with an account (for voting on the phone)."""
    made = []
    for i in range(n):
        person = member_create(actor=None, org=cast.orgs.company, name=f"会员{i}", employment_form="standard",
                               id_number=valid_id(f"33010619880{i + 1}0{i + 1}10{i}")).person  # fmt: skip
        made.append((person, add_user(f"member{i}", person=person, display_name=f"会员{i}")))
    return made


def _election(cast, seats=2, **extra) -> Election:
    return services.election_create(actor=cast.users.grassroots_admin, org=cast.orgs.company,
                                    title="杭州示例科技有限公司工会第二届委员会选举", seats=seats, term_years=3,
                                    principal_name="周总", voting_on=timezone.localdate(), **extra)  # fmt: skip


def test_unions_whose_term_ends_are_listed_with_their_to_do(client, cast):
    # The company's committee (3 years from 2023-05-01) has ended; nothing else in the cast has a term.
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("democracy:elections")).content.decode()
    assert "杭州示例科技有限公司工会" in page and "待办：发起换届选举" in page and "已届满" in page
    assert selectors.terms_due_count(cast.users.province_admin) == 1
    assert selectors.terms_due_under(cast.orgs.xihu) == 1 and selectors.terms_due_under(cast.orgs.jiangsu) == 0
    client.force_login(cast.users.sibling_admin)
    assert "杭州示例科技有限公司工会" not in client.get(reverse("democracy:elections")).content.decode()
    # A union whose term ends in 4 months is listed ahead of time; one in 8 months only with 12 months.
    today = timezone.localdate()
    soon = Org.objects.filter(pk=cast.orgs.logistics.pk)
    soon.update(term_years=5, term_started_on=selectors._years_before(selectors._months_after(today, 4), 5))
    assert cast.orgs.logistics.pk in {o.pk for o in selectors.terms_due(cast.users.national_admin, months=6)}
    soon.update(term_started_on=selectors._years_before(selectors._months_after(today, 8), 5))
    assert cast.orgs.logistics.pk not in {o.pk for o in selectors.terms_due(cast.users.national_admin, months=6)}
    assert cast.orgs.logistics.pk in {o.pk for o in selectors.terms_due(cast.users.national_admin, months=12)}
    # Once an election is started, the to-do is done: the figure drops it.
    _election(cast)
    assert selectors.terms_due_count(cast.users.province_admin) == 0
    assert selectors.terms_due_by_org() == {}


def test_candidates_are_members_not_related_to_the_principal(client, cast):
    election = _election(cast)
    assert election.electorate == Election.Electorate.ASSEMBLY
    client.force_login(cast.users.grassroots_admin)
    act = reverse("democracy:election_act", args=[election.pk])
    from gonghui.testing.cast import LI_NA_ID, WANG_FANG_ID, ZHANG_WEI_ID

    related = client.post(act, {"action": "candidate", "id_number": LI_NA_ID, "relation": "spouse"})
    assert related.status_code == 400 and "单位主要负责人及其近亲属不得" in related.content.decode()
    # 王芳 is a member of another union: not found in the company admin's scope.
    other = client.post(act, {"action": "candidate", "id_number": WANG_FANG_ID, "relation": "none"})
    assert other.status_code == 400 and "没有这位会员" in other.content.decode()
    with pytest.raises(ValidationError, match="在册会员"):
        services.candidate_add(actor=cast.users.national_admin, election=election,
                               person=cast.members.wang.person, relation="none")  # fmt: skip
    assert not election.candidates.exists()
    ok = client.post(act, {"action": "candidate", "id_number": ZHANG_WEI_ID, "relation": "none"})
    assert ok.status_code == 302 and election.candidates.get().person == cast.members.zhang.person
    # The refusal is audited nowhere as a success; the addition is, with the declared relation.
    assert AuditEvent.objects.filter(action="democracy.candidate_add", detail__relation="none").count() == 1


def test_an_election_from_vote_to_the_recorded_term(client, cast):
    voters = _members(cast, 2)  # with 张伟 and 李娜: 4 members, all electors
    election = _election(cast)
    admin = cast.users.grassroots_admin
    for member in (cast.members.zhang, cast.members.li):
        services.candidate_add(actor=admin, election=election, person=member.person, relation="none")
    with pytest.raises(ValidationError, match="一次选举没有完成"):
        _election(cast)
    client.force_login(admin)
    act = reverse("democracy:election_act", args=[election.pk])
    assert client.post(act, {"action": "open"}).status_code == 302
    election.refresh_from_db()
    assert election.status == "voting" and election.electorate_total == 4
    ballot = election.ballot
    assert ballot.formal_total == 4 and [i.text for i in ballot.items.all()] == ["张伟", "李娜"]
    # The congress's ballot pages do not move an election's ballot.
    assert client.post(reverse("democracy:ballot_act", args=[ballot.pk]), {"action": "close"}).status_code == 302
    assert Ballot.objects.get(pk=ballot.pk).status == "open"

    # An elector votes on the phone: a receipt once; a second vote refused; a cadre who is no elector finds nothing.
    worker = cast.users.worker
    client.force_login(worker)
    assert (
        reverse("democracy:election_vote", args=[election.pk]) in client.get(reverse("democracy:mine")).content.decode()
    )
    vote = reverse("democracy:election_vote", args=[election.pk])
    answer = client.post(vote, {"item_1": "yes", "item_2": "yes"})
    assert answer.status_code == 200 and answer["Cache-Control"] == "no-store"
    code = answer.content.decode().split('id="receipt-code">')[1].split("<")[0]
    again = client.post(vote, {"item_1": "no", "item_2": "no"})
    assert again.status_code == 400 and "只能投一次" in again.content.decode()
    client.force_login(admin)
    assert client.get(vote).status_code == 404
    for _person, user in voters:
        services.election_vote(actor=user, election=election, choices={"1": "yes", "2": "no"})
    # No link between a voter and a paper: the cast rows name the elector, the papers name nobody.
    assert VoteCast.objects.filter(ballot=ballot, elector__isnull=False).count() == 3
    assert {f.name for f in SecretBallot._meta.get_fields()} == {"id", "ballot", "receipt_hash", "choices"}

    assert client.post(act, {"action": "count"}).status_code == 302
    election.refresh_from_db()
    # 3 of 4 voted (≥ 2/3): 张伟 3 yes (> 2 of 4) elected; 李娜 1 yes not.
    assert election.status == "counted"
    assert {c.person.name: c.elected for c in election.candidates.all()} == {"张伟": True, "李娜": False}
    assert recount(election.ballot).ok
    assert client.post(act, {"action": "submit"}).status_code == 302
    election.refresh_from_db()
    case = Case.objects.get(pk=election.case_id)
    assert election.status == "submitted" and case.kind == "union_election" and case.org == cast.orgs.company
    assert election.ballot.status == "published"
    # The union may not approve its own result; the papers are published for its electors.
    assert "上级工会批复" not in client.get(reverse("democracy:election", args=[election.pk])).content.decode()
    refused = client.post(act, {"action": "decide", "decision": "approve"})
    assert refused.status_code in (302, 403) and Election.objects.get(pk=election.pk).status == "submitted"
    client.force_login(worker)
    papers = client.post(reverse("democracy:papers", args=[ballot.pk]), {"receipt": code}).content.decode()
    assert 'id="found"' in papers

    # The upper union returns it (a reason is required), the union resubmits, the upper union approves.
    upper = cast.users.province_admin
    client.force_login(upper)
    page = client.get(reverse("democracy:election", args=[election.pk])).content.decode()
    assert "上级工会批复" in page
    bare = client.post(act, {"action": "decide", "decision": "return", "note": ""})
    assert bare.status_code == 400 and "退回须说明理由" in bare.content.decode()
    client.post(act, {"action": "decide", "decision": "return", "note": "请附选举结果公告"})
    assert Election.objects.get(pk=election.pk).status == "returned"
    services.election_submit(actor=admin, election=election)
    before = Org.objects.get(pk=cast.orgs.company.pk)
    assert before.term_started_on == dt.date(2023, 5, 1)
    client.post(act, {"action": "decide", "decision": "approve", "note": ""})
    election.refresh_from_db()
    org = Org.objects.get(pk=cast.orgs.company.pk)
    assert election.status == "approved" and election.approved_on == timezone.localdate()
    assert org.term_started_on == timezone.localdate() and org.term_years == 3 and org.version == before.version + 1
    # Through the orgs service: its own audit event, by the upper union's cadre.
    assert AuditEvent.objects.filter(action="org.update", actor=upper, object_id=str(org.pk)).exists()
    assert not org.term_overdue


def test_an_election_without_two_thirds_voting_is_void(cast):
    voters = _members(cast, 1)  # 3 members
    election = _election(cast, seats=1)
    admin = cast.users.grassroots_admin
    services.candidate_add(actor=admin, election=election, person=cast.members.li.person, relation="none")
    services.election_open(actor=admin, election=election)
    services.election_vote(actor=voters[0][1], election=election, choices={"1": "yes"})  # 1 of 3
    election = services.election_count(actor=admin, election=election)
    assert election.status == "failed" and not election.candidates.get().elected
    with pytest.raises(ValidationError, match="计票后"):
        services.election_submit(actor=admin, election=election)


@pytest.mark.parametrize(("yes", "removed"), [(2, False), (3, True)])
def test_removing_the_chair_needs_more_than_half_of_all_members(cast, yes, removed):
    voters = [u for _, u in _members(cast, 3)] + [cast.users.worker]  # with 李娜: 5 members
    admin = cast.users.grassroots_admin
    election = _election(cast, purpose=Election.Purpose.REMOVE)
    services.candidate_add(actor=admin, election=election, person=cast.members.li.person, relation="principal")
    services.election_open(actor=admin, election=election)
    assert election.ballot.items.get().text == "罢免李娜的工会主席职务"
    for i, user in enumerate(voters):  # 4 of 5 vote: the turnout is valid
        services.election_vote(actor=user, election=election, choices={"1": "yes" if i < yes else "abstain"})
    election = services.election_count(actor=admin, election=election)
    assert election.status == "counted" and election.candidates.get().elected is removed


def test_a_sibling_province_and_the_read_only_role_cannot_run_an_election(client, cast):
    election = _election(cast)
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("democracy:election", args=[election.pk])).status_code == 404
    client.force_login(cast.users.readonly)
    assert client.get(reverse("democracy:election", args=[election.pk])).status_code == 200
    assert client.post(reverse("democracy:election_act", args=[election.pk]), {"action": "open"}).status_code == 403
    assert Election.objects.get(pk=election.pk).status == "preparing"
