"""Fund review forms: they check the shape of what was typed; the rules are the services'."""

from django import forms

from gonghui.core.web import BootstrapForm
from gonghui.fundreview.models import CommitteeMember, Finding, Officer, Plan

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CommitteeForm(BootstrapForm):
    term_start = forms.DateField(label="任期起始", widget=DATE)
    term_end = forms.DateField(label="任期截止", widget=DATE)
    elected_on = forms.DateField(label="选举日期", widget=DATE)


class PersonField(forms.CharField):
    """A member of the union by their membership card number (会员证号)."""

    def __init__(self, **kwargs):
        super().__init__(label="会员证号", max_length=32, **kwargs)


class AccountField(forms.CharField):
    """The cadre account (登录名) the person works with on the platform, if any."""

    def __init__(self, **kwargs):
        super().__init__(label="工作账号登录名（可不填）", max_length=150, required=False, **kwargs)


class MemberForm(BootstrapForm):
    card_number = PersonField()
    role = forms.ChoiceField(label="职务", choices=CommitteeMember.Role.choices)
    account = AccountField()


class OfficerForm(BootstrapForm):
    card_number = PersonField()
    post = forms.ChoiceField(label="职务", choices=Officer.Post.choices)
    since = forms.DateField(label="任职起始", widget=DATE)
    until = forms.DateField(label="任职截止（可不填）", widget=DATE, required=False)
    account = AccountField()


class PlanForm(BootstrapForm):
    year = forms.IntegerField(label="审查年度", min_value=2000, max_value=2100)
    scope = forms.ChoiceField(label="审查类型", choices=Plan.Scope.choices)
    title = forms.CharField(label="审查事项", max_length=100)
    planned_on = forms.DateField(label="计划实施日期", widget=DATE)


class CompleteForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    conclusion = forms.CharField(label="审查结论", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    done_on = forms.DateField(label="完成日期", widget=DATE)


class FindingForm(BootstrapForm):
    title = forms.CharField(label="问题", max_length=100)
    detail = forms.CharField(label="问题描述", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)
    severity = forms.ChoiceField(label="严重程度", choices=Finding.Severity.choices)
    amount = forms.DecimalField(label="涉及金额（元）", min_value=0, max_digits=14, decimal_places=2, required=False)
    code = forms.CharField(label="涉及科目（可不填）", max_length=16, required=False)
    requirement = forms.CharField(label="整改要求", max_length=300)
    deadline = forms.DateField(label="整改期限", widget=DATE)

    def clean_amount(self) -> int:
        amount = self.cleaned_data.get("amount")
        return int(amount * 100) if amount is not None else 0


class RespondForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    response = forms.CharField(label="整改情况", widget=forms.Textarea(attrs={"rows": 3}), max_length=4000)


class CloseForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("accept", "确认整改完成"), ("return", "退回重新整改")])
    note = forms.CharField(label="意见（退回时必填）", max_length=500, required=False)


class ReportForm(BootstrapForm):
    year = forms.IntegerField(label="报告年度", min_value=2000, max_value=2100)


class FindingFilters(BootstrapForm):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    status = forms.ChoiceField(label="整改状态", required=False,
                               choices=[("", "全部"), ("open", "未销号"), *Finding.Status.choices])  # fmt: skip
    overdue = forms.BooleanField(label="只看逾期", required=False)


class PlanFilters(BootstrapForm):
    org = forms.IntegerField(required=False, widget=forms.HiddenInput)
    year = forms.IntegerField(label="年度", required=False, min_value=2000, max_value=2100)
