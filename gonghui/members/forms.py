"""Forms of the member pages. They check what people type; the services decide and write."""

from django import forms

from gonghui.core.identifiers import parse_id_number, parse_phone
from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.members.models import ETHNICITIES, Education, EmploymentForm, Gender
from gonghui.orgs.forms import clean_uscc_field

BLANK = [("", "全部")]


class MemberSearchForm(BootstrapForm):
    """会员查询. Sent by POST so that names, ID and phone numbers never appear in a URL."""

    q = forms.CharField(label="查找", max_length=40, required=False)
    org = forms.IntegerField(label="所在组织（含下级）", required=False, widget=forms.Select)
    employment_form = forms.ChoiceField(label="就业形态", choices=BLANK + EmploymentForm.choices, required=False)
    gender = forms.ChoiceField(label="性别", choices=BLANK + Gender.choices, required=False)
    migrant = forms.ChoiceField(label="农民工", choices=BLANK + [("1", "是"), ("0", "否")], required=False)
    page = forms.IntegerField(min_value=1, required=False)

    def filters(self) -> dict:
        data = self.cleaned_data
        migrant = {"1": True, "0": False}.get(data["migrant"])
        return {
            "q": data["q"], "employment_form": data["employment_form"], "gender": data["gender"],
            "is_migrant": migrant,
        }  # fmt: skip


class PersonFieldsForm(BootstrapForm):
    """A person's own fields, shared by registration and correction."""

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号码", max_length=24)
    phone = forms.CharField(label="手机号码", max_length=20, required=False)
    ethnicity = forms.ChoiceField(label="民族", choices=[(e, e) for e in ETHNICITIES], initial="汉族")
    education = forms.ChoiceField(label="学历", choices=[("", "未填写")] + Education.choices, required=False)
    employment_form = forms.ChoiceField(label="就业形态", choices=EmploymentForm.choices, initial="standard")
    is_migrant = forms.BooleanField(label="农民工", required=False)
    employer_name = forms.CharField(label="工作单位", max_length=200, required=False)
    employer_uscc = forms.CharField(label="单位统一社会信用代码", max_length=30, required=False,
                                    help_text="填写后按信用代码识别单位；可不填。")  # fmt: skip
    job_title = forms.CharField(label="岗位", max_length=50, required=False)

    def clean_id_number(self) -> str:
        value = self.cleaned_data["id_number"]
        return parse_id_number(value).number if value.strip() else ""

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"]
        return parse_phone(value) if value.strip() else ""

    def clean_employer_uscc(self) -> str:
        return clean_uscc_field(self.cleaned_data["employer_uscc"])

    def person_fields(self, employer) -> dict:
        names = ("name", "ethnicity", "education", "employment_form", "is_migrant", "job_title")
        return {name: self.cleaned_data[name] for name in names} | {"employer": employer}


class MemberCreateForm(PersonFieldsForm):
    """入会登记."""

    org = forms.IntegerField(label="所在工会", widget=forms.Select, error_messages={"required": "请选择所在工会。"})
    joined_on = forms.DateField(label="入会日期", required=False, widget=DATE_INPUT, help_text="不填则为今天。")
    card_number = forms.CharField(label="会员证号", max_length=32, required=False, help_text="不填则自动生成。")

    field_order = ["org", "name", "id_number", "phone"]


class MemberEditForm(PersonFieldsForm):
    """更正会员信息. ID and phone are never shown in full here; left blank they stay as they are."""

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, person, **kwargs):
        super().__init__(*args, **kwargs)
        masked = {"id_number": person.id_number_masked, "phone": person.phone_masked}
        for name, value in masked.items():
            self.fields[name].required = False
            self.fields[name].help_text = "留空表示不修改。"
            self.fields[name].widget.attrs["placeholder"] = value or "未登记"

    @staticmethod
    def initial_for(person) -> dict:
        employer = person.employer
        return {
            "name": person.name, "ethnicity": person.ethnicity, "education": person.education,
            "employment_form": person.employment_form, "is_migrant": person.is_migrant,
            "job_title": person.job_title, "version": person.version,
            "employer_name": employer.name if employer else "",
            "employer_uscc": (employer.uscc or "") if employer else "",
        }  # fmt: skip


class TransferStartForm(BootstrapForm):
    """发起转会."""

    to_org = forms.IntegerField(label="转入工会", widget=forms.Select, error_messages={"required": "请选择转入工会。"})
    reason = forms.CharField(label="转会原因", max_length=200, error_messages={"required": "请填写转会原因。"})


class TransferRejectForm(BootstrapForm):
    """拒绝转会."""

    reason = forms.CharField(label="拒绝原因", max_length=200, error_messages={"required": "请填写拒绝原因。"})


class LapseCounselForm(forms.Form):
    note = forms.CharField(label="谈话情况", max_length=500, error_messages={"required": "请填写谈话情况。"})
    counselled_on = forms.DateField(
        label="谈话日期", required=False, error_messages={"invalid": "谈话日期格式不正确。"}
    )
    good_reason = forms.BooleanField(label="有正当理由，解除预警", required=False)
