"""地址查找: a typed address or place ("朝阳区建国路", "杭州市西湖区") resolved, offline, to the administrative
division it names, and that division's position, so the nearest-venue search can start from it
(docs/decisions/0037-activities-checkin-reports-places-photos.md).

The division is found in the shipped GB/T 2260 data (orgs/data/divisions: province, city, county names); a
street or a building is not (no geocoder: there is no map service to ask). The division's position comes from
an offline table of division centres (``adcode,name,longitude,latitude``): the one shipped in venues/data (from
the cpca package, MIT; see its README), or the file the policy names; for a division it lacks, the centre of
the active venues registered under that division (by their host union's region), and the page says so."""

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db.models import Avg, Count

from gonghui.core.errors import field_error
from gonghui.orgs.regions import region_rows
from gonghui.venues.policy import venues_policy

PLACEHOLDERS = {"市辖区", "县", "省直辖县级行政区划", "自治区直辖县级行政区划"}
# Suffixes a province or city is often typed without (杭州, 浙江, 广西, 延边); a county keeps its whole name
# (西湖 alone is a lake, not 西湖区).
SHORT_SUFFIXES = (
    "维吾尔自治区",
    "壮族自治区",
    "回族自治区",
    "特别行政区",
    "自治区",
    "自治州",
    "地区",
    "盟",
    "省",
    "市",
)
LONGEST_TEXT = 100


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: int
    parent: str | None

    @property
    def full_name(self) -> str:
        return "".join(d.name for d in lineage(self.code) if d.name not in PLACEHOLDERS)


@dataclass(frozen=True)
class Place:
    """Where a typed text points: the division, its position (GCJ-02) and how it was found."""

    division: Division
    lat: float
    lng: float
    estimated_from_venues: int  # 0: from the division-centre table; n: the centre of n registered venues

    @property
    def label(self) -> str:
        return self.division.full_name

    @property
    def note(self) -> str:
        if self.estimated_from_venues:
            return (f"按{self.division.name}已登记站点的中心位置估算（{self.estimated_from_venues} 个站点），"
                    "离您实际所在位置可能有几公里。")  # fmt: skip
        return f"按{self.label}的中心位置查找，离您实际所在位置可能有几公里。"


class Ambiguous(ValidationError):
    """The text names divisions of the same name in several places: the page offers each one."""

    def __init__(self, name: str, choices: list[Division]):
        labels = "、".join(d.full_name for d in choices)
        super().__init__({"q": [f"有多个“{name}”：{labels}。请加上省或市的名称。"]})
        self.choices = choices


@cache
def divisions() -> dict[str, Division]:
    """Province, city and county divisions of the shipped data by code (read once; townships are not used)."""
    found: dict[str, Division] = {}
    for code, name, level, parent in region_rows():
        if level > 3:
            break
        found[code] = Division(code, name, level, parent)
    return found


def lineage(code: str) -> list[Division]:
    """The division and its ancestors, from the province down."""
    chain, every = [], divisions()
    while code:
        division = every[code]
        chain.append(division)
        code = division.parent
    return chain[::-1]


@cache
def _aliases() -> list[tuple[str, Division]]:
    """Every name a division may be typed as, longest first."""
    names = []
    for division in divisions().values():
        if division.name in PLACEHOLDERS:
            continue
        names.append((division.name, division))
        if division.level <= 2:
            for suffix in SHORT_SUFFIXES:
                short = division.name.removesuffix(suffix)
                if short != division.name and len(short) >= 2:
                    names.append((short, division))
                    break
    return sorted(names, key=lambda item: -len(item[0]))


def _mentions(text: str) -> list[tuple[int, int, Division]]:
    """(start, end, division) of every division name in ``text``, without those inside a longer one (西湖区
    inside 东西湖区)."""
    found: list[tuple[int, int, Division]] = []
    for alias, division in _aliases():
        start = text.find(alias)
        while start >= 0:
            end = start + len(alias)
            if not any(s <= start and end <= e and e - s > end - start for s, e, _ in found):
                found.append((start, end, division))
            start = text.find(alias, start + 1)
    return found


def resolve(text: str) -> Division:
    """The most specific division ``text`` names, consistent with the others it names (北京 + 朝阳区 → 北京市
    朝阳区); ``Ambiguous`` when one name fits several places; a ValidationError when it names none."""
    text = "".join((text or "").split())[:LONGEST_TEXT]
    if not text:
        raise field_error("q", "请输入地址或地名，如“杭州市西湖区”。")
    mentions = _mentions(text)
    if not mentions:
        raise field_error("q", f"没有找到“{text}”所在的区县。请输入省、市、区县的名称，如“杭州市西湖区”“朝阳区”。")
    named = {division.code for _, _, division in mentions}
    candidates = [division for _, _, division in mentions]
    deepest = max(d.level for d in candidates)
    best = [d for d in candidates if d.level == deepest]
    # a division whose ancestors the text also names wins over its namesakes elsewhere
    scored = sorted(best, key=lambda d: -sum(a.code in named for a in lineage(d.code)[:-1]))
    top = sum(a.code in named for a in lineage(scored[0].code)[:-1])
    tied = [d for d in scored if sum(a.code in named for a in lineage(d.code)[:-1]) == top]
    unique = list({d.code: d for d in tied}.values())
    if len(unique) > 1:
        raise Ambiguous(unique[0].name, sorted(unique, key=lambda d: d.code))
    return unique[0]


SHIPPED_CENTRES = Path(__file__).resolve().parent / "data" / "division_centres.csv"


def _centres_file() -> Path:
    """The division-centre table: the policy's file, else the shipped one."""
    return Path(venues_policy().places_file or SHIPPED_CENTRES)


@cache
def _centres(path: Path) -> dict[str, tuple[float, float]]:
    """{division code (2, 4 or 6 digits): (lat, lng)} from a table of adcode (12 or 6 digits), longitude,
    latitude; rows without a position are left out."""
    centres = {}
    with open(path, newline="", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            code, lng, lat = row["adcode"].strip(), row.get("longitude", ""), row.get("latitude", "")
            if not (code.isdigit() and lng and lat):
                continue
            six = code[:6]
            short = six[:2] if six[2:] == "0000" else six[:4] if six[4:] == "00" else six
            centres[short] = (float(lat), float(lng))
    return centres


def place_of(text: str) -> Place:
    """The division ``text`` names and its position; a ValidationError in Chinese when there is none."""
    from gonghui.venues.models import Venue

    division = resolve(text)
    centre = _centres(_centres_file()).get(division.code)
    if centre is not None:
        return Place(division, centre[0], centre[1], 0)
    rows = Venue.objects.filter(is_active=True, lat__isnull=False, org__region__code__startswith=division.code)
    mean = rows.aggregate(lat=Avg("lat"), lng=Avg("lng"), n=Count("pk"))
    if not mean["n"]:
        raise field_error("q", f"{division.full_name}还没有登记服务阵地，无法估算位置。请使用手机定位，或输入经纬度。")
    return Place(division, mean["lat"], mean["lng"], mean["n"])
