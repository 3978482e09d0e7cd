"""Forms of online joining: they check the shape of the input; the rules live in services."""

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from gonghui.core.identifiers import parse_id_number, parse_uscc
from gonghui.core.web import BootstrapForm
from gonghui.members.models import EmploymentForm
from gonghui.orgs.models import Region

# 您的工作类型, in the words riders and drivers use of themselves: the gig work first (most online applicants).
WORK_CHOICES = [
    ("", "请选择"),
    (EmploymentForm.FOOD_DELIVERY, "外卖骑手（外卖配送员）"),
    (EmploymentForm.COURIER, "快递员（快递小哥）"),
    (EmploymentForm.RIDE_HAILING, "网约车司机"),
    (EmploymentForm.TRUCK_DRIVER, "货车司机"),
    (EmploymentForm.DESIGNATED_DRIVER, "代驾司机"),
    (EmploymentForm.DOMESTIC, "家政服务员"),
    (EmploymentForm.ONLINE_PLATFORM, "其他互联网平台工作（如网络主播、网约配送）"),
    (EmploymentForm.STANDARD, "在单位上班（签了全日制劳动合同）"),
    (EmploymentForm.DISPATCHED, "劳务派遣工"),
    (EmploymentForm.PART_TIME, "非全日制（小时工、兼职）"),
    (EmploymentForm.FLEXIBLE, "其他灵活就业"),
]


class PhoneForm(BootstrapForm):
    phone = forms.CharField(label="手机号码", max_length=20, error_messages={"required": "请填写手机号码。"})


class CodeForm(BootstrapForm):
    code = forms.CharField(label="短信验证码", max_length=10, error_messages={"required": "请填写短信验证码。"})


class ResetForm(CodeForm):
    """找回密码: the texted code and the new password twice (the password policy is the service's)."""

    new_password1 = forms.CharField(label="新密码", strip=False, widget=forms.PasswordInput)
    new_password2 = forms.CharField(label="再次输入新密码", strip=False, widget=forms.PasswordInput)

    def clean(self):
        data = super().clean()
        if data.get("new_password1") and data.get("new_password1") != data.get("new_password2"):
            self.add_error("new_password2", "两次输入的新密码不一致。")
        return data


class WorkForm(BootstrapForm):
    """Where and how the applicant works: what routing looks at. On its own, a second application after a
    refusal (the identity and the account are already known)."""

    employment_form = forms.ChoiceField(label="您的工作类型", choices=WORK_CHOICES,
                                        error_messages={"required": "请选择您的工作类型。"})  # fmt: skip
    employer_name = forms.CharField(label="工作单位或平台", max_length=200, required=False)
    employer_uscc = forms.CharField(label="单位统一社会信用代码", max_length=30, required=False)
    job_title = forms.CharField(label="岗位", max_length=50, required=False)
    region = forms.ModelChoiceField(label="工作所在地", queryset=Region.objects.all(), widget=forms.HiddenInput,
                                    error_messages={"required": "请选择工作所在地（尽量选到街道或乡镇）。",
                                                    "invalid_choice": "请选择工作所在地。"})  # fmt: skip

    def clean_employer_uscc(self) -> str:
        """Optional; checked here so that a mistyped code is reported with the other errors at once."""
        value = self.cleaned_data["employer_uscc"]
        return parse_uscc(value) if value.strip() else ""


class ApplyForm(WorkForm):
    """The application itself. On an error every field comes back as typed (the applicant's own page, sent
    no-store), the password excepted; every field's problem is found at once (the ID number and the password
    are checked here as the services check them)."""

    name = forms.CharField(label="姓名", max_length=50, error_messages={"required": "请填写姓名（与身份证一致）。"})
    id_number = forms.CharField(label="身份证号码", max_length=30, error_messages={"required": "请填写身份证号码。"})
    password1 = forms.CharField(label="设置登录密码", strip=False, widget=forms.PasswordInput,
                                error_messages={"required": "请设置登录密码。"})  # fmt: skip
    agree = forms.BooleanField(label="个人信息处理同意", error_messages={
        "required": "请阅读并同意《入会个人信息处理规则》，否则工会无法办理入会。"})  # fmt: skip

    field_order = [
        "name",
        "id_number",
        "employment_form",
        "employer_name",
        "employer_uscc",
        "job_title",
        "region",
        "password1",
        "agree",
    ]  # as on the page: the list of errors reads in the same order

    def clean_id_number(self) -> str:
        return parse_id_number(self.cleaned_data["id_number"]).number

    def clean_password1(self) -> str:
        password = self.cleaned_data["password1"]
        try:
            validate_password(password)
        except ValidationError as error:
            raise ValidationError(error.messages) from None
        return password


class RejectForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="退回原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class JoinCodeForm(BootstrapForm):
    org = forms.IntegerField(label="受理工会")
    label = forms.CharField(label="名称", max_length=100, initial="流动入会服务站")
