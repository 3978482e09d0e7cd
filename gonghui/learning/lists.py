"""The lists a cadre sees (core.lists), each exportable: courses, completions, reading check-ins (names masked;
the export is masked too — no list here is narrowed to one union, so none offers an unmasked export), and the
learning report of a union's subtree by child union."""

from django import forms
from django.utils import timezone

from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.masking import mask_name
from gonghui.core.web import BootstrapForm
from gonghui.learning import selectors
from gonghui.learning.models import Category
from gonghui.orgs import access
from gonghui.orgs.models import Org


def _year_field():
    return forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)


class CourseFilters(BootstrapForm):
    q = forms.CharField(label="课程名称", required=False, max_length=60)
    category = forms.ChoiceField(label="类别", choices=[("", "全部"), *Category.choices], required=False)
    year = _year_field()


COURSES = CadreList(
    name="learning.courses", title="课程培训", filters=CourseFilters,
    rows=lambda user, f: selectors.courses_visible_to(user, q=f.get("q") or "", category=f.get("category") or "",
                                                      year=f.get("year")),
    columns=(
        Column("课程名称", lambda c: c.title),
        Column("主办工会", lambda c: c.org.name),
        Column("授课或承办单位", lambda c: c.provider),
        Column("类别", lambda c: c.get_category_display()),
        Column("形式", lambda c: c.get_mode_display()),
        Column("学时", lambda c: c.hours),
        Column("学分", lambda c: c.credits),
        Column("开始日期", lambda c: c.starts_on),
        Column("结束日期", lambda c: c.ends_on),
        Column("结业人数", lambda c: c.done),
    ),
    audit_action="learning.courses.export",
)  # fmt: skip


class CompletionFilters(BootstrapForm):
    course = forms.IntegerField(label="课程", required=False, widget=forms.HiddenInput)
    year = _year_field()


COMPLETIONS = CadreList(
    name="learning.completions", title="结业记录", filters=CompletionFilters,
    rows=lambda user, f: selectors.completions_visible_to(user, course=f.get("course"), year=f.get("year")),
    columns=(
        Column("姓名", lambda c: mask_name(c.person.name)),
        Column("所在工会", lambda c: c.org.name),
        Column("课程", lambda c: c.course.title),
        Column("结业日期", lambda c: c.completed_on),
        Column("成绩", lambda c: c.score if c.score is not None else ""),
        Column("学分", lambda c: c.credits),
        Column("来源", lambda c: c.get_source_display()),
    ),
    audit_action="learning.completions.export",
)  # fmt: skip


class CheckInFilters(BootstrapForm):
    year = _year_field()


CHECKINS = CadreList(
    name="learning.checkins", title="读书打卡", filters=CheckInFilters,
    rows=lambda user, f: selectors.checkins_visible_to(user, year=f.get("year")),
    columns=(
        Column("姓名", lambda c: mask_name(c.person.name)),
        Column("所在工会", lambda c: c.org.name),
        Column("书名", lambda c: c.title),
        Column("阅读日期", lambda c: c.read_on),
        Column("时长（分钟）", lambda c: c.minutes),
        Column("职工书屋", lambda c: c.venue.name if c.venue else ""),
        Column("学分", lambda c: c.credits),
        Column("打卡时间", lambda c: local_time(c.created_at)),
    ),
    audit_action="learning.checkins.export",
)  # fmt: skip


class ReportFilters(BootstrapForm):
    org = forms.IntegerField(label="工会", required=False, widget=forms.HiddenInput)
    year = _year_field()


def report_org(user, filters) -> Org | None:
    """The union the report is about: the one asked for (404 outside the scope), else the user's top union."""
    if filters.get("org"):
        return Org.objects.get_for_read(user, filters["org"])
    tops = access.top_orgs(user)
    return tops[0] if tops else None


def _report(user, filters):
    org = report_org(user, filters)
    if org is None:
        return Org.objects.none()
    return selectors.report_rows(org, filters.get("year") or timezone.localdate().year)


REPORT = CadreList(
    name="learning.report", title="学习情况", filters=ReportFilters, rows=_report, org_of=report_org, page_size=50,
    columns=(
        Column("工会", lambda o: o.name if o.total_row else f"{o.name}（合计）"),
        Column("参学会员（≥1 门结业）", lambda o: o.learners),
        Column("课程学分", lambda o: selectors.tenths(o.credits)),
        Column("人均学分", lambda o: selectors.average(o.credits, o.learners)),
        Column("读书打卡", lambda o: o.checkins),
        Column("读书学分", lambda o: selectors.tenths(o.reading_credits)),
    ),
    audit_action="learning.report.export",
)  # fmt: skip
