"""The standards as checklists: 六有, the national and local library, the nursing room (docs/domain.md 3.12)."""

from decimal import Decimal

from gonghui.venues.models import Facility, Kind, LibraryGrade, Venue
from gonghui.venues.standards import NURSING_FACILITIES, STATION_FACILITIES, checklist


def bits(facilities) -> int:
    return sum(f.value for f in facilities)


def station(**extra) -> Venue:
    fields = {"kind": Kind.STATION, "facilities": bits(STATION_FACILITIES), "keeper_name": "王师傅", "lat": 30.0,
              "lng": 120.0, "checked": ["sign", "place", "rules"]}  # fmt: skip
    return Venue(**(fields | extra))


def test_a_station_with_the_six_haves_meets_the_standard():
    result = checklist(station())
    assert result.standard == "工会驿站“六有”标准"
    assert len(result.items) == 6
    assert result.met and result.missing == []


def test_each_of_the_six_haves_is_needed():
    assert checklist(station(checked=["place", "rules"])).missing == ["有统一标识"]
    lacking = checklist(station(facilities=bits(STATION_FACILITIES) - Facility.FIRST_AID))
    assert not lacking.met
    assert lacking.items[2].detail == "缺：急救药箱"
    assert checklist(station(keeper_name="")).missing == ["有人员管理"]
    assert checklist(station(lat=None, lng=None)).missing == ["地图可查"]


def test_national_library_needs_3000_books_and_a_digital_platform():
    fields = {"kind": Kind.LIBRARY, "library_grade": LibraryGrade.NATIONAL, "books": 3000, "digital_platform": True,
              "checked": ["room", "computer"], "keeper_name": "李老师"}  # fmt: skip
    assert checklist(Venue(**fields)).met
    assert checklist(Venue(**fields | {"books": 2999})).missing == ["藏书不少于 3000 册"]
    assert checklist(Venue(**fields | {"digital_platform": False})).missing == ["有数字阅读平台"]
    assert checklist(Venue(**fields | {"checked": ["room"]})).missing == ["有专用电脑"]


def test_local_library_needs_500_books_and_30_square_metres():
    fields = {"kind": Kind.LIBRARY, "library_grade": LibraryGrade.LOCAL, "books": 500, "area_m2": Decimal("30.0")}
    assert checklist(Venue(**fields)).met
    assert checklist(Venue(**fields | {"area_m2": Decimal("29.9")})).missing == ["面积不少于 30 平方米"]
    assert checklist(Venue(**fields | {"books": None})).missing == ["藏书不少于 500 册"]


def test_nursing_room_needs_10_square_metres_and_the_fixed_list():
    fields = {"kind": Kind.NURSING, "area_m2": Decimal("10"), "facilities": bits(NURSING_FACILITIES)}
    assert checklist(Venue(**fields)).met
    assert checklist(Venue(**fields | {"area_m2": Decimal("9.5")})).missing == ["面积不少于 10 平方米"]
    short = checklist(Venue(**fields | {"facilities": bits(NURSING_FACILITIES) - Facility.CURTAIN}))
    assert not short.met and "遮挡帘" in short.items[1].detail


def test_kinds_without_a_standard_have_no_checklist():
    for venue in (Venue(kind=Kind.CENTRE), Venue(kind=Kind.PALACE),
                  Venue(kind=Kind.LIBRARY, library_grade=LibraryGrade.SELF_BUILT)):  # fmt: skip
        assert checklist(venue).items == () and not checklist(venue).met
