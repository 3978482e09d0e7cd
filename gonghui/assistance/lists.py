"""The hardship lists a cadre sees (core.lists): the files, filtered by status and category, exportable."""

from django import forms

from gonghui.assistance import selectors
from gonghui.assistance.means import CATEGORIES
from gonghui.core import crypto
from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm


class FileFilters(BootstrapForm):
    status = forms.ChoiceField(label="状态", choices=list(selectors.STATUS_FILTERS.items()), required=False)
    category = forms.ChoiceField(label="困难类别", choices=[("", "全部"), *CATEGORIES.items()], required=False)


def _rows(user, filters: dict):
    return selectors.files_visible_to(user, status=filters.get("status", ""), category=filters.get("category", ""))


FILES = CadreList(
    name="assistance.files", title="困难职工档案", rows=_rows, filters=FileFilters,
    columns=(
        Column("姓名", lambda f: f.person.name),
        Column("身份证号", lambda f: f.person.id_number_masked, full=lambda f: crypto.decrypt(f.person.id_number_enc)),
        Column("建档工会", lambda f: f.org.name),
        Column("所在地区", lambda f: f.region.name),
        Column("困难类别", lambda f: f.get_category_display()),
        Column("主要致困原因", lambda f: f.get_main_cause_display()),
        Column("状态", lambda f: f.status_label),
        Column("提交", lambda f: "职工本人申请" if f.applied_by_worker else "工会提交"),
        Column("长期帮扶", lambda f: "是" if f.long_term else ""),
        Column("建档时间", lambda f: local_time(f.created_at)),
        Column("解困日期", lambda f: f.exited_on),
    ),
    audit_action="assistance.files.export",
)  # fmt: skip
