"""The congress list a cadre sees (core.lists): filtered by kind, exportable."""

from django import forms

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm
from gonghui.democracy import selectors
from gonghui.democracy.models import CongressKind


class CongressFilters(BootstrapForm):
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *CongressKind.choices], required=False)


def _rows(user, filters: dict):
    return selectors.congresses_visible_to(user, kind=filters.get("kind", ""))


CONGRESSES = CadreList(
    name="democracy.congresses", title="职工代表大会", rows=_rows, filters=CongressFilters,
    columns=(
        Column("名称", lambda c: c.name),
        Column("工会", lambda c: c.org.name),
        Column("类型", lambda c: c.get_kind_display()),
        Column("职工人数", lambda c: c.staff_count),
        Column("女职工人数", lambda c: c.women_staff),
        Column("建立时间", lambda c: local_time(c.created_at)),
    ),
    audit_action="democracy.congresses.export",
)  # fmt: skip
