"""Forms of the workforce pages: validate what was typed; the services apply the rules."""

from django import forms

from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.workforce.models import Relation


class ScoreForm(BootstrapForm):
    competitor = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label="实操评分", min_value=0, max_value=100, max_digits=5, decimal_places=2,
                               widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))  # fmt: skip
    reason = forms.CharField(label="修改理由（签字后修改必填）", max_length=200, required=False)


class RecusalForm(BootstrapForm):
    entry = forms.IntegerField(label="参赛号", widget=forms.HiddenInput)
    relation = forms.ChoiceField(label="与选手的关系", choices=Relation.choices)


class AppealForm(BootstrapForm):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="申诉事由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class RulingForm(BootstrapForm):
    upheld = forms.TypedChoiceField(label="仲裁结论", choices=[("0", "申诉不成立，维持成绩"), ("1", "申诉成立")],
                                    coerce=lambda v: v == "1")  # fmt: skip
    ruling = forms.CharField(label="理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class CareDoneForm(BootstrapForm):
    done_on = forms.DateField(label="完成日期", widget=DATE_INPUT)
    amount = forms.DecimalField(label="金额（元）", min_value=0, max_digits=10, decimal_places=2, required=False)


class CareOpenForm(BootstrapForm):
    org = forms.ModelChoiceField(label="工会", queryset=None)
    year = forms.IntegerField(label="年度", min_value=1950, max_value=2100)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class StepForm(BootstrapForm):
    to = forms.CharField(max_length=24, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="意见或理由", max_length=500, required=False)


class SubmitForm(BootstrapForm):
    org = forms.ModelChoiceField(label="报送单位", queryset=None)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
