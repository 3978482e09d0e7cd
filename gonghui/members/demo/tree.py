"""The plan of the demo union tree: every org and employer, with ids, paths and member counts, in memory.

The tree follows the Region table: 全总 → 31 provinces → cities → counties/districts → townships/streets,
plus national industry unions, sector federations for gig workers in big cities, and grassroots unions of
generated employers. Only the plan lives in memory (tens of thousands of small objects); members are
streamed later from it.
"""

import datetime as dt
import random
from collections import defaultdict
from itertools import accumulate

from gonghui.core.identifiers import USCC_CHARS, org_code_check_character, uscc_check_character
from gonghui.members.models import ETHNICITIES
from gonghui.orgs.models import Org, OrgType, Region, path_segment

from . import words

REFERENCE_DATE = dt.date(2025, 6, 30)  # "today" of the demo world, so that a seed gives the same data any day
PLACEHOLDER_CITIES = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Cities with sector federations besides the provincial capitals (xx01): 计划单列市 and 苏州.
EXTRA_BIG_CITIES = {"2102", "3302", "3502", "3702", "4403", "3205"}
# Rough share (%) of the urban workforce by province: where the grassroots unions go.
PROVINCE_WEIGHTS = {
    "11": 4, "12": 2, "13": 4, "14": 2, "15": 1.5, "21": 3, "22": 1.5, "23": 2, "31": 5, "32": 9, "33": 8,
    "34": 4, "35": 4, "36": 3, "37": 7, "41": 5.5, "42": 4, "43": 4, "44": 12, "45": 2.5, "46": 0.7, "50": 2.5,
    "51": 5, "52": 2, "53": 2.5, "54": 0.3, "61": 2.5, "62": 1.2, "63": 0.4, "64": 0.5, "65": 1.5,
}  # fmt: skip
PLACEMENTS = (("township", 54), ("county", 24), ("city", 6), ("industry", 3), ("sector", 5), ("joint", 6),
              ("regional", 2))  # fmt: skip
FLAGSHIP_COUNTY, FLAGSHIP_EMPLOYER = "330106", "杭州鸿达科技有限公司"
SECTOR_DIRECT_SHARE = 0.03  # members held directly by sector federations (gig workers joining online)
RESIDENT_SHARE = 0.01  # members resting with their township union (no union at work)
_ETHNIC_SUFFIXES = sorted((e for e in ETHNICITIES if e.endswith("族")), key=len, reverse=True)


class OrgPlan:
    __slots__ = ("id", "name", "org_type", "region_id", "parent", "path", "depth", "employer_id", "uscc",
                 "founded_on", "leadership", "term_years", "term_started_on", "member_count", "county",
                 "profile", "employers", "province")  # fmt: skip

    def __init__(self, *, id, name, org_type, region_id, parent, county, province):
        self.id, self.name, self.org_type, self.region_id, self.parent = id, name, org_type, region_id, parent
        self.path = (parent.path if parent else "") + path_segment(id)
        self.depth = parent.depth + 1 if parent else 0
        self.employer_id, self.uscc, self.founded_on = None, "", None
        self.leadership, self.term_years, self.term_started_on = Org.Leadership.COMMITTEE, 5, None
        self.member_count, self.county, self.province = 0, county, province
        self.profile: tuple[str, str] = ("company", "")  # how its members look: company/sector/resident/joint
        self.employers: list[int] = []  # the employers its members work for

    def partition_province(self) -> int:
        """The ``province`` column of its members' rows: as orgs.provinces reads it from the path (the province
        federation at depth 1, else 0), not ``province`` above (an industry union's grassroots lie in 11)."""
        top = self
        while top.depth > 1:
            top = top.parent
        return int(top.region_id[:2]) if top.depth == 1 and top.org_type == OrgType.PROVINCE else 0


class EmployerPlan:
    __slots__ = ("id", "name", "uscc", "region_id", "is_platform")

    def __init__(self, id, name, uscc, region_id, is_platform=False):
        self.id, self.name, self.uscc, self.region_id, self.is_platform = id, name, uscc, region_id, is_platform


class Place:
    """A township (or a county without townships) where grassroots unions can sit, with its federations."""

    __slots__ = ("code", "name", "township", "county", "city", "province", "big")

    def __init__(self, code, name, township, county, city, province, big):
        self.code, self.name, self.township, self.county = code, name, township, county
        self.city, self.province, self.big = city, province, big


def short_name(name: str) -> str:
    """杭州市 -> 杭州, 延边朝鲜族自治州 -> 延边, 大兴安岭地区 -> 大兴安岭 (for company names)."""
    for suffix in ("自治州", "自治县", "自治旗", "地区", "林区", "特区", "新区", "市", "盟", "县", "区", "旗"):
        if name.endswith(suffix) and len(name) > len(suffix) + 1:
            name = name[: -len(suffix)]
            break
    stripped = True
    while stripped:
        stripped = False
        for ethnic in _ETHNIC_SUFFIXES:
            if name.endswith(ethnic) and len(name) > len(ethnic) + 1:
                name, stripped = name[: -len(ethnic)], True
                break
    return name


def township_union_name(name: str) -> str:
    return name + ("总工会" if name.endswith(("镇", "乡")) else "工会")


def grassroots_size(rng: random.Random) -> int:
    """Members of one grassroots union: many small ones, a long tail of big ones (mean about 55)."""
    r = rng.random()
    if r < 0.35:
        return rng.randint(3, 24)
    if r < 0.87:
        return rng.randint(25, 80)
    if r < 0.98:
        return rng.randint(81, 200)
    return rng.randint(201, 600)


def random_date(rng: random.Random, start: dt.date, end: dt.date) -> dt.date:
    return start + dt.timedelta(days=rng.randrange(max(1, (end - start).days + 1)))


class TreePlanner:
    def __init__(self, rng: random.Random, provinces: set[str] | None = None):
        self.rng = rng
        self.provinces = provinces
        self.orgs: list[OrgPlan] = []
        self.employers: list[EmployerPlan] = []
        self.org_codes: set[str] = set()
        self.employer_names: set[str] = set()
        self.places: dict[str, list[tuple[Place, float]]] = defaultdict(list)
        self.sector_feds: list[OrgPlan] = []
        self.industry_unions: list[tuple[OrgPlan, tuple[str, ...]]] = []
        self.regional_feds: dict[str, OrgPlan] = {}
        self.county_orgs: dict[str, OrgPlan] = {}
        self.province_orgs: dict[str, OrgPlan] = {}
        self.national: OrgPlan | None = None
        self.flagship: OrgPlan | None = None

    # identifiers --------------------------------------------------------------------------------------
    def uscc(self, authority: str, area: str) -> str:
        """A valid 统一社会信用代码 (both check characters), unique within the demo."""
        rng = self.rng
        while True:
            if rng.random() < 0.6:  # codes issued since 2015 start "MA"
                body = "MA" + "".join(rng.choice(USCC_CHARS) for _ in range(6))
            else:
                body = "".join(rng.choice("0123456789") for _ in range(8))
            if body not in self.org_codes:
                self.org_codes.add(body)
                break
        first17 = authority + area[:6].ljust(6, "0") + body + org_code_check_character(body)
        return first17 + uscc_check_character(first17)

    # orgs and employers -------------------------------------------------------------------------------
    def add_org(self, parent, name, org_type, region_id, *, county, province, founded=(1950, 1990)) -> OrgPlan:
        org = OrgPlan(id=len(self.orgs) + 1, name=name, org_type=org_type, region_id=region_id, parent=parent,
                      county=county, province=province)  # fmt: skip
        rng = self.rng
        org.founded_on = random_date(rng, dt.date(founded[0], 1, 1), dt.date(founded[1], 12, 31))
        if org_type in (OrgType.GRASSROOTS, OrgType.JOINT_GRASSROOTS, OrgType.BRANCH):
            org.term_years = rng.choice((3, 5))
        start_year = max(org.founded_on.year, REFERENCE_DATE.year - org.term_years + 1)
        org.term_started_on = random_date(rng, dt.date(start_year, 1, 1), dt.date(REFERENCE_DATE.year, 3, 31))
        if org.term_started_on < org.founded_on:
            org.term_started_on = org.founded_on
        self.orgs.append(org)
        return org

    def add_employer(self, name: str, area: str, *, is_platform=False, authority="91") -> EmployerPlan:
        employer = EmployerPlan(len(self.employers) + 1, name, self.uscc(authority, area), area, is_platform)
        self.employers.append(employer)
        self.employer_names.add(name)
        return employer

    def company_name(self, place_short: str, industry: str | None = None, *, big=False) -> str:
        rng = self.rng
        for attempt in range(50):
            brand = rng.choice(words.BRANDS)
            word = industry or rng.choice(words.INDUSTRY_WORDS)
            if word.endswith("集团"):
                suffix = "有限公司"
            elif big:
                suffix = "集团有限公司"
            else:
                suffix = rng.choices([s for s, _ in words.COMPANY_SUFFIXES],
                                     [w for _, w in words.COMPANY_SUFFIXES])[0]  # fmt: skip
            name = f"{place_short}{brand}{word}{suffix}"
            if attempt > 40:
                name = f"{place_short}{brand}{rng.choice(words.BRANDS)}{word}{suffix}"
            if name not in self.employer_names:
                return name
        return f"{place_short}{brand}{word}第{len(self.employers)}{suffix}"

    # the federation tree ------------------------------------------------------------------------------
    def build_federations(self) -> None:
        regions = defaultdict(list)
        names = {}
        for code, name, level, parent in Region.objects.values_list("code", "name", "level", "parent_id"):
            if self.provinces and code[:2] not in self.provinces:
                continue
            names[code] = name
            regions[parent].append((code, name, level))
        for children in regions.values():
            children.sort()
        national = self.national = self.add_org(None, "中华全国总工会", OrgType.NATIONAL, "11", county="110101",
                                                province="11", founded=(1925, 1925))  # fmt: skip
        national.founded_on = dt.date(1925, 5, 1)
        national.uscc = self.uscc("81", "110000")
        for union_name, company_words in words.INDUSTRY_UNIONS:
            org = self.add_org(national, union_name, OrgType.INDUSTRY, "11", county="110101", province="11",
                               founded=(1950, 1958))  # fmt: skip
            org.uscc = self.uscc("81", "110000")
            self.industry_unions.append((org, company_words))
        for pcode, pname, _ in regions[None]:
            province = self.add_org(national, f"{pname}总工会", OrgType.PROVINCE, pcode, county="",
                                    province=pcode, founded=(1948, 1955))  # fmt: skip
            province.uscc = self.uscc("81", pcode)
            self.province_orgs[pcode] = province
            for ccode, cname, _ in regions[pcode]:
                placeholder = cname in PLACEHOLDER_CITIES
                if placeholder:
                    city, prefix = province, pname
                else:
                    city = self.add_org(province, f"{cname}总工会", OrgType.CITY, ccode, county="", province=pcode,
                                        founded=(1950, 1988))  # fmt: skip
                    city.uscc, prefix = self.uscc("81", ccode), cname
                big = ccode.endswith("01") or ccode in EXTRA_BIG_CITIES or pcode in {"11", "12", "31", "50"}
                for kcode, kname, _ in regions[ccode]:
                    if not city.county:
                        city.county = kcode
                    if not province.county:
                        province.county = kcode
                    if kname == cname:  # 东莞、中山、儋州: no county level, townships sit under the city
                        county = city
                    else:
                        plain = not kname.endswith("区") or len(kname) > 5 or "开发" in kname
                        county_name = (kname if plain else prefix + kname) + "总工会"
                        county = self.add_org(city, county_name, OrgType.COUNTY, kcode, county=kcode,
                                              province=pcode, founded=(1950, 1995))  # fmt: skip
                        county.uscc = self.uscc("81", kcode)
                    self.county_orgs[kcode] = county
                    weight_base = (3 if big else 1) * (1.5 if kname.endswith("区") else 1)
                    townships = regions[kcode]
                    if not townships:
                        self.places[pcode].append((Place(kcode, kname, None, county, city, province, big), weight_base))
                    for tcode, tname, _ in townships:
                        township = self.add_org(county, township_union_name(tname), OrgType.TOWNSHIP, tcode,
                                                county=kcode, province=pcode, founded=(1985, 2012))  # fmt: skip
                        township.profile = ("resident", "")
                        place = Place(tcode, tname, township, county, city, province, big)
                        place_weight = weight_base * (3 if tname.endswith("街道") else 1.5 if tname.endswith("镇")
                                                      else 0.4 if tname.endswith("乡") else 1)  # fmt: skip
                        self.places[pcode].append((place, place_weight))
                if big and (not placeholder or ccode.endswith("01")):
                    self.add_sector_federations(city, prefix if not placeholder else pname, pcode)
        self._index_places()

    def _index_places(self) -> None:
        self.place_lists, self.place_cum = {}, {}
        for pcode, pairs in self.places.items():
            self.place_lists[pcode] = [p for p, _ in pairs]
            self.place_cum[pcode] = list(accumulate(w for _, w in pairs))
        self.province_codes = [p for p in self.place_lists if self.place_lists[p]]
        self.province_cum = list(accumulate(PROVINCE_WEIGHTS.get(p, 1) for p in self.province_codes))

    def add_sector_federations(self, city: OrgPlan, city_name: str, pcode: str) -> None:
        short = short_name(city_name)
        for sector_name, form, _word in words.SECTORS:
            fed = self.add_org(city, f"{city_name}{sector_name}", OrgType.SECTOR_FEDERATION, city.region_id,
                               county=city.county, province=pcode, founded=(2017, 2023))  # fmt: skip
            fed.profile = ("sector", form)
            fed.uscc = self.uscc("81", city.region_id)
            for _ in range(2):
                word = self.rng.choice(words.PLATFORM_WORDS)
                employer = self.add_employer(self.company_name(short, word), city.region_id, is_platform=True)
                fed.employers.append(employer.id)
            self.sector_feds.append(fed)

    # grassroots unions --------------------------------------------------------------------------------
    def pick_place(self) -> Place:
        rng = self.rng
        pcode = rng.choices(self.province_codes, cum_weights=self.province_cum)[0]
        return rng.choices(self.place_lists[pcode], cum_weights=self.place_cum[pcode])[0]

    def company_union(self, parent: OrgPlan, place: Place, size: int, *, industry=None, region_id=None,
                      employer_name=None, profile=("company", ""), big=False) -> OrgPlan:  # fmt: skip
        county_code = place.county.region_id if place.county.org_type == OrgType.COUNTY else place.code[:6]
        short = short_name(place.city.name.removesuffix("总工会"))
        name = employer_name or self.company_name(short, industry, big=big)
        employer = self.add_employer(name, county_code)
        org = self.add_org(parent, f"{name}工会", OrgType.GRASSROOTS, region_id or county_code,
                           county=county_code, province=place.province.region_id, founded=(1995, 2024))  # fmt: skip
        org.employer_id, org.employers, org.profile = employer.id, [employer.id], profile
        if self.rng.random() < 0.7:
            org.uscc = self.uscc("81", county_code)
        self.set_size(org, size)
        if size >= 150:
            self.add_branches(org, place)
        return org

    def set_size(self, org: OrgPlan, size: int) -> None:
        org.member_count = size
        if size < 25 and self.rng.random() < 0.6:
            org.leadership = Org.Leadership.ORGANISER

    def add_branches(self, org: OrgPlan, place: Place) -> None:
        rng = self.rng
        for dept in rng.sample(words.BRANCH_NAMES, rng.randint(2, 4)):
            share = min(org.member_count - 5, org.member_count * rng.randint(10, 22) // 100)
            if share <= 0:
                break
            branch = self.add_org(org, f"{org.name}{dept}分工会", OrgType.BRANCH, org.region_id,
                                  county=org.county, province=org.province, founded=(2000, 2024))  # fmt: skip
            branch.employer_id, branch.employers, branch.profile = org.employer_id, org.employers, org.profile
            branch.member_count = share
            org.member_count -= share

    def joint_union(self, parent: OrgPlan, name: str, place: Place, size: int, *, small=True) -> OrgPlan:
        rng = self.rng
        county_code = place.code[:6]
        org = self.add_org(parent, name, OrgType.JOINT_GRASSROOTS, place.code, county=county_code,
                           province=place.province.region_id, founded=(2005, 2024))  # fmt: skip
        org.profile = ("joint", "")
        short = short_name(place.name.removesuffix("街道").removesuffix("镇").removesuffix("乡")) or place.name
        for _ in range(rng.randint(3, 8)):
            if small:
                ename = f"{short}{rng.choice(words.BRANDS)}{rng.choice(words.SMALL_BUSINESS_WORDS)}"
                if ename in self.employer_names:
                    continue
                employer = self.add_employer(ename, county_code, authority="92")  # 个体工商户
            else:
                city_short = short_name(place.city.name.removesuffix("总工会"))
                employer = self.add_employer(self.company_name(city_short), county_code)
            org.employers.append(employer.id)
        self.set_size(org, size)
        return org

    def add_grassroots(self, size: int) -> None:
        rng = self.rng
        place = self.pick_place()
        kind = rng.choices([k for k, _ in PLACEMENTS], [w for _, w in PLACEMENTS])[0]
        if kind == "township" and place.township is None:
            kind = "county"
        if kind in ("joint", "regional") and place.township is None:
            kind = "county"
        if kind == "sector" and self.sector_feds:
            fed = rng.choice(self.sector_feds)
            sector = next(s for s in words.SECTORS if fed.name.endswith(s[0]))
            city_place = Place(fed.county, fed.name, None, self.county_orgs.get(fed.county, fed.parent),
                               fed.parent, self.province_orgs[fed.province], True)  # fmt: skip
            self.company_union(fed, city_place, size, industry=sector[2], profile=("sector", sector[1]))
        elif kind == "industry":
            union, company_words = rng.choice(self.industry_unions)
            self.company_union(union, place, size, industry=rng.choice(company_words))
        elif kind == "city":
            self.company_union(place.city, place, size, big=rng.random() < 0.5)
        elif kind == "county" or kind == "sector":
            self.company_union(place.county, place, size)
        elif kind == "joint":
            word = rng.choice(("小微企业联合工会", "个体劳动者联合工会", "商户联合工会"))
            self.joint_union(place.township, f"{place.name}{word}", place, size)
        elif kind == "regional" and place.big:
            fed = self.regional_feds.get(place.code)
            if fed is None:
                fed = self.add_org(place.township, f"{place.name}楼宇工会联合会", OrgType.REGIONAL_FEDERATION,
                                   place.code, county=place.code[:6], province=place.province.region_id,
                                   founded=(2012, 2023))  # fmt: skip
                fed.uscc = self.uscc("81", place.code[:6])
                self.regional_feds[place.code] = fed
            name = f"{rng.choice(words.BRANDS)}{rng.choice(words.BUILDINGS)}联合工会"
            self.joint_union(fed, name, place, size, small=False)
        else:
            self.company_union(place.township, place, size, region_id=place.code)

    def add_flagship(self, size: int) -> None:
        """杭州鸿达科技有限公司工会 under 西湖区总工会: the demo's grassroots union with its own admin."""
        county = self.county_orgs.get(FLAGSHIP_COUNTY)
        if county is None or size <= 0:
            return
        place = next((p for p in self.place_lists.get("33", []) if p.code.startswith(FLAGSHIP_COUNTY)), None)
        if place is None:
            return
        self.flagship = self.company_union(county, place, size, employer_name=FLAGSHIP_EMPLOYER)
        self.flagship.term_years, self.flagship.term_started_on = 3, dt.date(2023, 5, 1)

    def spread(self, total: int, orgs: list[OrgPlan]) -> None:
        """Add ``total`` members to ``orgs``, unevenly."""
        if not orgs or total <= 0:
            return
        weights = [self.rng.uniform(0.3, 1.7) for _ in orgs]
        scale, given = total / sum(weights), 0
        for org, weight in zip(orgs, weights, strict=True):
            share = int(weight * scale)
            org.member_count += share
            given += share
        for i in range(total - given):
            orgs[i % len(orgs)].member_count += 1

    def build(self, members: int) -> "TreePlanner":
        self.build_federations()
        if not self.province_codes:
            raise ValueError("no regions found for the selected provinces")
        rng = self.rng
        remaining = members
        flagship_size = min(remaining, max(min(members, 30), min(80, members // 10)))
        self.add_flagship(flagship_size)
        remaining -= flagship_size if self.flagship else 0
        sector_direct = min(remaining, int(members * SECTOR_DIRECT_SHARE))
        self.spread(sector_direct, self.sector_feds)
        remaining -= sector_direct if self.sector_feds else 0
        residents = min(remaining, int(members * RESIDENT_SHARE))
        if residents:
            townships = []
            for _ in range(max(1, residents // 6)):
                place = self.pick_place()
                if place.township is not None:
                    townships.append(place.township)
            self.spread(residents, townships)
            remaining -= residents if townships else 0
        while remaining > 0:
            size = min(grassroots_size(rng), remaining)
            self.add_grassroots(size)
            remaining -= size
        return self
