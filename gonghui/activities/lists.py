"""The event list a cadre sees (core.lists), by brand campaign, exportable."""

from django import forms

from gonghui.activities import selectors
from gonghui.activities.models import Campaign
from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm
from gonghui.orgs.models import Org


class ActivityFilters(BootstrapForm):
    campaign = forms.ChoiceField(label="品牌活动", choices=[("", "全部"), *Campaign.choices[1:]], required=False)


ACTIVITIES = CadreList(
    name="activities.activities", title="活动", filters=ActivityFilters,
    rows=lambda user, filters: selectors.activities_visible_to(user, campaign=filters.get("campaign", "")),
    columns=(
        Column("活动名称", lambda a: a.title),
        Column("品牌活动", lambda a: a.get_campaign_display()),
        Column("主办工会", lambda a: a.org.name),
        Column("地点", lambda a: a.place),
        Column("开始时间", lambda a: local_time(a.starts_at)),
        Column("报名截止", lambda a: local_time(a.signup_deadline)),
        Column("名额", lambda a: a.capacity),
        Column("已报名", lambda a: a.confirmed),
    ),
    audit_action="activities.activities.export",
)  # fmt: skip


class ReportFilters(BootstrapForm):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(label="年度（不填为全部）", required=False, min_value=2000, max_value=2100)


def report_org(user, filters: dict):
    """The union the report is narrowed to (404 outside the user's scope), or None for the whole scope."""
    pk = filters.get("org")
    return Org.objects.get_for_read(user, pk) if pk else None


def _report_rows(user, filters: dict):
    return selectors.report_orgs(user, report_org(user, filters), filters.get("year"))


def _satisfaction(row):
    value = selectors.row_satisfaction(row)
    return value if value is not None else "—"


REPORT = CadreList(
    name="activities.report", title="活动统计", rows=_report_rows, filters=ReportFilters, org_of=report_org,
    columns=(
        Column("工会", lambda o: f"{o.name}（本级）" if o.own_row else o.name),
        Column("活动场次", lambda o: o.events),
        Column("报名成功人次", lambda o: o.signed_up),
        Column("参加人数（去重）", lambda o: o.participants),
        Column("现场签到人次", lambda o: o.checkins),
        Column("评价人次", lambda o: o.rated),
        Column("平均满意度（1-5）", _satisfaction),
    ),
    page_size=50, audit_action="activities.report.export",
)  # fmt: skip
