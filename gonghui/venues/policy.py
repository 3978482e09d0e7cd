"""The numbers of the venues area (docs/architecture.md rule 5), each default from its source; override any
field with ``settings.GONGHUI_VENUES`` (a dict)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class VenuesPolicy:
    # 职工书屋 named by the national federation: ≥ 3,000 books and periodicals (docs/domain.md 3.12).
    national_library_books: int = 3000
    # Local demonstration sites (a local example): ≥ 500 books and ≥ 30 m² (docs/domain.md 3.12).
    local_library_books: int = 500
    local_library_area_m2: int = 30
    # 女职工休息哺乳室: ≥ 10 m² (docs/domain.md 3.12).
    nursing_room_area_m2: int = 10
    # Nearest-station search: the first box's radius, the widest box, and how many rows a page shows at most.
    search_start_m: int = 2_000
    search_max_m: int = 50_000
    nearest_max: int = 50
    # Check-ins are personal data (who was where, when): kept 180 days, then deleted; the footfall per
    # station and day stays (our choice: long enough for half a year of reports, no longer).
    checkin_keep_days: int = 180
    # The table of division centres (adcode, name, longitude, latitude) a typed place is located by; empty: the
    # shipped one (venues/data/division_centres.csv, docs/decisions/0037).
    places_file: str = ""
    # Photos of a venue: at most this many, each at most this many MB (our choice: enough to show the
    # place, small on a phone's connection), and at most this many pixels on the longer side once stored.
    photos_max: int = 6
    photo_max_mb: int = 5
    photo_max_side: int = 1600
    # The plan targets the overview shows beside the counts (the 14th five-year plan of the national federation,
    # docs/domain.md 3.12 and issue 13).
    target_demo_libraries: int = 16_000
    target_self_built_libraries: int = 150_000
    target_best_stations: int = 10_000


def venues_policy() -> VenuesPolicy:
    return VenuesPolicy(**getattr(settings, "GONGHUI_VENUES", {}))


def checkin_keep_days() -> int:
    """The retention default of check-ins (the registry's ``days_setting``)."""
    return venues_policy().checkin_keep_days
