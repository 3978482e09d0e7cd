"""The forms of benefits: a new offer, a new merchant, a redemption at the till, a merchant's password."""

from django import forms
from django.core.exceptions import ValidationError

from gonghui.benefits.models import Offer
from gonghui.core.web import BootstrapForm
from gonghui.finance.money import parse_yuan
from gonghui.members.models import EmploymentForm

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class YuanField(forms.CharField):
    """An amount typed in yuan, cleaned to fen (finance's reader: at most two decimals, never a float)."""

    def __init__(self, *args, field: str, **kwargs):
        self.service_field = field
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "decimal"}))
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        if value in self.empty_values:
            return None
        try:
            return parse_yuan(value, self.service_field)
        except ValidationError as error:
            raise ValidationError(error.messages) from None


class OfferForm(BootstrapForm):
    org = forms.ModelChoiceField(label="发放工会", queryset=None)
    title = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=Offer.Kind.choices)
    value_fen = YuanField(label="面值 / 最高优惠（元）", field="value_fen")
    discount_percent = forms.IntegerField(label="折扣（折扣券：付原价的百分之几，如 85）", min_value=1, max_value=99,
                                          required=False)  # fmt: skip
    budget_fen = YuanField(label="预算总额（元）", field="budget_fen")
    total_count = forms.IntegerField(label="发放张数", min_value=1, max_value=10_000_000)
    per_member_limit = forms.IntegerField(label="每人限领（张）", min_value=1, max_value=20, initial=1)
    valid_from = forms.DateTimeField(label="有效期起", widget=MOMENT)
    valid_until = forms.DateTimeField(label="有效期止", widget=MOMENT)
    merchants = forms.ModelMultipleChoiceField(label="适用商户", queryset=None,
                                               widget=forms.SelectMultiple(attrs={"size": 5}))  # fmt: skip
    employment_forms = forms.MultipleChoiceField(label="限定就业形态（不选为不限）", choices=EmploymentForm.choices,
                                                 required=False)  # fmt: skip
    description = forms.CharField(label="使用说明", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args, orgs=None, merchants=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["merchants"].queryset = merchants


class MerchantForm(BootstrapForm):
    org = forms.ModelChoiceField(label="签约工会", queryset=None)
    name = forms.CharField(label="商户名称", max_length=100)
    address = forms.CharField(label="地址", max_length=200)
    venue = forms.ModelChoiceField(label="所属服务阵地（工会驿站等，可不选）", queryset=None, required=False)

    def __init__(self, *args, orgs=None, venues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["venue"].queryset = venues


CODE_INPUT = {"autocomplete": "off", "autocapitalize": "characters"}


class RedeemForm(BootstrapForm):
    voucher_code = forms.CharField(label="券码", max_length=40, widget=forms.TextInput(attrs=CODE_INPUT))
    discount_fen = YuanField(label="本次优惠金额（元，折扣券填写）", field="discount_fen", required=False)


class InviteForm(BootstrapForm):
    password1 = forms.CharField(label="设置密码", widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    password2 = forms.CharField(label="再次输入密码",
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password1") != data.get("password2"):
            self.add_error("password2", "两次输入的密码不一致。")
        return data
