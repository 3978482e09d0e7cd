"""The forms of learning accounts; each calls a service, which checks everything again."""

from django import forms

from gonghui.core.sheet_import import ModeField
from gonghui.core.web import BootstrapForm
from gonghui.learning.models import Category, Mode

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CourseForm(BootstrapForm):
    org = forms.ModelChoiceField(label="主办工会（面向本级及下属工会会员）", queryset=None)
    title = forms.CharField(label="课程或培训名称", max_length=120)
    provider = forms.CharField(label="授课或承办单位", max_length=100)
    category = forms.ChoiceField(label="类别", choices=Category.choices)
    mode = forms.ChoiceField(label="形式", choices=Mode.choices)
    hours = forms.DecimalField(label="学时", max_digits=5, decimal_places=1, min_value=0.1)
    credits = forms.DecimalField(label="结业学分", max_digits=5, decimal_places=1, min_value=0)
    starts_on = forms.DateField(label="开始日期", widget=DATE)
    ends_on = forms.DateField(label="结束日期", widget=DATE)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class CompletionForm(BootstrapForm):
    id_number = forms.CharField(label="会员身份证号码", max_length=20)
    name = forms.CharField(label="姓名（核对用）", max_length=50)
    completed_on = forms.DateField(label="结业日期", widget=DATE)
    score = forms.DecimalField(label="成绩（0-100，可不填）", max_digits=4, decimal_places=1, required=False,
                               min_value=0, max_value=100)  # fmt: skip
    credits = forms.DecimalField(label="学分（不填为课程学分）", max_digits=5, decimal_places=1, required=False,
                                 min_value=0)  # fmt: skip


class CompletionImportForm(BootstrapForm):
    file = forms.FileField(label="结业记录表格（.xlsx 或 .csv）")
    mode = ModeField()


class CheckInForm(BootstrapForm):
    title = forms.CharField(label="书名", max_length=100)
    minutes = forms.IntegerField(label="阅读时长（分钟）", min_value=1, max_value=600)
    venue = forms.TypedChoiceField(label="阅读地点（可不选）", coerce=int, required=False, empty_value=None)
    note = forms.CharField(label="读书心得（可不填）", required=False, max_length=500,
                           widget=forms.Textarea(attrs={"rows": 3}))  # fmt: skip

    def __init__(self, *args, libraries=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["venue"].choices = [("", "不在职工书屋"), *((v.pk, f"{v.name}（{v.org.name}）") for v in libraries)]
        self.fields["minutes"].widget.attrs["inputmode"] = "numeric"
