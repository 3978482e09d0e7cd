"""Forms of the hardship pages: they check the shape of the input; the services check the rules."""

import datetime as dt

from django import forms
from django.utils import timezone

from gonghui.assistance.models import AidKind, Cause, ExpenseKind, IncomeKind, Relation, Schooling
from gonghui.core.web import DATE_INPUT, BootstrapForm

MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": 0}


def _this_year() -> int:
    return timezone.localdate().year


class FileForm(BootstrapForm):
    """建档申请: the member, the household's county and causes, the consent, the account."""

    org = forms.ModelChoiceField(label="建档工会", queryset=None, empty_label=None)
    member_id_number = forms.CharField(label="职工身份证号码", max_length=18)
    region_code = forms.CharField(label="家庭所在县（市、区）区划代码", max_length=6, min_length=6)
    year = forms.IntegerField(label="核算年度", min_value=2000, max_value=2100, initial=_this_year)
    main_cause = forms.ChoiceField(label="主要致困原因", choices=Cause.choices)
    secondary_causes = forms.MultipleChoiceField(label="次要致困原因", choices=Cause.choices, required=False,
                                                 widget=forms.CheckboxSelectMultiple)  # fmt: skip
    accident = forms.ChoiceField(label="因工事故", choices=[("", "无"), ("injury", "因工受伤或致残"),
                                                            ("death", "因工死亡")], required=False)  # fmt: skip
    losses = forms.DecimalField(label="当年意外损失（元）", required=False, **MONEY)
    is_migrant = forms.BooleanField(label="农民工", required=False)
    city_work_since = forms.DateField(label="在本市务工起始日", required=False, widget=DATE_INPUT)
    long_term = forms.BooleanField(label="长期帮扶（重病、残疾）", required=False)
    bank_name = forms.CharField(label="开户银行", max_length=50, required=False)
    bank_account = forms.CharField(label="帮扶资金账户", max_length=23, required=False)
    consent = forms.BooleanField(label="职工本人已阅读告知并单独同意处理其家庭、收入、健康和账户信息", required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["secondary_causes"].widget.attrs["class"] = ""
        for kind, label in IncomeKind.choices:
            self.fields[f"income_{kind}"] = forms.DecimalField(label=f"{label}（元/年）", required=False, **MONEY)
        for kind, label in ExpenseKind.choices:
            self.fields[f"expense_{kind}"] = forms.DecimalField(label=f"{label}（元/年）", required=False, **MONEY)
        for name in [*(f"income_{k}" for k in IncomeKind.values), *(f"expense_{k}" for k in ExpenseKind.values)]:
            self.fields[name].widget.attrs["class"] = "form-control"

    def lines(self, prefix: str, kinds) -> dict:
        return {k: self.cleaned_data[f"{prefix}_{k}"] for k in kinds if self.cleaned_data.get(f"{prefix}_{k}")}


class MemberForm(BootstrapForm):
    """One household member (an empty row is skipped)."""

    relation = forms.ChoiceField(label="关系", choices=[("", "—"), *Relation.choices], required=False)
    name = forms.CharField(label="姓名", max_length=50, required=False)
    id_number = forms.CharField(label="身份证号码", max_length=18, required=False)
    health = forms.CharField(label="健康状况", max_length=100, required=False)
    schooling = forms.ChoiceField(label="就学", choices=Schooling.choices, required=False)
    work = forms.CharField(label="就业情况", max_length=50, required=False)
    monthly_income = forms.DecimalField(label="月收入（元）", required=False, **MONEY)

    def member(self) -> dict | None:
        data = self.cleaned_data
        if not data.get("relation") and not data.get("name"):
            return None
        return {**data, "monthly_income": data.get("monthly_income") or 0}


HouseholdFormSet = forms.formset_factory(MemberForm, extra=6, max_num=12)


class StepForm(BootstrapForm):
    to = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="理由或说明", max_length=200, required=False)
    on = forms.DateField(label="解困日期", required=False, widget=DATE_INPUT)


class PayForm(BootstrapForm):
    """发放帮扶资金."""

    kind = forms.ChoiceField(label="帮扶类型", choices=AidKind.choices)
    period = forms.CharField(label="帮扶期间（年度如 2026；助学为学期，如 2026秋）", max_length=16)
    child = forms.ModelChoiceField(label="受助子女（金秋助学）", queryset=None, required=False)
    amount = forms.DecimalField(label="金额（元）", max_digits=10, decimal_places=2, min_value=0)
    fund_source = forms.CharField(label="资金来源", max_length=100)
    paid_on = forms.DateField(label="发放日期", widget=DATE_INPUT, initial=dt.date.today)
    received_by = forms.CharField(label="领取人", max_length=50)

    def __init__(self, *args, children=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["child"].queryset = children
        self.fields["child"].label_from_instance = lambda m: m.name


class ReviewForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    keep = forms.TypedChoiceField(label="复核结论", choices=[("1", "继续帮扶"), ("0", "解困脱困")],
                                  coerce=lambda v: v == "1")  # fmt: skip
    note = forms.CharField(label="说明（解困须填写原因）", max_length=200, required=False)


class SelfCheckForm(BootstrapForm):
    """职工自测: no personal identifiers, only the figures; nothing is stored."""

    household_size = forms.IntegerField(label="家庭人口（人）", min_value=1, max_value=20)
    monthly_income = forms.DecimalField(label="全家每月收入合计（元）", **MONEY)
    yearly_expenses = forms.DecimalField(label="全家每年医疗、教育、住房刚性支出（元）", required=False, **MONEY)
    region_code = forms.CharField(label="家庭所在县（市、区）区划代码", max_length=6, min_length=6)
    main_cause = forms.ChoiceField(label="主要困难原因", choices=Cause.choices)
    on_duty_accident = forms.BooleanField(label="因工受伤、致残或死亡", required=False)
    losses = forms.DecimalField(label="今年因意外事故的损失（元）", required=False, **MONEY)
    is_migrant = forms.BooleanField(label="我是农民工", required=False)
    city_years = forms.DecimalField(label="在本市务工年限（年）", required=False, max_digits=4, decimal_places=1,
                                    min_value=0)  # fmt: skip
