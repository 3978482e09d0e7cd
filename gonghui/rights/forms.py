"""Forms of requests and legal cases: they check the shape of the input; the services check the rules."""

from django import forms

from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.rights.models import LegalKind, Milestone, Outcome
from gonghui.rights.policy import CATEGORIES


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (Django's recipe); each is checked by its content in the service."""

    def clean(self, data, initial=None):
        files = data if isinstance(data, (list, tuple)) else [data] if data else []
        return [super(MultipleFileField, self).clean(f, initial) for f in files]


class RequestForm(BootstrapForm):
    """提交诉求 (the worker, on the phone)."""

    category = forms.ChoiceField(label="诉求类别", choices=[("", "请选择"), *CATEGORIES.items()])
    employer_name = forms.CharField(label="用人单位名称", max_length=200, required=False)
    employer_uscc = forms.CharField(label="统一社会信用代码（选填）", max_length=30, required=False,
                                    help_text="18 位，见营业执照；填写后工会能准确找到单位。")  # fmt: skip
    description = forms.CharField(label="诉求内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 5}),
                                  help_text="请写明发生了什么、涉及金额和时间、您希望工会做什么。")  # fmt: skip
    region_code = forms.CharField(label="单位所在地区划代码（选填）", max_length=12, required=False,
                                  help_text="不填则按您所在工会的地区。")  # fmt: skip
    anonymous = forms.BooleanField(label="匿名提交（工会工作人员看不到您的姓名；部分类别须实名）", required=False)
    files = MultipleFileField(label="附件（选填，PDF 或图片，最多 5 个）", required=False,
                            widget=MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))  # fmt: skip


class HotlineForm(RequestForm):
    """热线代录 (a cadre, for a caller)."""

    caller_name = forms.CharField(label="来电人姓名", max_length=50, required=False)
    caller_phone = forms.CharField(label="来电人手机号码", max_length=20, required=False)
    anonymous = forms.BooleanField(label="来电人要求匿名（不记录姓名和电话）", required=False)
    field_order = ["caller_name", "caller_phone", "anonymous", "category", "employer_name", "employer_uscc",
                   "region_code", "description", "files"]  # fmt: skip


class ReplyForm(BootstrapForm):
    text = forms.CharField(label="答复内容", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))


class RateForm(BootstrapForm):
    satisfaction = forms.TypedChoiceField(label="满意度", coerce=int,
                                          choices=[(5, "5 非常满意"), (4, "4 满意"), (3, "3 基本满意"),
                                                   (2, "2 不满意"), (1, "1 非常不满意")])  # fmt: skip
    comment = forms.CharField(label="评价（选填）", max_length=200, required=False)


class LegalForm(BootstrapForm):
    """法律援助案件立案."""

    kind = forms.ChoiceField(label="案件类型", choices=LegalKind.choices)
    handler = forms.IntegerField(label="承办律师（调解员）", widget=forms.Select)
    employer_name = forms.CharField(label="用人单位名称", max_length=200, required=False)
    employer_uscc = forms.CharField(label="统一社会信用代码（选填）", max_length=30, required=False)
    parties = forms.CharField(label="当事人", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
                              help_text="申请人、被申请人及其联系方式。")  # fmt: skip
    claims = forms.CharField(label="请求事项", max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))
    narrative = forms.CharField(label="案情", max_length=5000, required=False, widget=forms.Textarea(attrs={"rows": 4}))
    amount_claimed = forms.DecimalField(label="请求金额（元）", min_value=0, max_digits=12, decimal_places=2, initial=0)
    wage_arrears = forms.BooleanField(label="追索劳动报酬（在职期间不受一年时效限制）", required=False)
    known_on = forms.DateField(label="知道权利被侵害之日", required=False, widget=DATE_INPUT)
    employment_ended_on = forms.DateField(label="劳动关系终止日（在职不填）", required=False, widget=DATE_INPUT)

    def __init__(self, *args, handlers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["handler"].widget.choices = [
            ("", "请选择"),
            *((u.pk, u.display_name or u.username) for u in handlers),
        ]


class MilestoneForm(BootstrapForm):
    kind = forms.ChoiceField(label="进展", choices=Milestone.choices)
    on = forms.DateField(label="日期", widget=DATE_INPUT)
    extension_days = forms.IntegerField(label="延期日数（仲裁延期时填）", required=False, min_value=1, max_value=15)
    note = forms.CharField(label="说明", max_length=200, required=False)


class CloseForm(BootstrapForm):
    outcome = forms.ChoiceField(label="结案方式", choices=Outcome.choices)
    amount_recovered = forms.DecimalField(label="挽回金额（元）", min_value=0, max_digits=12, decimal_places=2,
                                          initial=0)  # fmt: skip
    note = forms.CharField(label="说明（撤回须填写理由）", max_length=200, required=False)
