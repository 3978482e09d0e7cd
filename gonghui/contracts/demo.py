"""演示数据: collective contracts in every demo province, in each state of their life — in effect, expiring
within three months (their unions reminded), lapsed, renewed and followed by the renewal, ended, filed and
waiting out the objection window, signed but not filed in time, adopted, drafted — for grassroots unions (the
demo cadre's among them), and a regional and a sector wage contract signed by a county federation."""

import datetime as dt
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import User
from gonghui.contracts import services, terms
from gonghui.contracts.models import Kind, Level
from gonghui.core.registry import DemoRun
from gonghui.orgs.models import Org, OrgType

SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
GIVEN = ("建国", "秀英", "志强", "丽华", "海涛", "晓燕", "国庆", "桂兰", "春生", "文杰", "红梅", "俊峰")
LABOUR = "人力资源和社会保障局"
# (what to make, kind): the state each grassroots union's contract ends in, cycled over the province's unions.
PLAN = (
    ("effective", Kind.COMPREHENSIVE),
    ("expiring", Kind.COMPREHENSIVE),
    ("lapsed", Kind.COMPREHENSIVE),
    ("renewed", Kind.COMPREHENSIVE),
    ("filed", Kind.WAGE),
    ("overdue", Kind.WOMEN),
    ("adopted", Kind.SAFETY),
    ("drafted", Kind.WAGE),
    ("ended", Kind.SAFETY),
    ("effective", Kind.WAGE),
)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + rng.choice(GIVEN)


def _employer(org: Org) -> str:
    return org.employer.name if org.employer_id else org.name.removesuffix("工会").removesuffix("联合")


def _fields(rng: random.Random, org: Org, kind: str, level: str, workers: int, employers: int = 1) -> dict:
    label = Kind(kind).label
    party = (
        _employer(org)
        if level == Level.ENTERPRISE
        else f"{org.region.name}{'企业联合会' if level == Level.REGION else '餐饮行业协会'}"
    )
    wage = (
        {
            "wage_increase_pct": Decimal(rng.choice(("3.00", "4.50", "5.00", "6.00"))),
            "minimum_wage": Decimal(rng.choice(("2280", "2490", "2690"))),
        }
        if kind == Kind.WAGE
        else {}
    )
    return {
        "org": org,
        "level": level,
        "kind": kind,
        "title": f"{party}{label}",
        "union_party": org.name,
        "union_rep": f"{_name(rng)}（工会主席）",
        "employer_party": party,
        "employer_rep": f"{_name(rng)}（{'总经理' if level == Level.ENTERPRISE else '会长'}）",
        "employers_covered": employers,
        "workers_covered": workers,
        "term_years": 3,
        **wage,
    }


def _through(contract, *, until: str, signed_on: dt.date, today: dt.date, rng: random.Random):
    """Takes ``contract`` through its steps with dates around ``signed_on``, up to ``until``."""
    if until == "drafted":
        return contract
    present_total = rng.randrange(40, 160)
    services.contract_adopt(
        actor=None,
        contract=contract,
        adopted_by="congress",
        adopted_on=signed_on - dt.timedelta(days=7),
        voters_total=present_total,
        voters_present=present_total - 3,
        votes_for=present_total - 6,
        votes_against=1,
        votes_abstain=2,
        today=today,
    )
    if until == "adopted":
        return contract
    services.contract_sign(actor=None, contract=contract, signed_on=signed_on, today=today)
    if until == "signed":
        return contract
    services.contract_file(
        actor=None,
        contract=contract,
        filed_on=signed_on + dt.timedelta(days=6),
        filed_with=f"{contract.org.region.name}{LABOUR}",
        today=today,
    )
    contract.refresh_from_db()
    return contract


def _signed_for_expiry(expiry: dt.date) -> dt.date:
    """A signing date whose contract (filed 6 days later, 3 years) expires near ``expiry``."""
    return terms.add_months(expiry, -36) - dt.timedelta(days=22)


def _enterprise(rng: random.Random, org: Org, what: str, kind: str, today: dt.date) -> int:
    workers = max(org.member_count, 12) + rng.randrange(0, 40)
    fields = _fields(rng, org, kind, Level.ENTERPRISE, workers)
    make = lambda **extra: services.contract_create(actor=None, **fields, **extra)  # noqa: E731
    if what == "effective":
        _through(
            make(), until="filed", signed_on=today - dt.timedelta(days=rng.randrange(60, 500)), today=today, rng=rng
        )
    elif what == "expiring":
        _through(
            make(),
            until="filed",
            signed_on=_signed_for_expiry(today + dt.timedelta(days=rng.randrange(20, 80))),
            today=today,
            rng=rng,
        )
    elif what == "lapsed":
        _through(
            make(),
            until="filed",
            signed_on=_signed_for_expiry(today - dt.timedelta(days=rng.randrange(10, 200))),
            today=today,
            rng=rng,
        )
    elif what == "renewed":
        old = _through(
            make(), until="filed", signed_on=_signed_for_expiry(today - dt.timedelta(days=30)), today=today, rng=rng
        )
        _through(make(renews=old), until="filed", signed_on=today - dt.timedelta(days=50), today=today, rng=rng)
        return 2
    elif what == "filed":
        _through(make(), until="filed", signed_on=today - dt.timedelta(days=10), today=today, rng=rng)
    elif what == "overdue":
        _through(make(), until="signed", signed_on=today - dt.timedelta(days=25), today=today, rng=rng)
    elif what == "ended":
        done = _through(make(), until="filed", signed_on=today - dt.timedelta(days=400), today=today, rng=rng)
        services.contract_end(
            actor=None,
            contract=done,
            ended_on=today - dt.timedelta(days=30),
            reason="企业整体搬迁注销，职工已安置",
            today=today,
        )
    else:
        _through(make(), until=what, signed_on=today - dt.timedelta(days=3), today=today, rng=rng)
    return 1


@transaction.atomic
def load_demo_contracts(*, rng: random.Random, per_province: int = 10, today: dt.date | None = None) -> int:
    """Returns how many contracts were made."""
    today = today or timezone.localdate()
    made = 0
    cadre = User.objects.filter(username="jiceng").first()
    flagship = cadre.grants.first().org if cadre and cadre.grants.exists() else None
    unions = []
    for province in Org.objects.filter(org_type=OrgType.PROVINCE).order_by("path"):
        found = list(
            Org.objects.filter(path__startswith=province.path, org_type=OrgType.GRASSROOTS)
            .select_related("employer", "region")
            .order_by("-member_count", "path")[:per_province]
        )
        if flagship and flagship.path.startswith(province.path):
            found = [flagship, *[u for u in found if u.pk != flagship.pk]][:per_province]
        unions += found
        county = (
            Org.objects.filter(path__startswith=province.path, org_type=OrgType.COUNTY)
            .select_related("region")
            .order_by("path")
            .first()
        )
        if county is not None:
            regional = services.contract_create(
                actor=None,
                **_fields(
                    rng, county, Kind.COMPREHENSIVE, Level.REGION, rng.randrange(800, 5000), rng.randrange(20, 120)
                ),
            )
            _through(regional, until="filed", signed_on=today - dt.timedelta(days=200), today=today, rng=rng)
            sector = services.contract_create(
                actor=None,
                **_fields(rng, county, Kind.WAGE, Level.SECTOR, rng.randrange(300, 2000), rng.randrange(10, 60)),
            )
            _through(
                sector, until="filed", signed_on=_signed_for_expiry(today + dt.timedelta(days=45)), today=today, rng=rng
            )
            made += 2
    # Every state at least once however small the tree: a union takes a second plan (of another kind) if needed.
    for i in range(max(len(PLAN), len(unions)) if unions else 0):
        what, kind = PLAN[i % len(PLAN)]
        made += _enterprise(rng, unions[i % len(unions)], what, kind, today)
    services.renewals_remind(today=today)
    return made


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo)."""
    run.summary.append(f"{load_demo_contracts(rng=run.rng)} 份集体合同")
