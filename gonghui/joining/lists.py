"""The joining lists a cadre sees (core.lists): the 入会审核 to-do list and the join codes."""

from django import forms

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.joining import selectors


class TodoFilters(forms.Form):
    """待办 / 已超期 / 已办结 (anything else reads as 待办)."""

    show = forms.ChoiceField(choices=list(selectors.TODO_FILTERS.items()), required=False)


def _todo_rows(user, filters: dict):
    return selectors.applications_visible_to(user, show=filters.get("show") or "open")


TODO = CadreList(
    name="joining.todo", title="入会审核", rows=_todo_rows, filters=TodoFilters,
    columns=(
        Column("姓名", lambda a: a.name),
        Column("身份证号", lambda a: a.id_number_masked),
        Column("手机号", lambda a: a.phone_masked),
        Column("就业形态", lambda a: a.get_employment_form_display()),
        Column("工作单位", lambda a: a.employer.name if a.employer else ""),
        Column("工作所在地", lambda a: a.region.name),
        Column("受理工会", lambda a: a.org.name),
        Column("状态", lambda a: a.get_status_display()),
        Column("重复申请", lambda a: "同一身份证号已有待办申请" if a.duplicate_of_id else ""),
        Column("已升级至", lambda a: a.escalated_to.name if a.escalated_to else ""),
        Column("申请时间", lambda a: local_time(a.submitted_at)),
        Column("办理期限", lambda a: a.due_on),
        Column("办结时间", lambda a: local_time(a.decided_at)),
    ),
    audit_action="join.todo.export",
)  # fmt: skip

JOIN_CODES = CadreList(
    name="joining.codes", title="入会二维码", rows=lambda user, filters: selectors.join_codes_visible_to(user),
    columns=(
        Column("名称", lambda c: c.label),
        Column("受理工会", lambda c: c.org.name),
        Column("状态", lambda c: "启用" if c.is_active else "已停用"),
        Column("扫码次数", lambda c: c.scan_count),
        Column("申请份数", lambda c: c.application_count),
        Column("创建时间", lambda c: local_time(c.created_at)),
    ),
    audit_action="join.codes.export",
)  # fmt: skip
