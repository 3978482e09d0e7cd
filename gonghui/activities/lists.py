"""The event list a cadre sees (core.lists), by brand campaign, exportable."""

from django import forms

from gonghui.activities import selectors
from gonghui.activities.models import Campaign
from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm


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
