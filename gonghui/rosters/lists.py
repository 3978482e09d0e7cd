"""The roster lists (core.lists): the roster of a subtree (what 导出花名册 writes) and the roster imports."""

from django import forms

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.members.lists import ROSTER_COLUMNS, org_filter
from gonghui.members.selectors import members_visible_to
from gonghui.rosters import selectors


class RosterFilters(forms.Form):
    """The roster of one org's subtree."""

    org = forms.IntegerField()


def _roster_rows(user, filters: dict):
    org = org_filter(user, filters)
    if org is None:
        return members_visible_to(user).none()
    return members_visible_to(user).filter(org__path__startswith=org.path).order_by("org__path", "id")


ROSTER = CadreList(
    name=selectors.ROSTER_LIST, title="会员花名册", rows=_roster_rows, columns=ROSTER_COLUMNS, filters=RosterFilters,
    org_of=org_filter, audit_action="roster.export",
)  # fmt: skip


class ImportFilters(forms.Form):
    """Imports into one union (``?org=``)."""

    org = forms.IntegerField(required=False)


IMPORTS = CadreList(
    name="rosters.imports", title="花名册导入记录",
    rows=lambda user, filters: selectors.imports_visible_to(user, org=org_filter(user, filters)),
    columns=(
        Column("文件", lambda job: job.file_name),
        Column("导入到工会", lambda job: job.org.name),
        Column("上传人", lambda job: job.created_by.username if job.created_by else ""),
        Column("上传时间", lambda job: local_time(job.created_at)),
        Column("状态", lambda job: job.get_status_display()),
        Column("数据行数", lambda job: job.rows_total),
    ),
    filters=ImportFilters, org_of=org_filter, audit_action="roster.imports.export",
)  # fmt: skip


ROSTER_EXPORTS = CadreList(
    name="rosters.exports", title="我的花名册导出", rows=lambda user, filters: selectors.exports_of(user), columns=(),
)  # fmt: skip
