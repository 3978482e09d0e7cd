"""Every page and API operation of democratic management × every member of the cast (gonghui.testing.matrix).

The congress is 杭州示例科技有限公司's (its union's admin writes, 浙江 and the nation above it; 江苏 does not see
it); its representatives are 张伟 (the cast's worker) and 李娜, both formal: the worker has the phone pages."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.democracy import services
from gonghui.democracy.models import (
    Ballot,
    Candidate,
    Category,
    CheckIn,
    CoSigner,
    Election,
    Proposal,
    Role,
    SecretBallot,
    Sitting,
    VoteCast,
)
from gonghui.members.services import member_create
from gonghui.testing.api import ApiClient
from gonghui.testing.cast import valid_id
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect

SIGNED_IN = dict.fromkeys(USERS, 200) | {"anonymous": 302}


def congress(cast):
    """The congress with its two formal representatives and its sitting open (nobody checked in)."""
    if not hasattr(cast, "small_congress"):
        admin, today = cast.users.grassroots_admin, timezone.localdate()
        made = services.congress_create(actor=admin, org=cast.orgs.company, name="示例科技职代会", kind="enterprise",
                                        staff_count=60, women_staff=20)  # fmt: skip
        term = services.term_create(actor=admin, congress=made, number=1, starts_on=today,
                                    ends_on=today + dt.timedelta(days=3 * 365))  # fmt: skip
        for member in (cast.members.zhang, cast.members.li):
            services.representative_add(actor=admin, term=term, person=member.person, role=Role.FORMAL,
                                        category=Category.FRONTLINE, constituency="一车间")  # fmt: skip
        sitting = services.sitting_create(actor=admin, term=term, number=1, title="第一届第一次会议", starts_on=today,
                                          place="报告厅", materials_sent_on=today - dt.timedelta(days=7))  # fmt: skip
        cast.small_congress = services.sitting_open(actor=admin, sitting=sitting)
    return cast.small_congress


def open_ballot(cast):
    """Both representatives checked in, a secret ballot of one item open."""
    if not hasattr(cast, "open_ballot"):
        sitting, admin = congress(cast), cast.users.grassroots_admin
        for rep in sitting.term.representatives.all():
            services.checkin_by_staff(actor=admin, sitting=sitting, representative=rep)
        ballot = services.ballot_create(actor=admin, sitting=sitting, title="集体合同草案", kind="resolution",
                                        method="secret", items=["集体合同（草案）"])  # fmt: skip
        cast.open_ballot = services.ballot_open(actor=admin, ballot=ballot)
    return cast.open_ballot


def published(cast):
    if not hasattr(cast, "published_ballot"):
        ballot, admin = open_ballot(cast), cast.users.grassroots_admin
        li = ballot.sitting.term.representatives.get(person=cast.members.li.person)
        services.cast_paper(ballot=ballot, representative=li, choices={"1": "yes"})
        ballot = services.ballot_close(actor=admin, ballot=ballot)
        cast.published_ballot = services.ballot_publish(actor=admin, ballot=ballot)
    return cast.published_ballot


def proposal(cast):
    """李娜's proposal, co-signed by 周敏 and 吴刚 (confirmed: before the committee) and by 张伟 (the worker, not
    yet confirmed); the two extra formal representatives are added to the small congress here."""
    if not hasattr(cast, "proposal"):
        sitting, admin = congress(cast), cast.users.grassroots_admin
        extra = []
        for name, first17 in (("周敏", "33010619930505055"), ("吴刚", "33010619940606066")):
            person = member_create(actor=None, org=cast.orgs.company, name=name, id_number=valid_id(first17),
                                   employment_form="standard").person  # fmt: skip
            extra.append(services.representative_add(actor=admin, term=sitting.term, person=person, role=Role.FORMAL,
                                                     category=Category.FRONTLINE, constituency="二车间"))  # fmt: skip
        reps = {r.person_id: r for r in sitting.term.representatives.all()}
        made = services.submit_for(rep=reps[cast.members.li.person.pk], sitting=sitting, title="关于增设充电桩的提案",
                                   reasons="私拉电线充电有消防隐患。", measures="在车棚增设集中充电桩。",
                                   cosigners=[*extra, reps[cast.members.zhang.person.pk]])  # fmt: skip
        for signer in made.cosigners.exclude(representative__person=cast.members.zhang.person):
            made = services.cosign_for(proposal=made, signer=signer)
        cast.proposal = made
    return cast.proposal


def board(cast):
    """The company's 厂务公开 board (a non-public firm) with one standing item posted today."""
    if not hasattr(cast, "board"):
        admin, today = cast.users.grassroots_admin, timezone.localdate()
        made = services.board_create(actor=admin, org=cast.orgs.company, ownership="non_public")
        cast.board_item = services.disclosure_post(actor=admin, board=made, kind="item", item="pay", title="工资方案",
                                                   body="上调5%", posted_on=today,
                                                   until=today + dt.timedelta(days=15))  # fmt: skip
        cast.board = made
    return cast.board


def election(cast):
    """The company union's election, voting: 李娜 the candidate, every member of the union an elector (the worker
    among them)."""
    if not hasattr(cast, "election"):
        admin = cast.users.grassroots_admin
        made = services.election_create(actor=admin, org=cast.orgs.company, title="第二届委员会选举", seats=1,
                                        term_years=5)  # fmt: skip
        services.candidate_add(actor=admin, election=made, person=cast.members.li.person, relation="none")
        cast.election = services.election_open(actor=admin, election=made)
    return cast.election


def _propose(cast):
    others = congress(cast).term.representatives.exclude(person=cast.members.zhang.person)
    return {"title": "关于延长食堂供餐时间的提案", "reasons": "中夜班职工下班后食堂已停止供餐。",
            "measures": "增加夜宵供应时段。", "cosigners": [r.pk for r in others]}  # fmt: skip


def _sitting(cast):
    return [congress(cast).pk]


def _congress(cast):
    return [congress(cast).term.congress_id]


def _new(cast):
    return {
        "org": cast.orgs.company.pk,
        "name": "新职代会",
        "kind": "enterprise",
        "staff_count": 150,
        "women_staff": 60,
    }


def _add_sitting(cast):
    term = congress(cast).term
    today = timezone.localdate()
    return {"what": "sitting", "number": term.sittings.count() + 1, "title": "临时会议", "starts_on": today,
            "place": "会议室", "materials_sent_on": today - dt.timedelta(days=7)}  # fmt: skip


PAGES: list = [
    Page("democracy:list", expect(200, 200, 200, 200, 200)),
    Page("democracy:new", expect(200, 200, 200, 200, 200)),
    # 江苏 and the read-only role have no union here to choose: the form refuses it.
    Page("democracy:new", expect(302, 302, 400, 302, 400), method="post", data=_new),
    Page("democracy:congress", expect(200, 200, 404, 200, 200), args=_congress),
    Page("democracy:congress_add", expect(302, 302, 404, 302, 403), method="post", args=_congress, data=_add_sitting),
    Page("democracy:sitting", expect(200, 200, 404, 200, 200), args=_sitting),
    Page("democracy:quorum", expect(200, 200, 404, 200, 200), args=_sitting),
    Page("democracy:sitting_act", expect(302, 302, 404, 302, 403), method="post", args=_sitting,
         data=lambda c: {"action": "checkin", "rep": congress(c).term.representatives.first().pk}),
    Page("democracy:ballot", expect(200, 200, 404, 200, 200), args=lambda c: [open_ballot(c).pk]),
    Page("democracy:ballot_act", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [open_ballot(c).pk],
         data=lambda c: {"action": "close"}),
    # The published papers: cadres in scope and the term's representatives (the worker).
    Page("democracy:papers", expect(200, 200, 404, 200, 200, worker=200, anonymous=302) | {"security_admin": 404},
         args=lambda c: [published(c).pk]),
    Page("democracy:papers", expect(200, 200, 404, 200, 200, worker=200, anonymous=302) | {"security_admin": 404},
         method="post", args=lambda c: [published(c).pk], data=lambda c: {"receipt": "ABCD-EFGH-JKMN-PQRS"}),
    # Voting is the representatives' own: a cadre who is not one finds no ballot.
    Page("democracy:vote", expect(404, 404, 404, 404, 404, worker=200) | {"security_admin": 404},
         args=lambda c: [open_ballot(c).pk]),
    Page("democracy:vote", expect(404, 404, 404, 404, 404, worker=200) | {"security_admin": 404}, method="post",
         args=lambda c: [open_ballot(c).pk], data=lambda c: {"item_1": "yes"}),
    Page("democracy:mine", SIGNED_IN),
    Page("democracy:checkin", SIGNED_IN, args=lambda c: [services.checkin_token(congress(c))]),
    # Only a representative of the term checks in; anyone else is told so.
    Page("democracy:checkin", SIGNED_IN | dict.fromkeys(USERS[:-1], 400) | {"worker": 302}, method="post",
         args=lambda c: [services.checkin_token(congress(c))]),
    # Proposals: the committee's list and pages (cadres in scope), the representatives' phone pages.
    Page("democracy:proposals", expect(200, 200, 200, 200, 200), setup=proposal),
    Page("democracy:proposal", expect(200, 200, 404, 200, 200), args=lambda c: [proposal(c).pk]),
    Page("democracy:proposal_act", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [proposal(c).pk],
         data=lambda c: {"action": "review", "decision": "accept"}),
    Page("democracy:my_proposals", SIGNED_IN, setup=proposal),
    Page("democracy:proposal_mine", expect(404, 404, 404, 404, 404, worker=200) | {"security_admin": 404},
         args=lambda c: [proposal(c).pk]),
    Page("democracy:proposal_mine", expect(404, 404, 404, 404, 404, worker=302) | {"security_admin": 404},
         method="post", args=lambda c: [proposal(c).pk], data=lambda c: {"action": "cosign"}),
    # Only a formal representative of the sitting's term proposes: for anyone else there is no such page.
    Page("democracy:propose", expect(404, 404, 404, 404, 404, worker=200) | {"security_admin": 404},
         args=lambda c: [congress(c).pk]),
    Page("democracy:propose", expect(404, 404, 404, 404, 404, worker=302) | {"security_admin": 404},
         method="post", args=lambda c: [congress(c).pk], setup=proposal, data=_propose),
    # Union elections: the cadres' list and pages; the electors' phone vote.
    Page("democracy:boards", expect(200, 200, 200, 200, 200), setup=board),
    Page("democracy:boards", expect(302, 302, 400, 302, 400), method="post",
         data=lambda c: {"org": c.orgs.company.pk, "ownership": "non_public"}),
    Page("democracy:board", expect(200, 200, 404, 200, 200),
         args=lambda c: [board(c).pk]),
    Page("democracy:board_act", expect(302, 302, 404, 302, 403),
         method="post", args=lambda c: [board(c).pk],
         data=lambda c: {"action": "post", "kind": "item", "item": "safety", "title": "防暑降温措施",
                         "body": "高温津贴按月发放。", "posted_on": timezone.localdate().isoformat(),
                         "until": (timezone.localdate() + dt.timedelta(days=20)).isoformat()}),
    Page("democracy:open_affairs", SIGNED_IN, setup=board),
    Page("democracy:open_affairs", SIGNED_IN | {"worker": 302}, method="post", setup=board,
         data=lambda c: {"disclosure": c.board_item.pk, "text": "是否包括派遣人员？"}),
    Page("democracy:elections", expect(200, 200, 200, 200, 200), setup=election),
    Page("democracy:election_new", expect(200, 200, 200, 200, 200)),
    # 江苏 and the read-only role have no union here to choose: the form refuses it.
    Page("democracy:election_new", expect(302, 302, 400, 302, 400), method="post",
         data=lambda c: {"org": c.orgs.company.pk, "title": "换届选举", "purpose": "elect", "seats": 3,
                         "term_years": 5}),
    Page("democracy:election", expect(200, 200, 404, 200, 200), args=lambda c: [election(c).pk]),
    Page("democracy:election_act", expect(302, 302, 404, 302, 403), method="post", args=lambda c: [election(c).pk],
         data=lambda c: {"action": "count"}),
    Page("democracy:election_vote", expect(404, 404, 404, 404, 404, worker=200) | {"security_admin": 404},
         args=lambda c: [election(c).pk]),
    Page("democracy:election_vote", expect(404, 404, 404, 404, 404, worker=200) | {"security_admin": 404},
         method="post", args=lambda c: [election(c).pk], data=lambda c: {"item_1": "yes"}),
]  # fmt: skip


def _ballot_path(cast):
    return f"/democracy/ballots/{open_ballot(cast).pk}"


API_CASES: list = [
    Case("congresses", "list", "GET", "/democracy/congresses", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("sitting", "detail", "GET", "/democracy/sittings/{sitting_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/democracy/sittings/{congress(c).pk}"),
    Case("ballot", "detail", "GET", "/democracy/ballots/{ballot_id}", codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=_ballot_path),
    Case("papers", "detail", "GET", "/democracy/ballots/{ballot_id}/papers",
         codes(200, 200, 404, 200, 200, 200, 404, 401), path=lambda c: f"/democracy/ballots/{published(c).pk}/papers"),
    Case("checkin", "create", "POST", "/democracy/checkin", codes(400, 400, 400, 400, 400, 200, 400, 401),
         body=lambda c, u: {"token": services.checkin_token(congress(c))}),
    Case("vote", "create", "POST", "/democracy/ballots/{ballot_id}/vote", codes(404, 404, 404, 404, 404, 201, 404, 401),
         path=lambda c: f"{_ballot_path(c)}/vote", body=lambda c, u: open_ballot(c) and {"choices": {"1": "yes"}}),
    # Proposals: the cadres' list and detail in scope; the proposer and co-signers read their own; a formal
    # representative (the worker) proposes and confirms a co-signature.
    Case("proposals", "list", "GET", "/democracy/proposals", codes(200, 200, 200, 200, 200, 403, 403, 401),
         path=lambda c: proposal(c) and "/democracy/proposals?overdue=false"),
    Case("proposal", "detail", "GET", "/democracy/proposals/{proposal_id}",
         codes(200, 200, 404, 200, 200, 200, 404, 401), path=lambda c: f"/democracy/proposals/{proposal(c).pk}"),
    Case("proposal_submit", "create", "POST", "/democracy/sittings/{sitting_id}/proposals",
         codes(404, 404, 404, 404, 404, 201, 404, 401),
         path=lambda c: f"/democracy/sittings/{congress(c).pk}/proposals",
         body=lambda c, u: _propose(c) if proposal(c) else None),
    Case("proposal_cosign", "create", "POST", "/democracy/proposals/{proposal_id}/cosign",
         codes(404, 404, 404, 404, 404, 200, 404, 401), path=lambda c: f"/democracy/proposals/{proposal(c).pk}/cosign",
         body=lambda c, u: (proposal(c), None)[1]),  # made before the snapshot
]  # fmt: skip


def snapshot():
    return (
        list(CheckIn.objects.order_by("pk").values_list("pk", flat=True)),
        list(VoteCast.objects.order_by("pk").values_list("pk", flat=True)),
        sorted(SecretBallot.objects.values_list("pk", flat=True)),
        list(Ballot.objects.order_by("pk").values_list("pk", "status")),
        list(Sitting.objects.order_by("pk").values_list("pk", "status")),
        list(Proposal.objects.order_by("pk").values_list("pk", "status", "version")),
        list(CoSigner.objects.order_by("pk").values_list("pk", "confirmed_at")),
        list(Election.objects.order_by("pk").values_list("pk", "status", "version")),
        list(Candidate.objects.order_by("pk").values_list("pk", "elected")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """浙江's objects for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    return {"sitting_id": congress(cast).pk, "ballot_id": open_ballot(cast).pk, "proposal_id": proposal(cast).pk}
