"""Forms of the hardship pages: they check the shape of the input; the services check the rules."""

import datetime as dt
from decimal import Decimal

from django import forms
from django.utils import timezone

from gonghui.assistance.models import AidKind, Cause, ExpenseKind, IncomeKind, Relation, Schooling
from gonghui.core.web import DATE_INPUT, BootstrapForm

MONEY = {"max_digits": 10, "decimal_places": 2, "min_value": 0}


def _this_year() -> int:
    return timezone.localdate().year


class HouseholdDetailsForm(BootstrapForm):
    """What every household file carries: the county, the causes, the accident, the migrant's year in the city,
    the account, and the yearly incomes and rigid expenses by kind."""

    region_code = forms.CharField(label="家庭所在县（市、区）区划代码", max_length=6, min_length=6)
    main_cause = forms.ChoiceField(label="主要致困原因", choices=Cause.choices)
    secondary_causes = forms.MultipleChoiceField(label="次要致困原因", choices=Cause.choices, required=False,
                                                 widget=forms.CheckboxSelectMultiple)  # fmt: skip
    accident = forms.ChoiceField(label="因工事故", choices=[("", "无"), ("injury", "因工受伤或致残"),
                                                            ("death", "因工死亡")], required=False)  # fmt: skip
    losses = forms.DecimalField(label="当年意外损失（元）", required=False, **MONEY)
    is_migrant = forms.BooleanField(label="农民工", required=False)
    city_work_since = forms.DateField(label="在本市务工起始日", required=False, widget=DATE_INPUT)
    bank_name = forms.CharField(label="开户银行", max_length=50, required=False)
    bank_account = forms.CharField(label="帮扶资金账户", max_length=23, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["secondary_causes"].widget.attrs["class"] = ""
        for kind, label in IncomeKind.choices:
            self.fields[f"income_{kind}"] = forms.DecimalField(label=f"{label}（元/年）", required=False, **MONEY)
        for kind, label in ExpenseKind.choices:
            self.fields[f"expense_{kind}"] = forms.DecimalField(label=f"{label}（元/年）", required=False, **MONEY)
        for name in [*(f"income_{k}" for k in IncomeKind.values), *(f"expense_{k}" for k in ExpenseKind.values)]:
            self.fields[name].widget.attrs["class"] = "form-control"

    def lines(self, prefix: str, kinds) -> dict:
        return {k: self.cleaned_data[f"{prefix}_{k}"] for k in kinds if self.cleaned_data.get(f"{prefix}_{k}")}

    def details(self) -> dict:
        """The services' keyword arguments shared by filing, applying and editing (the region is looked up)."""
        data = self.cleaned_data
        return {
            "main_cause": data["main_cause"], "secondary_causes": data["secondary_causes"],
            "incomes": self.lines("income", IncomeKind.values), "expenses": self.lines("expense", ExpenseKind.values),
            "accident": data["accident"] or "", "losses": data["losses"] or "0", "is_migrant": data["is_migrant"],
            "city_work_since": data["city_work_since"], "bank_name": data["bank_name"],
            "bank_account": data["bank_account"],
        }  # fmt: skip


class FileForm(HouseholdDetailsForm):
    """建档申请: the member, the household's details, the consent."""

    org = forms.ModelChoiceField(label="建档工会", queryset=None, empty_label=None)
    member_id_number = forms.CharField(label="职工身份证号码", max_length=18)
    year = forms.IntegerField(label="核算年度", min_value=2000, max_value=2100, initial=_this_year)
    long_term = forms.BooleanField(label="长期帮扶（重病、残疾）", required=False)
    consent = forms.BooleanField(label="职工本人已阅读告知并单独同意处理其家庭、收入、健康和账户信息", required=False)
    field_order = ["org", "member_id_number", "region_code", "year"]

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class EditForm(HouseholdDetailsForm):
    """修改档案: the saved version travels with the form (optimistic locking)."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    year = forms.IntegerField(label="核算年度", min_value=2000, max_value=2100)
    long_term = forms.BooleanField(label="长期帮扶（重病、残疾）", required=False)
    field_order = ["region_code", "year"]


class ApplyForm(HouseholdDetailsForm):
    """职工申请 on the phone: the worker's own income, work and health, then the household's details; the
    separate consent last, in the worker's own words."""

    own_monthly_income = forms.DecimalField(label="本人月收入（元）", **MONEY)
    own_work = forms.CharField(label="本人就业情况", max_length=50, required=False)
    own_health = forms.CharField(label="本人健康状况", max_length=100, required=False)
    consent = forms.BooleanField(
        label="我已阅读告知，单独同意工会为困难帮扶处理我和家人的家庭、收入、健康和账户信息", required=False
    )
    field_order = ["own_monthly_income", "own_work", "own_health", "region_code", "main_cause"]

    def own(self) -> dict:
        data = self.cleaned_data
        return {"monthly_income": data["own_monthly_income"], "work": data["own_work"], "health": data["own_health"]}


class MemberForm(BootstrapForm):
    """One household member (an empty row is skipped). ``pk`` names a saved member when editing: its ID number
    may then be left blank (kept as saved)."""

    pk = forms.IntegerField(widget=forms.HiddenInput, required=False)
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


class OtherMemberForm(MemberForm):
    """A household member besides the worker (the worker's own row comes from their record)."""

    relation = forms.ChoiceField(label="关系", choices=[("", "—"), *Relation.choices[1:]], required=False)


HouseholdFormSet = forms.formset_factory(MemberForm, extra=6, max_num=12)
EditHouseholdFormSet = forms.formset_factory(MemberForm, extra=2, max_num=12)
OthersFormSet = forms.formset_factory(OtherMemberForm, extra=3, max_num=11)


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


class AllowanceForm(BootstrapForm):
    """One year's 低保 of a region (province, city or county)."""

    region_code = forms.CharField(label="地区区划代码", max_length=6, min_length=2)
    year = forms.IntegerField(label="年度", min_value=2000, max_value=2100)
    monthly = forms.DecimalField(label="月人均标准（元）", max_digits=8, decimal_places=2, min_value=Decimal("0.01"))
