"""The form of an article or notice (new and edit)."""

from django import forms

from gonghui.core.web import BootstrapForm
from gonghui.members.models import EmploymentForm
from gonghui.news.models import Audience, Category, Kind

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ArticleForm(BootstrapForm):
    org = forms.ModelChoiceField(label="发布工会", queryset=None)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    category = forms.ChoiceField(label="栏目", choices=Category.choices)
    title = forms.CharField(label="标题", max_length=120)
    body = forms.CharField(label="正文（可用段落、加粗、列表、表格和链接；脚本、样式和图片会被去掉）",
                           widget=forms.Textarea(attrs={"rows": 10}))  # fmt: skip
    audience = forms.ChoiceField(label="发布范围", choices=Audience.choices)
    targets = forms.ModelMultipleChoiceField(label="选定的下属工会（发布范围为“选定的下属工会会员”时）",
                                             queryset=None, required=False)  # fmt: skip
    employment_forms = forms.MultipleChoiceField(label="限定就业形态（不选为不限）", choices=EmploymentForm.choices,
                                                 required=False)  # fmt: skip
    receipt_required = forms.BooleanField(label="需要阅读回执（仅通知公告）", required=False)
    publish_at = forms.DateTimeField(label="定时发布时间（留空为审核通过后立即发布）", widget=MOMENT, required=False)

    def __init__(self, *args, orgs=None, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["targets"].queryset = targets
