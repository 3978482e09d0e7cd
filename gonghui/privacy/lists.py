"""The privacy list a cadre sees (core.lists): the queue of personal-information requests."""

from django import forms

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.privacy import selectors


class QueueFilters(forms.Form):
    """``all=1``: every request, not only the open ones."""

    all = forms.ChoiceField(choices=[("1", "全部请求")], required=False)


REQUESTS = CadreList(
    name="privacy.requests", title="个人信息权利请求",
    rows=lambda user, filters: selectors.requests_visible_to(user, open_only=filters.get("all") != "1"),
    filters=QueueFilters,
    columns=(
        Column("职工", lambda r: r.person.name),
        Column("类型", lambda r: r.get_kind_display()),
        Column("状态", lambda r: r.get_status_display()),
        Column("受理时间", lambda r: local_time(r.received_at).date()),
        Column("办理期限", lambda r: r.due_on),
    ),
    audit_action="privacy.requests.export",
)  # fmt: skip
