"""Forms of online joining: they check the shape of the input; the rules live in services."""

from django import forms

from gonghui.core.web import BootstrapForm
from gonghui.members.models import EmploymentForm
from gonghui.orgs.models import Region


class PhoneForm(BootstrapForm):
    phone = forms.CharField(label="手机号码", max_length=20)


class CodeForm(BootstrapForm):
    code = forms.CharField(label="短信验证码", max_length=10)


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

    employment_form = forms.ChoiceField(label="就业形态", choices=[("", "请选择"), *EmploymentForm.choices])
    employer_name = forms.CharField(label="工作单位名称", max_length=200, required=False)
    employer_uscc = forms.CharField(label="单位统一社会信用代码", max_length=30, required=False)
    job_title = forms.CharField(label="岗位", max_length=50, required=False)
    region = forms.ModelChoiceField(label="工作所在地", queryset=Region.objects.all(), widget=forms.HiddenInput,
                                    error_messages={"required": "请选择工作所在地（尽量选到街道或乡镇）。",
                                                    "invalid_choice": "请选择工作所在地。"})  # fmt: skip


class ApplyForm(WorkForm):
    """The application itself; the ID number is never rendered back into the page."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=30, widget=forms.PasswordInput(render_value=False))
    password1 = forms.CharField(label="设置登录密码", strip=False, widget=forms.PasswordInput)
    password2 = forms.CharField(label="再次输入密码", strip=False, widget=forms.PasswordInput)
    agree = forms.BooleanField(label="我同意工会为办理入会收集和使用以上个人信息", error_messages={
        "required": "请阅读并同意个人信息处理说明。"})  # fmt: skip

    def clean(self):
        data = super().clean()
        if data.get("password1") and data.get("password2") and data["password1"] != data["password2"]:
            self.add_error("password2", "两次输入的密码不一致。")
        return data


class RejectForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(label="退回原因", max_length=200, widget=forms.Textarea(attrs={"rows": 3}))


class JoinCodeForm(BootstrapForm):
    org = forms.IntegerField(label="受理工会")
    label = forms.CharField(label="名称", max_length=100, initial="流动入会服务站")
