"""The forms of democratic management pages (validation only; the services decide)."""

from django import forms

from gonghui.core.identifiers import parse_id_number
from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.democracy.models import (
    Ballot,
    Category,
    Choice,
    CongressKind,
    Disclosure,
    Election,
    Ownership,
    Relation,
    Role,
    Satisfaction,
)


class CongressForm(BootstrapForm):
    org = forms.ModelChoiceField(label="工会", queryset=None, empty_label=None)
    name = forms.CharField(label="名称", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=CongressKind.choices)
    staff_count = forms.IntegerField(label="职工人数", min_value=1)
    women_staff = forms.IntegerField(label="女职工人数", min_value=0)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class TermForm(BootstrapForm):
    number = forms.IntegerField(label="届次", min_value=1)
    starts_on = forms.DateField(label="起始日期", widget=DATE_INPUT)
    ends_on = forms.DateField(label="届满日期", widget=DATE_INPUT)


class RepresentativeForm(BootstrapForm):
    id_number = forms.CharField(label="会员身份证号", max_length=18)
    role = forms.ChoiceField(label="代表类别", choices=Role.choices)
    category = forms.ChoiceField(label="身份", choices=Category.choices)
    constituency = forms.CharField(label="选举单位", max_length=50)
    constituency_size = forms.IntegerField(label="选举单位职工数", min_value=1, required=False)
    voted = forms.IntegerField(label="参加投票人数", min_value=0, required=False)
    votes_for = forms.IntegerField(label="得票数", min_value=0, required=False)

    def clean_id_number(self):
        try:
            return parse_id_number(self.cleaned_data["id_number"]).number
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None


class SittingForm(BootstrapForm):
    number = forms.IntegerField(label="第几次会议", min_value=1)
    title = forms.CharField(label="会议名称", max_length=100)
    starts_on = forms.DateField(label="召开日期", widget=DATE_INPUT)
    place = forms.CharField(label="地点", max_length=100)
    materials_sent_on = forms.DateField(label="材料送达日期", widget=DATE_INPUT, required=False)


class BallotForm(BootstrapForm):
    title = forms.CharField(label="表决事项", max_length=100)
    kind = forms.ChoiceField(label="类型", choices=[(k, v) for k, v in Ballot.Kind.choices if k != "removal"])
    method = forms.ChoiceField(label="表决方式", choices=Ballot.Method.choices, initial=Ballot.Method.SECRET)
    items = forms.CharField(label="表决项（每行一项，逐项表决）", widget=forms.Textarea(attrs={"rows": 3}))

    def item_list(self) -> list[str]:
        return [line for line in self.cleaned_data["items"].splitlines() if line.strip()]


class VoteForm(BootstrapForm):
    """One radio group per item of the ballot."""

    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        for item in items:
            self.fields[f"item_{item.position}"] = forms.ChoiceField(
                label=f"{item.position}. {item.text}", choices=Choice.choices, widget=forms.RadioSelect,
                error_messages={"required": "请对这一项作出选择。"})  # fmt: skip
            self.fields[f"item_{item.position}"].widget.attrs["class"] = "form-check-input"

    def choices(self) -> dict[str, str]:
        return {name.removeprefix("item_"): value for name, value in self.cleaned_data.items()}


class HandsForm(BootstrapForm):
    def __init__(self, *args, items=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.items = list(items)
        for item in self.items:
            for key, label in Choice.choices:
                self.fields[f"{key}_{item.position}"] = forms.IntegerField(label=f"{item.position}. {label}",
                                                                           min_value=0, initial=0)  # fmt: skip

    def counts(self) -> dict[int, dict[str, int]]:
        data = self.cleaned_data
        return {i.position: {k: data[f"{k}_{i.position}"] for k in Choice.values} for i in self.items}


class ProposalForm(BootstrapForm):
    """提案: the case, its reasons and measures, and the co-signers picked from the term's formal representatives."""

    title = forms.CharField(label="案由", max_length=100)
    reasons = forms.CharField(label="提案理由", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    measures = forms.CharField(label="建议措施", max_length=3000, widget=forms.Textarea(attrs={"rows": 4}))
    cosigners = forms.ModelMultipleChoiceField(label="附议代表", queryset=None, widget=forms.CheckboxSelectMultiple,
                                               required=False)  # fmt: skip

    def __init__(self, *args, colleagues=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cosigners"].queryset = colleagues
        self.fields["cosigners"].label_from_instance = lambda r: f"{r.person.name}（{r.constituency}）"
        self.fields["cosigners"].widget.attrs["class"] = "form-check-input"


class ReviewForm(BootstrapForm):
    decision = forms.ChoiceField(label="审查结果", choices=[("accept", "立案"), ("opinion", "转为意见建议"),
                                                       ("reject", "不予立案")])  # fmt: skip
    note = forms.CharField(label="审查意见（转为意见建议或不予立案须写明理由）", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class AssignForm(BootstrapForm):
    department = forms.CharField(label="承办部门", max_length=50)
    responsible = forms.CharField(label="承办负责人", max_length=30)
    days = forms.IntegerField(label="办理期限（工作日）", min_value=1, initial=30)


class HandledForm(BootstrapForm):
    note = forms.CharField(label="办理情况", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class ReplyForm(BootstrapForm):
    text = forms.CharField(label="答复意见", max_length=3000, widget=forms.Textarea(attrs={"rows": 3}))


class RateForm(BootstrapForm):
    satisfaction = forms.ChoiceField(label="您对办理结果的评价", choices=Satisfaction.choices, widget=forms.RadioSelect)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["satisfaction"].widget.attrs["class"] = "form-check-input"


class _IdNumberForm(BootstrapForm):
    id_number = forms.CharField(label="会员身份证号", max_length=18)

    def clean_id_number(self):
        try:
            return parse_id_number(self.cleaned_data["id_number"]).number
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages[0]) from None


class ElectionForm(BootstrapForm):
    org = forms.ModelChoiceField(label="工会", queryset=None, empty_label=None)
    title = forms.CharField(label="名称", max_length=100)
    purpose = forms.ChoiceField(label="类型", choices=Election.Purpose.choices)
    seats = forms.IntegerField(label="应选委员名额", min_value=1, max_value=99, initial=5)
    term_years = forms.TypedChoiceField(label="新一届任期", choices=[(5, "5 年"), (3, "3 年")], coerce=int)
    principal_name = forms.CharField(label="单位主要负责人", max_length=30, required=False)
    voting_on = forms.DateField(label="选举日期", widget=DATE_INPUT, required=False)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class CandidateForm(_IdNumberForm):
    relation = forms.ChoiceField(label="与单位主要负责人的关系（本人申报）", choices=Relation.choices)


class ElectorForm(_IdNumberForm):
    pass


class DecideForm(BootstrapForm):
    decision = forms.ChoiceField(label="批复", choices=[("approve", "批复同意"), ("return", "退回")])
    note = forms.CharField(label="意见（退回须写明理由）", max_length=500, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip


class BoardForm(BootstrapForm):
    org = forms.ModelChoiceField(label="工会", queryset=None, empty_label=None)
    ownership = forms.ChoiceField(label="企业类型", choices=Ownership.choices)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class DisclosureForm(BootstrapForm):
    kind = forms.ChoiceField(label="类型", choices=Disclosure.Kind.choices)
    item = forms.ChoiceField(label="公开目录事项（常规公开）", required=False)
    sitting = forms.ModelChoiceField(label="职代会会议（议程、结果）", queryset=None, required=False)
    title = forms.CharField(label="标题", max_length=100)
    body = forms.CharField(label="公开内容", max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))
    posted_on = forms.DateField(label="公开日期", widget=DATE_INPUT)
    until = forms.DateField(label="公开截止日期（不少于15日）", widget=DATE_INPUT)

    def __init__(self, *args, catalogue=(), sittings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].choices = [("", "—"), *catalogue]
        self.fields["sitting"].queryset = sittings


class AnswerForm(BootstrapForm):
    answer = forms.CharField(label="答复", max_length=3000, widget=forms.Textarea(attrs={"rows": 2}))


class QuestionForm(BootstrapForm):
    text = forms.CharField(label="我的问题", min_length=5, max_length=1000, widget=forms.Textarea(attrs={"rows": 3}),
                           error_messages={"min_length": "问题请写 5 至 1000 字。"})  # fmt: skip
