"""The form of a new event."""

from django import forms

from gonghui.activities.models import Campaign
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
    hardship_only = forms.BooleanField(label="仅限在档困难职工", required=False)
    description = forms.CharField(label="活动内容", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
