"""The article list a cadre sees (core.lists), by status, type and column, searchable by title, exportable."""

from django import forms

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm
from gonghui.news import selectors
from gonghui.news.models import Category, Kind, Status


class ArticleFilters(BootstrapForm):
    q = forms.CharField(label="标题", required=False, max_length=60)
    status = forms.ChoiceField(label="状态", choices=[("", "全部"), *Status.choices], required=False)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *Kind.choices], required=False)
    category = forms.ChoiceField(label="栏目", choices=[("", "全部"), *Category.choices], required=False)


def _rows(user, filters):
    return selectors.articles_visible_to(user, status=filters.get("status", ""), kind=filters.get("kind", ""),
                                         category=filters.get("category", ""), q=filters.get("q", ""))  # fmt: skip


ARTICLES = CadreList(
    name="news.articles", title="资讯通知", filters=ArticleFilters, rows=_rows,
    columns=(
        Column("标题", lambda a: a.title),
        Column("类型", lambda a: a.get_kind_display()),
        Column("栏目", lambda a: a.get_category_display()),
        Column("发布工会", lambda a: a.org.name),
        Column("发布范围", lambda a: a.get_audience_display()),
        Column("状态", lambda a: a.get_status_display()),
        Column("发布时间", lambda a: local_time(a.published_at) if a.published_at else ""),
        Column("覆盖会员", lambda a: a.audience_size),
        Column("已确认阅读", lambda a: a.receipt_count if a.receipt_required else ""),
    ),
    audit_action="news.articles.export",
)  # fmt: skip
