"""The form of a new event."""

from django import forms

from gonghui.activities.models import Campaign
from gonghui.core import groups
from gonghui.core.web import BootstrapForm
from gonghui.members.models import EmploymentForm

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ActivityForm(BootstrapForm):
    org = forms.ModelChoiceField(label="主办工会", queryset=None)
    title = forms.CharField(label="活动名称", max_length=100)
    campaign = forms.ChoiceField(label="品牌活动", choices=Campaign.choices, required=False)
    place = forms.CharField(label="地点", max_length=200)
    starts_at = forms.DateTimeField(label="开始时间", widget=MOMENT)
    ends_at = forms.DateTimeField(label="结束时间", widget=MOMENT)
    signup_deadline = forms.DateTimeField(label="报名截止时间", widget=MOMENT)
    capacity = forms.IntegerField(label="名额", min_value=1, max_value=100_000)
    employment_forms = forms.MultipleChoiceField(label="限定就业形态（不选为不限）", choices=EmploymentForm.choices,
                                                 required=False)  # fmt: skip
    groups = forms.MultipleChoiceField(label="限定人群（不选为不限，选多项为其中之一即可）", choices=(), required=False)
    description = forms.CharField(label="活动内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["groups"].choices = groups.choices()


class FeedbackForm(forms.Form):
    """活动评价: 1–5 (5 very satisfied) and an optional comment."""

    rating = forms.TypedChoiceField(label="满意度", coerce=int, widget=forms.RadioSelect,
                                    choices=[(5, "5 非常满意"), (4, "4 满意"), (3, "3 一般"), (2, "2 不满意"),
                                             (1, "1 非常不满意")],
                                    error_messages={"required": "请选择满意度。",
                                                    "invalid_choice": "请选择 1 到 5 分的满意度。"})  # fmt: skip
    comment = forms.CharField(label="意见建议（可不填）", max_length=500, required=False,
                              widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
                              error_messages={"max_length": "评价意见最多 500 字。"})  # fmt: skip
