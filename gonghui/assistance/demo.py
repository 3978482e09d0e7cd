"""演示数据: hardship files on the members demo's tree, in up to four provinces — every category, some
under review, some in 公示, some approved and paid, some exited — and each province's 低保 for the year.
Files are made and moved through the services by the platform (the demo loader); payments are registered
by a demo cadre of the union."""

import datetime as dt
import random
from decimal import Decimal
from itertools import chain

from django.db import transaction
from django.utils import timezone

from gonghui.accounts.models import Grant, User
from gonghui.assistance import cases as kinds
from gonghui.assistance import selectors, services
from gonghui.assistance.models import MinimumAllowance, Relation
from gonghui.assistance.selectors import county_of
from gonghui.cases.models import PublicNotice
from gonghui.core import crypto
from gonghui.core.identifiers import id_check_character
from gonghui.core.registry import DemoRun
from gonghui.members.demo.people import PeopleGenerator
from gonghui.members.models import Membership
from gonghui.orgs import access
from gonghui.orgs.models import Org, OrgType, Region

# Urban 低保 per person and month of the provincial capitals, 2025, rounded (published local figures).
DEMO_PROVINCE = "33"
ALLOWANCES = {"11": "1545", "31": "1510", "32": "1000", "33": "1290", "44": "1200", "37": "1010", "51": "850"}
DEFAULT_ALLOWANCE = "900"
# (main cause, the worker's monthly income, spouse's, accident, losses): deep, relative, accident households.
PROFILES = (
    ("illness", "1200", "0", "", "0"),
    ("disability", "900", "600", "", "0"),
    ("education", "2600", "1500", "", "0"),
    ("unemployment", "0", "1800", "", "0"),
    ("low_wage", "2400", "1200", "", "0"),
    ("accident", "6000", "4000", "injury", "0"),
    ("disaster", "5000", "3000", "", "90000"),
    ("single_parent", "2200", "0", "", "0"),
)
# What becomes of the files, in turn: still under review, in 公示, approved (and paid), exited.
OUTCOMES = ("submitted", "noticing", "approved", "approved", "approved", "exited", "returned", "approved")


def _child_id(rng: random.Random, area: str) -> str:
    born = dt.date(rng.randrange(2010, 2019), rng.randrange(1, 13), rng.randrange(1, 29))
    first17 = f"{area}{born:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_check_character(first17)


def _household(people: PeopleGenerator, rng: random.Random, person, profile, area: str) -> list[dict]:
    _, own, spouse_income, _, _ = profile
    spouse_id, spouse_born = people.id_number(area, "F" if person.gender == "M" else "M", young=False)
    return [
        {"relation": Relation.SELF, "name": person.name, "id_number": crypto.decrypt(person.id_number_enc),
         "monthly_income": own, "work": person.job_title or "在职"},
        {"relation": Relation.SPOUSE, "name": people.name("F" if person.gender == "M" else "M", spouse_born.year),
         "id_number": spouse_id, "monthly_income": spouse_income,
         "health": "慢性肾病，长期透析" if profile[0] == "illness" else ""},
        {"relation": Relation.CHILD, "name": people.name(rng.choice("MF"), 2014), "id_number": _child_id(rng, area),
         "monthly_income": "0", "schooling": rng.choice(("primary", "junior", "senior"))},
    ]  # fmt: skip


def _writer(org: Org, grants: list[Grant]):
    covering = [g for g in grants if org.path.startswith(g.org.path)]
    return max(covering, key=lambda g: len(g.org.path)).user if covering else None


def _move(file, outcome: str, grants: list[Grant], rng: random.Random) -> None:
    if outcome == "submitted":
        return
    if outcome == "returned":
        services.file_step(actor=None, file=file, to=kinds.RETURNED, version=1, note="请补充配偶收入证明。")
        return
    file = services.file_step(actor=None, file=file, to=kinds.NOTICING, version=1)
    if outcome == "noticing":
        return
    PublicNotice.objects.filter(case=file.case).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    file = services.file_step(actor=None, file=file, to=kinds.APPROVED, version=2)
    cadre = _writer(file.org, grants)
    year = timezone.localdate().year
    if cadre is not None:
        paid = {"period": str(year), "paid_on": timezone.localdate(), "received_by": file.person.name}
        amount = rng.choice(("2000", "3000"))
        services.aid_pay(actor=cadre, file=file, kind="living", amount=amount, fund_source="帮扶专项资金", **paid)
        services.aid_pay(actor=cadre, file=file, kind="winter", amount="1000", fund_source="送温暖专项资金", **paid)
        if file.main_cause in ("illness", "disability", "accident"):
            services.aid_pay(actor=cadre, file=file, kind="medical", amount="5000", fund_source="医疗救助资金", **paid)
        child = file.household.filter(relation=Relation.CHILD).first()
        if child is not None and rng.random() < 0.5:
            services.aid_pay(actor=cadre, file=file, kind="school", amount="1000", fund_source="金秋助学资金",
                             child=child, **paid | {"period": f"{year}秋"})  # fmt: skip
    if outcome == "exited":
        services.file_step(
            actor=None, file=file, to=kinds.EXITED, version=3, note="家庭成员实现稳定就业，收入超过标准。"
        )


def _members_by_org(provinces: int) -> list[tuple[Org, list]]:
    """Up to two grassroots unions with members in each of up to ``provinces`` provinces."""
    picked, seen = [], {}
    orgs = Org.objects.filter(org_type=OrgType.GRASSROOTS).select_related("region__parent__parent").order_by("path")
    # Zhejiang first: the demo accounts' unions are there, so a cadre who signs in sees files at once.
    home = orgs.filter(region__code__startswith=DEMO_PROVINCE)
    for org in chain(home.iterator(), orgs.exclude(region__code__startswith=DEMO_PROVINCE).iterator()):
        province = org.region_id[:2]
        if seen.get(province, 0) >= 2 or (province not in seen and len(seen) >= provinces):
            continue
        members = [m.person for m in Membership.objects.filter(org=org, status=Membership.Status.ACTIVE)
                   .select_related("person")[:4]]  # fmt: skip
        if members and county_of(org.region):
            seen[province] = seen.get(province, 0) + 1
            picked.append((org, members))
    return picked


def _allowances(code: str, county: Region, year: int) -> None:
    """The province's figure for this year and the last (the history), and the county's own, a little higher."""
    monthly = Decimal(ALLOWANCES.get(code, DEFAULT_ALLOWANCE))
    MinimumAllowance.objects.get_or_create(region_id=code, year=year, defaults={"monthly": monthly})
    MinimumAllowance.objects.get_or_create(region_id=code, year=year - 1, defaults={"monthly": monthly - 40})
    if code == DEMO_PROVINCE:
        MinimumAllowance.objects.get_or_create(region=county, year=year, defaults={"monthly": monthly + 30})


def _worker_applies(people: PeopleGenerator, rng: random.Random) -> bool:
    """The demo's worker account applies from the phone (their household, a spouse with an illness and a child),
    so that its page shows a file under way and its union a worker's application."""
    worker = User.objects.filter(person__isnull=False, grants__isnull=True).order_by("pk").first()
    org = selectors.apply_org(worker) if worker else None
    county = county_of(org.region) if org else None
    if county is None or selectors.has_live_file(worker):
        return False
    _allowances(county.code[:2], county, timezone.localdate().year)
    spouse_id, born = people.id_number(county.code, "F", young=False)
    household = [
        {"relation": Relation.SPOUSE, "name": people.name("F", born.year), "id_number": spouse_id,
         "monthly_income": "0", "health": "乳腺癌术后化疗"},
        {"relation": Relation.CHILD, "name": people.name("M", 2013), "id_number": _child_id(rng, county.code),
         "monthly_income": "0", "schooling": "junior"},
    ]  # fmt: skip
    services.file_apply(actor=worker, consent=True, region=county, own={"monthly_income": "2600", "work": "在职"},
                        household=household, main_cause="illness", expenses={"medical": "18000"},
                        bank_name="中国农业银行", bank_account=f"6228{rng.randrange(10**15):015d}")  # fmt: skip
    return True


@transaction.atomic
def load_demo_files(*, rng: random.Random, provinces: int = 4) -> int:
    """Returns how many files were made."""
    year = timezone.localdate().year
    grants = [g for g in Grant.objects.select_related("user", "org") if g.role in access.WRITE_ROLES]
    people = PeopleGenerator(rng.randrange(10**6))
    made = 0
    for org, members in _members_by_org(provinces):
        county, cadre = county_of(org.region), _writer(org, grants)
        _allowances(org.region_id[:2], county, year)
        if cadre is None:
            continue
        for person in members:
            profile = PROFILES[made % len(PROFILES)]
            file = services.file_create(
                actor=cadre, org=org, person=person, region=county, year=year, consent=True,
                household=_household(people, rng, person, profile, county.code), main_cause=profile[0],
                accident=profile[3], losses=profile[4], long_term=profile[0] in ("illness", "disability"),
                bank_name="中国工商银行", bank_account=f"6222{rng.randrange(10**15):015d}",
            )  # fmt: skip
            _move(file, OUTCOMES[made % len(OUTCOMES)], grants, rng)
            made += 1
    return made + _worker_applies(people, rng)


def demo_load(run: DemoRun) -> None:
    """The declared demo loader (after the members demo)."""
    run.summary.append(f"{load_demo_files(rng=run.rng)} 份困难职工档案")
