"""Forms of the three consoles. They validate input; accounts.services decides and writes."""

import datetime as dt

from django import forms
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import ValidationError

from gonghui.accounts.models import Grant, SecurityPolicy, User
from gonghui.accounts.services import POLICY_LIMITS
from gonghui.core.models import AuditEvent
from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.orgs.models import Org

ROLE_CHOICES = [("", "工会工作人员（无平台管理角色）"), *[c for c in User.PlatformRole.choices if c[0]]]


class PageForm(BootstrapForm):
    page = forms.IntegerField(min_value=1, max_value=10_000, required=False, widget=forms.HiddenInput)


# ── system admin ────────────────────────────────────────────────────────────────────────────────


class AccountFilterForm(PageForm):
    q = forms.CharField(label="用户名或姓名", max_length=150, required=False)
    role = forms.ChoiceField(
        label="角色", required=False,
        choices=[("", "全部"), ("none", "非平台管理员"), *[c for c in User.PlatformRole.choices if c[0]]],
    )  # fmt: skip
    active = forms.ChoiceField(label="状态", required=False, choices=[("", "全部"), ("1", "启用"), ("0", "停用")])


class AccountCreateForm(BootstrapForm):
    username = forms.CharField(label="用户名", max_length=150, validators=[UnicodeUsernameValidator()],
                               help_text="字母、数字和 @ . + - _，登录时使用。")  # fmt: skip
    display_name = forms.CharField(label="姓名", max_length=50, required=False)
    platform_role = forms.ChoiceField(
        label="平台管理角色", choices=ROLE_CHOICES, required=False,
        help_text="每个账号至多一个平台管理角色（三员分立）；开设后不能更改。工会工作人员的组织授权由安全管理员办理。",
    )  # fmt: skip
    password1 = forms.CharField(label="初始密码", strip=False, widget=forms.PasswordInput(render_value=False))
    password2 = forms.CharField(label="再次输入密码", strip=False, widget=forms.PasswordInput(render_value=False))

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致。")
        return data

    def add_service_error(self, error: ValidationError) -> None:
        """validate_password's messages belong to the password field."""
        if hasattr(error, "error_dict"):
            super().add_service_error(error)
        else:
            self.add_error("password1", error)


# ── security admin ──────────────────────────────────────────────────────────────────────────────


class GrantFilterForm(PageForm):
    org_q = forms.CharField(label="组织名称", max_length=100, required=False)
    username_q = forms.CharField(label="用户名", max_length=150, required=False)


class GrantCreateForm(BootstrapForm):
    username = forms.CharField(label="账号（用户名）", max_length=150)
    org = forms.IntegerField(widget=forms.HiddenInput, error_messages={"required": "请搜索并选择组织。"})
    role = forms.ChoiceField(label="角色", choices=Grant.Role.choices, initial=Grant.Role.READONLY)
    can_unmask = forms.BooleanField(label="可查看完整个人信息（需双因素认证）", required=False)

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise ValidationError("没有这个账号。")
        if not user.is_active:
            raise ValidationError("该账号已停用。")
        return user

    def clean_org(self) -> Org:
        org = Org.objects.filter(pk=self.cleaned_data["org"]).first()
        if org is None:
            raise ValidationError("请搜索并选择组织。")
        return org


def _policy_field(name: str) -> forms.IntegerField:
    low, high = POLICY_LIMITS[name]
    label = SecurityPolicy._meta.get_field(name).verbose_name
    return forms.IntegerField(label=label, min_value=low, max_value=high, help_text=f"{low}–{high}")


class PolicyForm(BootstrapForm):
    dengbao_mode = forms.BooleanField(label="等保模式（密码须含多类字符，并定期更换）", required=False)
    password_min_length = _policy_field("password_min_length")
    password_expiry_days = _policy_field("password_expiry_days")
    lockout_threshold = _policy_field("lockout_threshold")
    lockout_window_minutes = _policy_field("lockout_window_minutes")
    lockout_minutes = _policy_field("lockout_minutes")
    idle_timeout_minutes = _policy_field("idle_timeout_minutes")
    session_lifetime_hours = _policy_field("session_lifetime_hours")

    @classmethod
    def initial_for(cls, policy: SecurityPolicy) -> dict:
        return {name: getattr(policy, name) for name in cls.base_fields}


class AccountResetForm(BootstrapForm):
    """重置账号: the account (by username) and the security admin's confirmation that they checked who asks."""

    username = forms.CharField(label="用户名", max_length=150)
    confirm = forms.BooleanField(
        label="我已当面或通过单位核实了申请人的身份", error_messages={"required": "请先核实申请人的身份并勾选确认。"},
    )  # fmt: skip

    def clean_username(self) -> User:
        user = User.objects.filter(username=self.cleaned_data["username"].strip()).first()
        if user is None:
            raise ValidationError("没有这个账号，请核对用户名。")
        return user


# ── audit admin ─────────────────────────────────────────────────────────────────────────────────


class DateRangeForm(BootstrapForm):
    """A period of whole days in Asia/Shanghai, both ends included."""

    since = forms.DateField(label="起始日期", required=False, widget=DATE_INPUT)
    until = forms.DateField(label="截止日期", required=False, widget=DATE_INPUT)

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", "截止日期不能早于起始日期。")
        return data


class AuditFilterForm(DateRangeForm, PageForm):
    actor = forms.CharField(label="操作人账号", max_length=150, required=False)
    action = forms.CharField(
        label="动作", max_length=64, required=False, widget=forms.TextInput(attrs={"list": "gh-audit-actions"}),
        help_text="从列表中选择，或输入动作代码；以“.”结尾按类查找，如 grant.",
    )  # fmt: skip
    result = forms.ChoiceField(label="结果", required=False, choices=[("", "全部"), *AuditEvent.Result.choices])
    org = forms.CharField(label="所属组织", max_length=100, required=False)
    object_type = forms.CharField(label="对象类型", max_length=64, required=False, help_text="如 accounts.user")
    object_id = forms.CharField(label="对象编号", max_length=64, required=False)


class AnalysisForm(DateRangeForm):
    DEFAULT_DAYS = 30

    def period(self, today: dt.date) -> tuple[dt.date, dt.date]:
        data = self.cleaned_data
        until = data.get("until") or today
        since = data.get("since") or until - dt.timedelta(days=self.DEFAULT_DAYS - 1)
        return since, until


class ExportForm(DateRangeForm):
    since = forms.DateField(label="起始日期", widget=DATE_INPUT)
    until = forms.DateField(label="截止日期", widget=DATE_INPUT)


class WorkdayOverrideForm(BootstrapForm):
    day = forms.DateField(label="日期", widget=DATE_INPUT, error_messages={"required": "请选择日期。",
                                                                          "invalid": "日期格式不正确。"})  # fmt: skip
    is_workday = forms.TypedChoiceField(
        label="调整为", choices=[("0", "休息日"), ("1", "工作日")], coerce=lambda v: v == "1",
        error_messages={"required": "请选择调整为工作日还是休息日。"},
    )  # fmt: skip
    note = forms.CharField(
        label="说明", max_length=100, required=False, help_text="如：地方性假日、国务院新发布的调休安排"
    )
