"""Democracy tests: a congress of 杭州示例科技有限公司 with five formal representatives (张伟 — the cast's worker
— 李娜 and three more members, each with an account) and one attendee, its sitting open."""

import datetime as dt
from types import SimpleNamespace

from django.utils import timezone

from gonghui.democracy import services
from gonghui.democracy.models import Ballot, Category, CongressKind, Role
from gonghui.members.services import member_create
from gonghui.testing.cast import add_user, valid_id

EXTRA = (  # name, ID (first 17), category, role
    ("陈军", "33010619800101011", Category.MANAGER, Role.FORMAL),
    ("刘芳", "33010619850202022", Category.TECHNICAL, Role.FORMAL),
    ("赵强", "33010619900303033", Category.FRONTLINE, Role.FORMAL),
    ("孙丽", "33010619920404044", Category.OTHER, Role.ATTENDEE),
)


def congress_of(cast):
    """The congress, its term, reps by name, their accounts by name, and the sitting (open); made once per cast."""
    if hasattr(cast, "congress"):
        return cast.congress
    admin, company = cast.users.grassroots_admin, cast.orgs.company
    congress = services.congress_create(actor=admin, org=company, name="杭州示例科技有限公司职工代表大会",
                                        kind=CongressKind.ENTERPRISE, staff_count=80, women_staff=30)  # fmt: skip
    today = timezone.localdate()
    term = services.term_create(actor=admin, congress=congress, number=3, starts_on=today - dt.timedelta(days=100),
                                ends_on=today - dt.timedelta(days=100) + dt.timedelta(days=3 * 365))  # fmt: skip
    people = [("张伟", cast.members.zhang.person, Category.FRONTLINE, Role.FORMAL, cast.users.worker),
              ("李娜", cast.members.li.person, Category.FRONTLINE, Role.FORMAL, None)]  # fmt: skip
    for name, first17, category, role in EXTRA:
        person = member_create(actor=None, org=company, name=name, id_number=valid_id(first17),
                               employment_form="standard").person  # fmt: skip
        people.append((name, person, category, role, None))
    reps, users = {}, {"张伟": cast.users.worker}
    for name, person, category, role, user in people:
        reps[name] = services.representative_add(actor=admin, term=term, person=person, role=role, category=category,
                                                 constituency="生产一车间", constituency_size=40, voted=30,
                                                 votes_for=25)  # fmt: skip
        if user is None:
            users[name] = add_user(f"rep{person.pk}", person=person, display_name=name)
    sitting = services.sitting_create(
        actor=admin,
        term=term,
        number=1,
        title="第三届职代会第一次会议",
        starts_on=today,
        place="公司报告厅",
        materials_sent_on=today - dt.timedelta(days=7),
    )
    sitting = services.sitting_open(actor=admin, sitting=sitting)
    cast.congress = SimpleNamespace(congress=congress, term=term, reps=reps, users=users, sitting=sitting, admin=admin)
    return cast.congress


def checked_in(cast, names=("李娜", "陈军", "刘芳", "赵强")):
    c = congress_of(cast)
    for name in names:
        services.checkin_by_staff(actor=c.admin, sitting=c.sitting, representative=c.reps[name])
    return c


def secret_ballot(cast, *, items=("2026年度职工福利费使用方案", "集体合同（草案）"), open_=True):
    c = checked_in(cast)
    ballot = services.ballot_create(actor=c.admin, sitting=c.sitting, title="审议福利费方案和集体合同",
                                    kind=Ballot.Kind.RESOLUTION, method=Ballot.Method.SECRET,
                                    items=list(items))  # fmt: skip
    return services.ballot_open(actor=c.admin, ballot=ballot) if open_ else ballot
