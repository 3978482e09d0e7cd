"""Reads of the venues area. Venues are public places: anyone finds the nearest (``nearest``); a cadre's
lists and counts are limited to their scope (``in_scope``); a keeper reads the visits of their own venues."""

import datetime as dt
import math
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet, Sum
from django.utils import timezone

from gonghui.venues import geo
from gonghui.venues.hours import open_at
from gonghui.venues.models import CheckIn, Footfall, Kind, LibraryGrade, Recognition, Venue, VenuePhoto
from gonghui.venues.policy import venues_policy

_HOURS = ("all_day", "opens_at", "closes_at", "open_days")
DEMO_GRADES = (LibraryGrade.NATIONAL, LibraryGrade.LOCAL)


def venues_visible_to(user, *, kind: str = "", q: str = "", org=None) -> QuerySet[Venue]:
    rows = Venue.objects.in_scope(user).select_related("org")
    if org is not None:
        rows = rows.filter(org__path__startswith=org.path)
    if kind:
        rows = rows.filter(kind=kind)
    if q:
        rows = rows.filter(name__contains=q)
    return rows.order_by("-created_at", "-id")


def venue_for_read(user, pk: int) -> Venue:
    return Venue.objects.get_for_read(user, pk)


def is_open(venue: Venue, moment: dt.datetime | None = None) -> bool:
    return open_at(**{f: getattr(venue, f) for f in _HOURS}, moment=moment or timezone.now())


@dataclass(frozen=True)
class Nearby:
    """A venue near the asker: how far, which way to walk (in Chinese), open now."""

    venue: Venue
    distance_m: float
    direction: str
    open_now: bool

    @property
    def distance_text(self) -> str:
        return geo.distance_text(self.distance_m)


def nearest(*, lat: float, lng: float, limit: int = 20, kind: str = "", facilities: int = 0, open_now: bool = False,
            moment: dt.datetime | None = None) -> list[Nearby]:  # fmt: skip
    """The ``limit`` active venues nearest to (lat, lng) (GCJ-02), within the policy's widest radius.

    A box on the indexed (lat, lng) columns, widened (by the density seen, at most fourfold) until it holds
    ``limit`` matches within its radius: every point within the radius lies in the box, so once ``limit``
    are found within it no venue outside can be nearer (docs/decisions/0018-venues-nearest.md)."""
    policy = venues_policy()
    limit = max(1, min(limit, policy.nearest_max))
    moment = moment or timezone.now()
    radius = policy.search_start_m
    while True:
        box = geo.box_around(lat, lng, radius)
        rows = Venue.objects.filter(is_active=True, lat__gte=box.south, lat__lte=box.north, lng__gte=box.west,
                                    lng__lte=box.east)  # fmt: skip
        if kind:
            rows = rows.filter(kind=kind)
        if facilities:
            rows = rows.alias(has=F("facilities").bitand(facilities)).filter(has=facilities)
        found = []
        for pk, vlat, vlng, *hours in rows.values_list("pk", "lat", "lng", *_HOURS):
            distance = geo.distance_m(lat, lng, vlat, vlng)
            if distance <= radius and (not open_now or open_at(**dict(zip(_HOURS, hours, strict=True)), moment=moment)):
                found.append((distance, pk, vlat, vlng, hours))
        if len(found) >= limit or radius >= policy.search_max_m:
            break
        # widen by what the density seen so far suggests (the area grows with the square of the radius)
        grow = 4.0 if not found else min(4.0, max(1.5, 1.25 * math.sqrt(limit / len(found))))
        radius = min(radius * grow, policy.search_max_m)
    found.sort()
    found = found[:limit]
    venues = Venue.objects.select_related("org").in_bulk([pk for _, pk, *_ in found])
    return [
        Nearby(venues[pk], distance, geo.direction_zh(geo.bearing_deg(lat, lng, vlat, vlng)),
               open_at(**dict(zip(_HOURS, hours, strict=True)), moment=moment))
        for distance, pk, vlat, vlng, hours in found
    ]  # fmt: skip


def recognitions_of(venue: Venue) -> QuerySet[Recognition]:
    return venue.recognitions.order_by("-year", "title")


def footfall_of(venue: Venue, *, days: int = 30) -> list[Footfall]:
    since = timezone.localdate() - dt.timedelta(days=days - 1)
    return list(venue.footfall.filter(day__gte=since).order_by("-day"))


def kept_by(user) -> QuerySet[Venue]:
    """The venues ``user`` keeps (驿站管理员)."""
    return Venue.objects.filter(keeper=user, is_active=True).order_by("name")


@dataclass(frozen=True)
class KeeperDay:
    venue: Venue
    visits: int
    times: list[dt.datetime]


def keeper_today(user) -> list[KeeperDay]:
    """Today's visits at each venue the user keeps: how many, and when (not who: minimum necessary)."""
    today = timezone.localdate()
    venues = list(kept_by(user))
    times: dict[int, list] = {v.pk: [] for v in venues}
    rows = CheckIn.objects.filter(venue__in=venues, day=today).order_by("-at").values_list("venue_id", "at")
    for venue_id, at in rows:
        times[venue_id].append(at)
    return [KeeperDay(v, len(times[v.pk]), times[v.pk]) for v in venues]


# --- counts per kind for a subtree (the overview and the plan targets) ---


def _counted(user, org=None) -> QuerySet[Venue]:
    rows = Venue.objects.in_scope(user).filter(is_active=True)
    return rows.filter(org__path__startswith=org.path) if org is not None else rows


def stations_count(user) -> int:
    return _counted(user).filter(kind=Kind.STATION).count()


def best_stations_count(user) -> int:
    """最美工会驿站: stations with the title in any year."""
    rows = _counted(user).filter(kind=Kind.STATION, recognitions__title=Recognition.Title.BEST_STATION)
    return rows.values("pk").distinct().count()


def demo_libraries_count(user) -> int:
    """示范职工书屋: national and local demonstration libraries."""
    return _counted(user).filter(kind=Kind.LIBRARY, library_grade__in=DEMO_GRADES).count()


def self_built_libraries_count(user) -> int:
    return _counted(user).filter(kind=Kind.LIBRARY, library_grade=LibraryGrade.SELF_BUILT).count()


def nursing_rooms_count(user) -> int:
    return _counted(user).filter(kind=Kind.NURSING).count()


@dataclass(frozen=True)
class Report:
    by_kind: list[dict]
    targets: list[dict]
    visits_30d: int


def report(user, org=None) -> Report:
    """阵地统计 of the user's scope or ``org``'s subtree: venues per kind (and library grade), the plan targets
    beside the counts, the check-ins of the last 30 days."""
    policy = venues_policy()
    rows = _counted(user, org)
    by_kind = list(rows.values("kind", "library_grade").annotate(n=Count("id")).order_by("kind", "library_grade"))
    for row in by_kind:
        row["label"] = Kind(row["kind"]).label + (f"（{LibraryGrade(row['library_grade']).label}）"
                                                  if row["library_grade"] else "")  # fmt: skip
    best = rows.filter(kind=Kind.STATION, recognitions__title=Recognition.Title.BEST_STATION).values("pk").distinct()
    demo = rows.filter(kind=Kind.LIBRARY, library_grade__in=DEMO_GRADES).count()
    built = rows.filter(kind=Kind.LIBRARY, library_grade=LibraryGrade.SELF_BUILT).count()
    targets = [
        {"label": "示范职工书屋", "count": demo, "target": policy.target_demo_libraries},
        {"label": "自建职工书屋", "count": built, "target": policy.target_self_built_libraries},
        {"label": "最美工会驿站", "count": best.count(), "target": policy.target_best_stations},
    ]
    for row in targets:
        row["percent"] = round(100 * row["count"] / row["target"], 1)
    since = timezone.localdate() - dt.timedelta(days=29)
    visits = Footfall.objects.filter(venue__in=rows, day__gte=since).aggregate(n=Sum("visits"))["n"] or 0
    return Report(by_kind, targets, visits)


# The overview figures for an org's whole subtree (``<figure>_under``) and per org (``<figure>_by_org``), for the
# governance drill-down and its monthly rollup: a venue belongs to one union, so the figures add up over the tree.
_FIGURE_FILTERS = {
    "stations_count": {"kind": Kind.STATION},
    "best_stations_count": {"kind": Kind.STATION, "recognitions__title": Recognition.Title.BEST_STATION},
    "demo_libraries_count": {"kind": Kind.LIBRARY, "library_grade__in": DEMO_GRADES},
    "self_built_libraries_count": {"kind": Kind.LIBRARY, "library_grade": LibraryGrade.SELF_BUILT},
    "nursing_rooms_count": {"kind": Kind.NURSING},
}


def _figure_rows(name: str) -> QuerySet[Venue]:
    return Venue.objects.filter(is_active=True, **_FIGURE_FILTERS[name])


def _under(name: str, org) -> int:
    return _figure_rows(name).filter(org__path__startswith=org.path).values("pk").distinct().count()


def _by_org(name: str) -> dict[int, int]:
    rows = _figure_rows(name).values("org").annotate(n=Count("pk", distinct=True))
    return dict(rows.values_list("org", "n"))


def stations_count_under(org) -> int:
    return _under("stations_count", org)


def stations_count_by_org() -> dict[int, int]:
    return _by_org("stations_count")


def best_stations_count_under(org) -> int:
    return _under("best_stations_count", org)


def best_stations_count_by_org() -> dict[int, int]:
    return _by_org("best_stations_count")


def demo_libraries_count_under(org) -> int:
    return _under("demo_libraries_count", org)


def demo_libraries_count_by_org() -> dict[int, int]:
    return _by_org("demo_libraries_count")


def self_built_libraries_count_under(org) -> int:
    return _under("self_built_libraries_count", org)


def self_built_libraries_count_by_org() -> dict[int, int]:
    return _by_org("self_built_libraries_count")


def nursing_rooms_count_under(org) -> int:
    return _under("nursing_rooms_count", org)


def nursing_rooms_count_by_org() -> dict[int, int]:
    return _by_org("nursing_rooms_count")


def photos_of(venue: Venue) -> QuerySet[VenuePhoto]:
    return venue.photos.order_by("created_at", "pk")


def public_venue(pk: int) -> Venue:
    """An active venue as anyone may see it (the worker's station page): a public place, no scope."""
    return Venue.objects.select_related("org").get(pk=pk, is_active=True)


def photo_for_view(user, pk: int) -> VenuePhoto:
    """A photo: anyone's for an active venue (a public place, like its page), else only within the scope."""
    photo = VenuePhoto.objects.select_related("venue").get(pk=pk)
    if not photo.venue.is_active:
        Venue.objects.get_for_read(user, photo.venue_id)
    return photo
