"""The forms of the contract pages: a new contract (or renewal), and one per step."""

from django import forms

from gonghui.contracts.models import AdoptedBy, Kind, Level
from gonghui.core.web import BootstrapForm

DAY = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class ContractForm(BootstrapForm):
    org = forms.ModelChoiceField(label="签约工会", queryset=None)
    level = forms.ChoiceField(label="层级", choices=Level.choices)
    kind = forms.ChoiceField(label="种类", choices=Kind.choices)
    title = forms.CharField(label="合同名称", max_length=150)
    union_party = forms.CharField(label="工会方", max_length=150)
    union_rep = forms.CharField(label="工会方首席代表", max_length=50)
    employer_party = forms.CharField(label="企业方（企业代表组织）", max_length=150)
    employer_rep = forms.CharField(label="企业方首席代表", max_length=50)
    employers_covered = forms.IntegerField(label="覆盖企业数", min_value=1, max_value=1_000_000, initial=1)
    workers_covered = forms.IntegerField(label="覆盖职工人数", min_value=1, max_value=10_000_000)
    term_years = forms.TypedChoiceField(
        label="期限", coerce=int, choices=[(1, "1 年"), (2, "2 年"), (3, "3 年")], initial=3
    )
    wage_increase_pct = forms.DecimalField(
        label="工资增长幅度（%，工资专项）", max_digits=5, decimal_places=2, required=False
    )
    minimum_wage = forms.DecimalField(
        label="最低工资标准（元/月，工资专项）", max_digits=9, decimal_places=2, required=False
    )

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class AdoptForm(BootstrapForm):
    adopted_by = forms.ChoiceField(label="审议方式", choices=AdoptedBy.choices)
    adopted_on = forms.DateField(label="审议通过日期", widget=DAY)
    voters_total = forms.IntegerField(label="应到人数", min_value=1)
    voters_present = forms.IntegerField(label="实到人数", min_value=0)
    votes_for = forms.IntegerField(label="赞成票", min_value=0)
    votes_against = forms.IntegerField(label="反对票", min_value=0, initial=0)
    votes_abstain = forms.IntegerField(label="弃权票", min_value=0, initial=0)


class SignForm(BootstrapForm):
    signed_on = forms.DateField(label="签订日期", widget=DAY)


class FileForm(BootstrapForm):
    filed_on = forms.DateField(label="劳动保障部门收到文本的日期", widget=DAY)
    filed_with = forms.CharField(label="审查部门", max_length=100)


class ObjectionForm(BootstrapForm):
    received_on = forms.DateField(label="收到审查意见的日期", widget=DAY)
    note = forms.CharField(label="审查意见", max_length=250, widget=forms.Textarea(attrs={"rows": 2}))


class EndForm(BootstrapForm):
    ended_on = forms.DateField(label="终止日期", widget=DAY)
    reason = forms.CharField(label="终止原因", max_length=200)


class TextForm(BootstrapForm):
    file = forms.FileField(label="合同文本（PDF 或扫描件）")
