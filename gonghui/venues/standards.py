"""The standard of each kind of venue as a checklist, and its result computed from what is recorded
(docs/domain.md 3.12): the 六有 for rest stations, the national and the local demonstration library, the
nursing room. Some items are facts only a visit confirms (a uniform sign, service rules); a cadre ticks them
(``Venue.checked``); the rest come from the record itself."""

from dataclasses import dataclass

from gonghui.venues.models import Facility, Kind, LibraryGrade, Venue
from gonghui.venues.policy import venues_policy

# 六有: complete facilities are these six (docs/domain.md 3.12).
STATION_FACILITIES = (Facility.REST, Facility.WATER, Facility.HEATING, Facility.CHARGING, Facility.TOILET,
                      Facility.FIRST_AID)  # fmt: skip
# The nursing room's fixed list (docs/domain.md 3.12 names fridge, sink, chair, curtain; the changing table is
# in every provincial list we read).
NURSING_FACILITIES = (Facility.FRIDGE, Facility.SINK, Facility.NURSING_CHAIR, Facility.CURTAIN,
                      Facility.CHANGING_TABLE)  # fmt: skip

# The items a cadre confirms by hand, per kind: code -> label.
MANUAL_ITEMS = {
    Kind.STATION: {"sign": "有统一标识", "place": "有固定场所", "rules": "有服务制度"},
    Kind.LIBRARY: {"room": "有独立房间", "computer": "有专用电脑"},
    Kind.NURSING: {},
    Kind.CENTRE: {},
    Kind.PALACE: {},
}


@dataclass(frozen=True)
class Item:
    label: str
    met: bool
    detail: str = ""


@dataclass(frozen=True)
class Checklist:
    """The venue's standard (its name), each item met or not, and whether the whole is met."""

    standard: str
    items: tuple[Item, ...]

    @property
    def met(self) -> bool:
        return bool(self.items) and all(item.met for item in self.items)

    @property
    def missing(self) -> list[str]:
        return [item.label for item in self.items if not item.met]


def _facilities(venue: Venue, wanted) -> Item:
    lacking = [f.label for f in wanted if not venue.facilities & f.value]
    label = "设施齐全（" + "、".join(f.label for f in wanted) + "）"
    return Item(label, not lacking, "缺：" + "、".join(lacking) if lacking else "")


def _manual(venue: Venue) -> list[Item]:
    return [Item(label, code in venue.checked) for code, label in MANUAL_ITEMS[venue.kind].items()]


def checklist(venue: Venue) -> Checklist:
    """The checklist of the venue's kind (and, for a library, its grade)."""
    policy = venues_policy()
    area, books = venue.area_m2 or 0, venue.books or 0
    if venue.kind == Kind.STATION:
        manual = {item.label: item for item in _manual(venue)}
        items = (
            manual["有统一标识"], manual["有固定场所"], _facilities(venue, STATION_FACILITIES), manual["有服务制度"],
            Item("有人员管理", bool(venue.keeper_id or venue.keeper_name)),
            Item("地图可查", venue.lat is not None and venue.lng is not None),
        )  # fmt: skip
        return Checklist("工会驿站“六有”标准", items)
    if venue.kind == Kind.LIBRARY and venue.library_grade == LibraryGrade.NATIONAL:
        items = (
            Item(f"藏书不少于 {policy.national_library_books} 册", books >= policy.national_library_books,
                 f"现有 {books} 册"),
            Item("有数字阅读平台", venue.digital_platform),
            *_manual(venue),
            Item("有专人管理", bool(venue.keeper_id or venue.keeper_name)),
        )  # fmt: skip
        return Checklist("全国职工书屋示范点标准", items)
    if venue.kind == Kind.LIBRARY and venue.library_grade == LibraryGrade.LOCAL:
        items = (
            Item(f"藏书不少于 {policy.local_library_books} 册", books >= policy.local_library_books,
                 f"现有 {books} 册"),
            Item(f"面积不少于 {policy.local_library_area_m2} 平方米", area >= policy.local_library_area_m2,
                 f"现有 {area} 平方米"),
        )  # fmt: skip
        return Checklist("地方职工书屋示范点标准", items)
    if venue.kind == Kind.NURSING:
        items = (
            Item(f"面积不少于 {policy.nursing_room_area_m2} 平方米", area >= policy.nursing_room_area_m2,
                 f"现有 {area} 平方米"),
            _facilities(venue, NURSING_FACILITIES),
        )  # fmt: skip
        return Checklist("女职工休息哺乳室标准", items)
    return Checklist("", ())
