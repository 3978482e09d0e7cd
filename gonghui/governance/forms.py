"""Forms of the governance pages: validate what was typed; the services apply the rules."""

from django import forms

from gonghui.core.sheet_import import ModeField
from gonghui.core.web import BootstrapForm
from gonghui.governance.services import MAX_VALUE

VALUE = {"min_value": 0, "max_value": MAX_VALUE, "max_digits": 18, "decimal_places": 2}


class TargetForm(BootstrapForm):
    key = forms.ChoiceField(label="指标")
    value = forms.DecimalField(label="目标值", **VALUE)
    due_on = forms.DateField(label="完成期限", widget=forms.DateInput(attrs={"type": "date"}))
    source = forms.CharField(label="依据（文件或规划条目）", max_length=200, required=False)

    def __init__(self, *args, figures=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["key"].choices = [(f.key, f"{f.label}（{f.unit}）") for f in figures]


class TargetSplitForm(BootstrapForm):
    """One field per child union: its share of the parent's target (blank: none)."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, children=(), **kwargs):
        super().__init__(*args, **kwargs)
        for org, share in children:
            self.fields[f"org_{org.pk}"] = forms.DecimalField(label=org.name, required=False, initial=share, **VALUE)
            self.fields[f"org_{org.pk}"].widget.attrs.update({"inputmode": "decimal", "class": "form-control"})

    def shares(self) -> dict[int, object]:
        return {int(name[4:]): value for name, value in self.cleaned_data.items() if name.startswith("org_")}


class RiskWeightsForm(BootstrapForm):
    """One weight per signal of the risk score."""

    def __init__(self, *args, signals=(), **kwargs):
        super().__init__(*args, **kwargs)
        for key, label, weight in signals:
            top = 100000 if key.startswith("threshold_") else 1000
            self.fields[key] = forms.DecimalField(label=label, initial=weight, min_value=0, max_value=top,
                                                  max_digits=8, decimal_places=2)  # fmt: skip


class OpinionWordForm(BootstrapForm):
    word = forms.CharField(label="词语", max_length=20)
    weight = forms.DecimalField(label="权重（正数为正面，负数为负面，0 为删除）", min_value=-5, max_value=5,
                                max_digits=4, decimal_places=1)  # fmt: skip


class YearReportForm(BootstrapForm):
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)


class OpinionImportForm(BootstrapForm):
    org = forms.ModelChoiceField(label="所属工会", queryset=None)
    file = forms.FileField(label="舆论条目表格（.xlsx 或 .csv）")
    mode = ModeField()

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
