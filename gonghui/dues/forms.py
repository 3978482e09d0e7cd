"""Forms of the dues pages. They check what people type; the services decide and write."""

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.dues.calculation import parse_month
from gonghui.dues.models import DuesPayment

DATE_ERRORS = {"required": "请填写缴纳日期。", "invalid": "请填写有效的日期。"}
BASE_HELP = "每月工资收入；奖金、津贴、补贴、福利、救济、退休金、离职金不计入。保存后不再显示。"
MONTH_INPUT = forms.TextInput(attrs={"type": "month", "placeholder": "2026-03"})


class MonthField(forms.CharField):
    """A month typed as YYYY-MM (the browser's month picker sends that); cleans to its first day."""

    widget = MONTH_INPUT

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 10)
        kwargs.setdefault("error_messages", {"required": "请选择月份。"})
        super().__init__(**kwargs)

    def clean(self, value) -> dt.date:
        try:
            return parse_month(super().clean(value))
        except ValidationError as error:
            raise ValidationError(error.messages) from None

    def prepare_value(self, value):
        return f"{value:%Y-%m}" if isinstance(value, dt.date) else value


class WageBaseForm(BootstrapForm):
    """核定缴费基数."""

    base = forms.CharField(label="月缴费基数（元）", max_length=20, help_text=BASE_HELP,
                           error_messages={"required": "请填写缴费基数。"})  # fmt: skip
    effective_from = MonthField(label="起始月份")


class PaymentForm(BootstrapForm):
    """登记缴纳."""

    month = MonthField(label="所属月份")
    method = forms.ChoiceField(label="缴纳方式", choices=DuesPayment.Method.choices)
    paid_on = forms.DateField(label="缴纳日期", widget=DATE_INPUT, initial=timezone.localdate,
                              error_messages=DATE_ERRORS)  # fmt: skip
    amount = forms.CharField(label="金额（元）", max_length=20, required=False, help_text="不填则为该月应缴金额。")
    note = forms.CharField(label="备注", max_length=200, required=False)


class BatchPaymentForm(BootstrapForm):
    """按月批量登记（代扣）."""

    month = MonthField(label="月份")
    method = forms.ChoiceField(label="缴纳方式", choices=DuesPayment.Method.choices, initial="payroll")
    paid_on = forms.DateField(label="缴纳日期", widget=DATE_INPUT, initial=timezone.localdate,
                              error_messages=DATE_ERRORS)  # fmt: skip


class BulkBaseForm(BootstrapForm):
    """批量核定缴费基数: the month here; the bases come as ``base_<person id>`` fields of the page's table."""

    effective_from = MonthField(label="起始月份")

    def bases(self, data) -> dict[int, str]:
        out = {}
        for key, value in data.items():
            if key.startswith("base_") and key[5:].isdigit():
                out[int(key[5:])] = value
        return out


class ReverseForm(BootstrapForm):
    """冲正."""

    reason = forms.CharField(label="冲正原因", max_length=200, error_messages={"required": "请填写冲正原因。"})


class RateForm(BootstrapForm):
    """设置本省会费比例."""

    province = forms.TypedChoiceField(label="省级总工会", coerce=int, error_messages={"required": "请选择省份。"})
    rate_percent = forms.DecimalField(label="会费比例（%）", max_digits=8, decimal_places=4, min_value=0,
                                      error_messages={"required": "请填写会费比例。", "invalid": "请填写数字，如 0.5。",
                                                      "min_value": "会费比例不能为负数。",
                                                      "max_decimal_places": "最多保留 4 位小数。"})  # fmt: skip
    effective_from = MonthField(label="起始月份")

    def __init__(self, *args, provinces, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["province"].choices = [(o.pk, o.name) for o in provinces]
