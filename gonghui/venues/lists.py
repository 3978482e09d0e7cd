"""The venue list a cadre sees (core.lists): filtered by kind and name, exportable. No personal data in it
(the keeper's name is a post, the phone a service line)."""

from django import forms

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm
from gonghui.venues import selectors
from gonghui.venues.hours import hours_text
from gonghui.venues.models import Kind
from gonghui.venues.standards import checklist


class VenueFilters(BootstrapForm):
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *Kind.choices], required=False)
    q = forms.CharField(label="名称", max_length=50, required=False)


def _rows(user, filters: dict):
    return selectors.venues_visible_to(user, kind=filters.get("kind", ""), q=filters.get("q", ""))


def _standard(venue) -> str:
    result = checklist(venue)
    if not result.items:
        return "—"
    return "达标" if result.met else "未达标：" + "、".join(result.missing)


def _hours(venue) -> str:
    return hours_text(all_day=venue.all_day, opens_at=venue.opens_at, closes_at=venue.closes_at,
                      open_days=venue.open_days)  # fmt: skip


VENUES = CadreList(
    name="venues.venues", title="服务阵地", rows=_rows, filters=VenueFilters,
    columns=(
        Column("名称", lambda v: v.name),
        Column("类型", lambda v: v.get_kind_display()),
        Column("书屋级别", lambda v: v.get_library_grade_display() if v.library_grade else ""),
        Column("主办工会", lambda v: v.org.name),
        Column("地址", lambda v: v.address),
        Column("纬度（GCJ-02）", lambda v: v.lat),
        Column("经度（GCJ-02）", lambda v: v.lng),
        Column("开放时间", _hours),
        Column("设施", lambda v: "、".join(v.facility_labels())),
        Column("标准", _standard),
        Column("管理员", lambda v: v.keeper_name),
        Column("在用", lambda v: "是" if v.is_active else "否"),
        Column("登记时间", lambda v: local_time(v.created_at)),
    ),
    audit_action="venues.venues.export",
)  # fmt: skip
