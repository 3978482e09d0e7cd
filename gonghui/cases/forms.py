"""Forms of the case pages: the shape of the input only; the rules live in the services."""

from django import forms

from gonghui.cases.models import PublicNotice
from gonghui.orgs.forms import BootstrapForm


class TransitionForm(BootstrapForm):
    to = forms.CharField(widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="理由或说明", max_length=500, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class NoticeForm(BootstrapForm):
    audience = forms.ChoiceField(label="公示范围", choices=PublicNotice.Audience.choices)
    person_name = forms.CharField(label="姓名", max_length=50)
    unit = forms.CharField(label="单位", max_length=100)
    decision = forms.CharField(label="拟决定事项", max_length=200)


class ObjectionForm(BootstrapForm):
    text = forms.CharField(label="异议内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))
    name = forms.CharField(label="您的姓名（仅审核人员可见）", max_length=50)
    phone = forms.CharField(label="联系电话（仅审核人员可见）", max_length=20)


class AnswerForm(BootstrapForm):
    answer = forms.CharField(label="答复", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class AttachmentForm(BootstrapForm):
    document = forms.ChoiceField(label="材料类别")
    file = forms.FileField(label="文件（PDF、JPEG、PNG 或 Excel）")

    def __init__(self, *args, documents: dict[str, str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["document"].choices = [*documents.items(), ("other", "其他材料")]
