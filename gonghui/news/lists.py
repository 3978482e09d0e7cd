"""The article list a cadre sees (core.lists), by status, type and column, searchable by title, exportable."""

from django import forms

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.masking import mask_name
from gonghui.core.web import BootstrapForm
from gonghui.news import selectors
from gonghui.news.models import Category, Kind, Status, TalkKind


class ArticleFilters(BootstrapForm):
    q = forms.CharField(label="搜索标题和正文", required=False, max_length=60)
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


class ResultFilters(BootstrapForm):
    contest = forms.IntegerField(label="竞赛", required=False, widget=forms.HiddenInput)


def _results(user, filters):
    from gonghui.news import contest_selectors

    return contest_selectors.results(user, filters.get("contest"))


def _seconds(a) -> str:
    return f"{a.seconds // 60}分{a.seconds % 60:02d}秒" if a.seconds is not None else ""


RESULTS = CadreList(
    name="news.contest_results", title="知识竞赛成绩", filters=ResultFilters, rows=_results,
    columns=(
        Column("竞赛", lambda a: a.contest.title),
        Column("姓名", lambda a: mask_name(a.person.name), full=lambda a: a.person.name),
        Column("所在工会", lambda a: a.org.name if a.org else ""),
        Column("第几次", lambda a: a.number),
        Column("得分", lambda a: a.score),
        Column("答对题数", lambda a: f"{a.correct}/{a.total}"),
        Column("用时", _seconds),
        Column("交卷时间", lambda a: local_time(a.submitted_at)),
    ),
    audit_action="news.contest_results.export",
)  # fmt: skip


class TalkFilters(BootstrapForm):
    q = forms.CharField(label="主题或主讲人", required=False, max_length=60)
    kind = forms.ChoiceField(label="类型", choices=[("", "全部"), *TalkKind.choices], required=False)
    when = forms.ChoiceField(label="时间", choices=[("", "全部"), ("upcoming", "未开始"), ("past", "已举行")],
                             required=False)  # fmt: skip


def _talks(user, filters):
    from gonghui.news import talk_selectors

    return talk_selectors.talks_visible_to(user, kind=filters.get("kind", ""), q=filters.get("q", ""),
                                           when=filters.get("when", ""))  # fmt: skip


TALKS = CadreList(
    name="news.talks", title="宣讲与班组学习", filters=TalkFilters, rows=_talks,
    columns=(
        Column("主题", lambda t: t.topic),
        Column("类型", lambda t: t.get_kind_display()),
        Column("主办工会", lambda t: t.org.name),
        Column("开始时间", lambda t: local_time(t.starts_at)),
        Column("时长（分钟）", lambda t: t.minutes),
        Column("地点", lambda t: t.place),
        Column("主讲人", lambda t: t.speaker_name + ("（劳模）" if t.speaker_id else "")),
        Column("参加人数", lambda t: t.attendance),
    ),
    audit_action="news.talks.export",
)  # fmt: skip
