"""Finance forms: they check what was typed (amounts in yuan → fen, codes, dates) and the service decides."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.finance.models import AssetMove, Collection, FixedAsset, Level, Spending
from gonghui.finance.money import parse_yuan
from gonghui.finance.services import LineIn

MONTH_INPUT = forms.DateInput(attrs={"type": "month"}, format="%Y-%m")
LINE_ROWS = 4


class MonthField(forms.DateField):
    """A month typed as 2026-03 (the month input) or any date in it."""

    input_formats = ["%Y-%m", "%Y-%m-%d"]

    def __init__(self, **kwargs):
        super().__init__(widget=MONTH_INPUT, **kwargs)
        self.error_messages["invalid"] = "请填写月份，如 2026-03。"

    def to_python(self, value):
        day = super().to_python(value)
        return day.replace(day=1) if day else day


class YuanField(forms.CharField):
    """An amount in yuan, cleaned to fen (money.parse_yuan's rules and messages)."""

    def __init__(self, *, allow_zero=False, **kwargs):
        self.allow_zero = allow_zero
        super().__init__(max_length=24, **kwargs)

    def clean(self, value):
        text = super().clean(value)
        if text in self.empty_values:
            return None
        try:
            return parse_yuan(text, "amount", allow_zero=self.allow_zero)
        except ValidationError as error:
            raise ValidationError(error.message_dict["amount"]) from None


class OrgChoiceForm(BootstrapForm):
    org = forms.ModelChoiceField(label="工会", queryset=None, empty_label=None)

    def __init__(self, *args, orgs, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class EntryForm(OrgChoiceForm):
    """手工记账: the union, the date and the memo; the lines are ``LineFormSet``."""

    date = forms.DateField(label="记账日期", widget=DATE_INPUT, initial=timezone.localdate)
    memo = forms.CharField(label="摘要", max_length=200)


class LineForm(BootstrapForm):
    """One line: an account, a debit or a credit in yuan (an empty row is skipped)."""

    code = forms.ChoiceField(label="科目", required=False)
    debit = YuanField(label="借方（元）", required=False)
    credit = YuanField(label="贷方（元）", required=False)
    party = forms.ModelChoiceField(
        label="往来工会（131、132、211、212 科目必选；135、215 科目可选）", queryset=None, required=False
    )
    counterparty = forms.CharField(
        label="往来单位（135、215 科目，非工会；与往来工会二选一）", max_length=100, required=False
    )

    def __init__(self, *args, codes: list[tuple[str, str]], parties, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = [("", "—"), *codes]
        self.fields["party"].queryset = parties

    def line(self) -> LineIn | None:
        data = self.cleaned_data
        code, debit, credit = data.get("code"), data.get("debit"), data.get("credit")
        if not code and not debit and not credit:
            return None
        if not code:
            raise ValidationError("有金额的行请选择科目。")
        return LineIn(
            code,
            debit_fen=debit or 0,
            credit_fen=credit or 0,
            party=data.get("party"),
            counterparty=(data.get("counterparty") or "").strip(),
        )


LineFormSet = forms.formset_factory(LineForm, extra=LINE_ROWS, max_num=20)


def formset_lines(formset) -> list[LineIn]:
    return [line for form in formset for line in [form.line()] if line is not None]


class ReasonForm(BootstrapForm):
    reason = forms.CharField(label="冲销原因", max_length=100)


class CollectionForm(OrgChoiceForm):
    """登记经费收缴: the union that collects, the employer (its own by default), the month's payroll and the
    money received."""

    employer_uscc = forms.CharField(label="缴费单位统一社会信用代码（本单位可不填）", max_length=18, required=False)
    month = MonthField(label="所属月份")
    payroll = YuanField(label="工资总额（元，已申报的可不填）", required=False)
    amount = YuanField(label="本次缴纳金额（元，不填即全额）", required=False)
    received_on = forms.DateField(label="到账日期", widget=DATE_INPUT, initial=timezone.localdate)
    route = forms.ChoiceField(label="收缴方式", choices=Collection.Route.choices)


class CollectionImportForm(OrgChoiceForm):
    """收缴导入: the union whose subtree the statement covers, and the file (xlsx or csv, the template's columns)."""

    file = forms.FileField(label="收缴明细文件（xlsx 或 csv）")


class AssetForm(OrgChoiceForm):
    name = forms.CharField(label="资产名称", max_length=100)
    category = forms.ChoiceField(label="类别", choices=FixedAsset.Category.choices)
    value = YuanField(label="原值（元）")
    acquired_on = forms.DateField(label="取得日期", widget=DATE_INPUT, initial=timezone.localdate)
    life_months = forms.IntegerField(
        label="折旧年限（月，不填按类别默认）", required=False, min_value=12, max_value=600
    )
    user_unit = forms.CharField(label="使用单位（不填即本工会使用）", max_length=100, required=False)
    venue = forms.ModelChoiceField(label="服务阵地（房屋、场馆类资产可选）", queryset=None, required=False)

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues


class AssetUseForm(BootstrapForm):
    """使用单位和阵地 of an asset: who uses it (the owning union keeps it on its books) and the venue it is."""

    user_unit = forms.CharField(label="使用单位（不填即本工会使用）", max_length=100, required=False)
    venue = forms.ModelChoiceField(label="服务阵地", queryset=None, required=False)

    def __init__(self, *args, venues, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].queryset = venues


class AssetMoveForm(BootstrapForm):
    """调拨或处置 of one asset: the kind, the receiving union for a transfer, the proceeds of a sale, the reason."""

    kind = forms.ChoiceField(label="类别", choices=AssetMove.Kind.choices)
    to_org = forms.ModelChoiceField(label="调入工会（调拨时必选）", queryset=None, required=False)
    proceeds = YuanField(label="出售收入（元，出售时填写）", required=False, allow_zero=True)
    reason = forms.CharField(label="事由", max_length=200)

    def __init__(self, *args, targets, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_org"].queryset = targets


class CloseForm(OrgChoiceForm):
    month = MonthField(label="结账月份")


class BudgetForm(BootstrapForm):
    code = forms.ChoiceField(label="科目")
    amount = YuanField(label="预算金额（元）", allow_zero=True)

    def __init__(self, *args, codes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = codes


class RuleForm(BootstrapForm):
    province = forms.ModelChoiceField(label="省级总工会", queryset=None, empty_label=None)
    effective_from = MonthField(label="执行起始月份")
    grassroots = forms.DecimalField(label="基层工会（%）", min_value=0, max_value=100, decimal_places=2)
    county = forms.DecimalField(label="县（区）总工会（%）", min_value=0, max_value=100, decimal_places=2)
    city = forms.DecimalField(label="市级总工会（%）", min_value=0, max_value=100, decimal_places=2)
    province_share = forms.DecimalField(label="省级总工会（%）", min_value=0, max_value=100, decimal_places=2)
    national = forms.DecimalField(label="全国总工会（%）", min_value=0, max_value=100, decimal_places=2)
    tax_landing = forms.ChoiceField(label="税务代收到账层级", choices=Level.choices[1:])
    note = forms.CharField(label="依据（文件名称和文号）", max_length=200, required=False)

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].queryset = provinces

    def shares(self) -> dict[str, int]:
        data = self.cleaned_data
        return {"grassroots": int(data["grassroots"] * 100), "county": int(data["county"] * 100),
                "city": int(data["city"] * 100), "province": int(data["province_share"] * 100),
                "national": int(data["national"] * 100)}  # fmt: skip


def month_param(value, default: dt.date) -> dt.date:
    """A month from the query (2026-03); anything else reads as ``default``."""
    try:
        month = dt.datetime.strptime(str(value), "%Y-%m").date()
    except ValueError:
        return default
    return month if 2000 <= month.year <= 2100 else default


class SpendingForm(OrgChoiceForm):
    """经费支出: what for, on which expense account, how much; gifts say how many members and in what form."""

    date = forms.DateField(label="支出日期", widget=DATE_INPUT, initial=timezone.localdate)
    memo = forms.CharField(label="事由", max_length=200)
    code = forms.ChoiceField(label="支出科目")
    amount = YuanField(label="金额（元）")
    purpose = forms.ChoiceField(label="用途", choices=Spending.Purpose.choices)
    form = forms.ChoiceField(label="发放形式", choices=Spending.Form.choices, initial=Spending.Form.SERVICE)
    headcount = forms.IntegerField(label="发放人数（慰问品填写）", required=False, min_value=1, max_value=10_000_000)

    def __init__(self, *args, codes: list[tuple[str, str]], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["code"].choices = codes


class DecideForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(choices=[("approve", "批准"), ("refuse", "不予批准")])
    note = forms.CharField(label="审批意见", max_length=500, required=False)
