"""The form of an article or notice (new and edit)."""

from django import forms

from gonghui.core import groups
from gonghui.core.sheet_import import ModeField
from gonghui.core.web import BootstrapForm
from gonghui.members.models import EmploymentForm
from gonghui.news.models import Audience, Category, Difficulty, Kind, QuestionKind, TalkKind

MOMENT = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class ArticleForm(BootstrapForm):
    org = forms.ModelChoiceField(label="发布工会", queryset=None)
    kind = forms.ChoiceField(label="类型", choices=Kind.choices)
    category = forms.ChoiceField(label="栏目", choices=Category.choices)
    title = forms.CharField(label="标题", max_length=120)
    body = forms.CharField(label="正文（可用段落、加粗、列表、表格和链接；图片在保存草稿后插入；脚本和样式会被去掉）",
                           widget=forms.Textarea(attrs={"rows": 10}))  # fmt: skip
    audience = forms.ChoiceField(label="发布范围", choices=Audience.choices)
    targets = forms.ModelMultipleChoiceField(label="选定的下属工会（发布范围为“选定的下属工会会员”时）",
                                             queryset=None, required=False)  # fmt: skip
    employment_forms = forms.MultipleChoiceField(label="限定就业形态（不选为不限）", choices=EmploymentForm.choices,
                                                 required=False)  # fmt: skip
    groups = forms.MultipleChoiceField(label="限定人群（不选为不限，选多项为其中之一即可）", choices=(), required=False)
    receipt_required = forms.BooleanField(label="需要阅读回执（仅通知公告）", required=False)
    publish_at = forms.DateTimeField(label="定时发布时间（留空为审核通过后立即发布）", widget=MOMENT, required=False)

    def __init__(self, *args, orgs=None, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["targets"].queryset = targets
        self.fields["groups"].choices = groups.choices()


class QuestionForm(BootstrapForm):
    """录入一道题."""

    org = forms.ModelChoiceField(label="所属工会（题库）", queryset=None)
    kind = forms.ChoiceField(label="题型", choices=QuestionKind.choices)
    text = forms.CharField(label="题目", max_length=300, widget=forms.Textarea(attrs={"rows": 2}))
    option_a = forms.CharField(label="选项A（判断题不填）", max_length=100, required=False)
    option_b = forms.CharField(label="选项B", max_length=100, required=False)
    option_c = forms.CharField(label="选项C", max_length=100, required=False)
    option_d = forms.CharField(label="选项D", max_length=100, required=False)
    answer = forms.CharField(label="答案（选项字母，如 A 或 ACD；判断题填“正确”或“错误”）", max_length=8)
    category = forms.CharField(label="分类（如 工会法、安全生产）", max_length=30, required=False)
    difficulty = forms.ChoiceField(label="难度", choices=Difficulty.choices, initial=Difficulty.MEDIUM)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class QuestionImportForm(BootstrapForm):
    org = forms.ModelChoiceField(label="导入到工会题库", queryset=None)
    file = forms.FileField(label="题目表格（.xlsx 或 .csv）")
    mode = ModeField()

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class ContestForm(BootstrapForm):
    org = forms.ModelChoiceField(label="主办工会", queryset=None)
    title = forms.CharField(label="竞赛名称", max_length=120)
    description = forms.CharField(label="竞赛说明", required=False, widget=forms.Textarea(attrs={"rows": 3}))
    audience = forms.ChoiceField(label="参赛范围", choices=[c for c in Audience.choices if c[0] != Audience.PUBLIC])
    targets = forms.ModelMultipleChoiceField(label="选定的下属工会（参赛范围为“选定的下属工会会员”时）",
                                             queryset=None, required=False)  # fmt: skip
    employment_forms = forms.MultipleChoiceField(label="限定就业形态（不选为不限）", choices=EmploymentForm.choices,
                                                 required=False)  # fmt: skip
    starts_at = forms.DateTimeField(label="开始时间", widget=MOMENT)
    ends_at = forms.DateTimeField(label="结束时间", widget=MOMENT)
    question_count = forms.IntegerField(label="每次抽题数", min_value=1, max_value=100, initial=10)
    category = forms.CharField(label="限定分类（留空为全部）", max_length=30, required=False)
    difficulty = forms.ChoiceField(label="限定难度", choices=[("", "不限"), *Difficulty.choices], required=False)
    time_limit_minutes = forms.IntegerField(label="答题时限（分钟）", min_value=1, max_value=180, initial=10)
    attempts_allowed = forms.IntegerField(label="每人可答题次数", min_value=1, max_value=10, initial=1)

    def __init__(self, *args, orgs=None, targets=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["targets"].queryset = targets


class TalkForm(BootstrapForm):
    """登记宣讲或班组学习. The speaker is picked from the model-worker registry by searching a name (the
    options come from ``news:speaker_options``), or typed."""

    org = forms.ModelChoiceField(label="主办工会", queryset=None)
    kind = forms.ChoiceField(label="类型", choices=TalkKind.choices)
    topic = forms.CharField(label="主题", max_length=120)
    starts_at = forms.DateTimeField(label="开始时间", widget=MOMENT)
    minutes = forms.IntegerField(label="时长（分钟）", min_value=1, max_value=480, initial=60)
    place = forms.CharField(label="地点", max_length=120)
    speaker = forms.IntegerField(required=False, widget=forms.HiddenInput)
    speaker_name = forms.CharField(label="主讲人姓名（不是劳模时填写）", max_length=60, required=False)
    summary = forms.CharField(
        label="内容简介", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
