"""Forms of the workforce pages: validate what was typed; the services apply the rules."""

import re
from decimal import Decimal

from django import forms

from gonghui.core.identifiers import parse_id_number
from gonghui.core.masking import has_id_or_phone
from gonghui.core.web import DATE_INPUT, BootstrapForm
from gonghui.workforce import quotas
from gonghui.workforce.models import (
    Achievement,
    ExclusionItem,
    Grade,
    InnovationKind,
    Judge,
    Level,
    Relation,
    Stage,
    StudioLevel,
    Title,
)


class ScoreForm(BootstrapForm):
    competitor = forms.IntegerField(widget=forms.HiddenInput)
    value = forms.DecimalField(label="实操评分", min_value=0, max_value=100, max_digits=5, decimal_places=2,
                               widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01"}))  # fmt: skip
    reason = forms.CharField(label="修改理由（签字后修改必填）", max_length=200, required=False)


class RecusalForm(BootstrapForm):
    entry = forms.IntegerField(label="参赛号", widget=forms.HiddenInput)
    relation = forms.ChoiceField(label="与选手的关系", choices=Relation.choices)


class AppealForm(BootstrapForm):
    entry = forms.IntegerField(widget=forms.HiddenInput)
    text = forms.CharField(label="申诉事由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class RulingForm(BootstrapForm):
    upheld = forms.TypedChoiceField(label="仲裁结论", choices=[("0", "申诉不成立，维持成绩"), ("1", "申诉成立")],
                                    coerce=lambda v: v == "1")  # fmt: skip
    ruling = forms.CharField(label="理由", max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))


class CareDoneForm(BootstrapForm):
    done_on = forms.DateField(label="完成日期", widget=DATE_INPUT)
    amount = forms.DecimalField(label="金额（元）", min_value=0, max_digits=10, decimal_places=2, required=False)


class CareOpenForm(BootstrapForm):
    org = forms.ModelChoiceField(label="工会", queryset=None)
    year = forms.IntegerField(label="年度", min_value=1950, max_value=2100)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class StepForm(BootstrapForm):
    to = forms.CharField(max_length=24, widget=forms.HiddenInput)
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="意见或理由", max_length=500, required=False)


class SubmitForm(BootstrapForm):
    org = forms.ModelChoiceField(label="报送单位", queryset=None)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


# ----- the cadre's entry pages ----------------------------------------------------------------------------------


def _id_number(value: str) -> str:
    try:
        return parse_id_number(value).number
    except forms.ValidationError as error:
        raise forms.ValidationError(error.messages[0]) from None


class _OrgChoice(BootstrapForm):
    """A form whose first field is a union the user may write for (``orgs``)."""

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        if "org" in self.fields:
            self.fields["org"].queryset = orgs


def _shares(text: str) -> list[int]:
    parts = [p for p in text.replace("，", ",").replace("/", ",").split(",") if p.strip()]
    try:
        return [int(p) for p in parts]
    except ValueError:
        raise forms.ValidationError("获奖比例应为整数，用逗号分隔，如 10,20,30。") from None


class CompetitionForm(_OrgChoice):
    org = forms.ModelChoiceField(label="主办工会", queryset=None)
    name = forms.CharField(label="竞赛名称", max_length=100)
    year = forms.IntegerField(label="年度", min_value=1950, max_value=2100)
    theory_weight = forms.DecimalField(label="理论成绩权重（0 至 0.30，其余为实操）", min_value=0,
                                       max_value=Decimal("0.3"),
                                       max_digits=3, decimal_places=2, initial="0.30")  # fmt: skip
    award_shares = forms.CharField(label="获奖比例（%，一二三等奖，逗号分隔）", max_length=30, initial="10,20,30")
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_award_shares(self):
        return _shares(self.cleaned_data["award_shares"])


class EventForm(BootstrapForm):
    occupation = forms.CharField(label="职业（工种）", max_length=50)
    grade = forms.ChoiceField(label="等级", choices=Grade.choices)
    stage = forms.ChoiceField(label="阶段", choices=Stage.choices, initial=Stage.FINAL)
    team_size = forms.TypedChoiceField(label="类型", choices=[(1, "个人赛"), (3, "团体赛（每队 3 人）")], coerce=int)
    held_on = forms.DateField(label="比赛日期", widget=DATE_INPUT)


def looks_like_id_number(value: str) -> bool:
    """15 or 18 characters of digits (an X last): typed as an ID number, checked as one; anything else is a name
    or pinyin to search for."""
    compact = re.sub(r"[\s\-]", "", value or "")
    return len(compact) in (15, 18) and compact[:-1].isdigit()


class EntryForm(BootstrapForm):
    """报名: the entrant (or the team's three) by name, pinyin or ID number; the name and unit shown on the
    ranking. A name that matches several members offers them to choose from (``candidates``: field index ->
    [(person id, label)], found by the view within the competition's scope)."""

    name = forms.CharField(label="选手或队名", max_length=50)
    unit = forms.CharField(label="单位", max_length=100)

    def __init__(self, *args, team_size: int = 1, candidates: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.candidates = candidates or {}
        for i in range(team_size):
            label = "选手" if team_size == 1 else f"队员 {i + 1}"
            self.fields[f"id_number_{i}"] = forms.CharField(
                label=f"{label}（姓名、拼音或身份证号）", max_length=30,
                widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
            )  # fmt: skip
            found = self.candidates.get(i) or []
            if len(found) > 1:
                self.fields[f"pick_{i}"] = forms.TypedChoiceField(
                    label=f"{label}：请选择", coerce=int, required=False,
                    choices=[("", "请选择"), *found], widget=forms.Select(attrs={"class": "form-select"}),
                )  # fmt: skip
        self.team_size = team_size

    def _entrant(self, data, i: int):
        raw = (data.get(f"id_number_{i}") or "").strip()
        if looks_like_id_number(raw):
            return ("id", _id_number(raw))
        if re.fullmatch(r"[0-9]{6,}[0-9Xx]?", re.sub(r"[\s\-]", "", raw)):
            raise forms.ValidationError("身份证号码应为 18 位（或 15 位），请核对；也可以按姓名或拼音查找。")
        found = self.candidates.get(i) or []
        if not found:
            raise forms.ValidationError(
                f"在竞赛主办工会范围内没有找到姓名或拼音以“{raw}”开头的会员，请核对或填写身份证号。"
            )
        if len(found) == 1:
            return ("person", found[0][0])
        picked = data.get(f"pick_{i}")
        if picked in {pk for pk, _ in found}:
            return ("person", picked)
        raise forms.ValidationError(f"有多位会员与“{raw}”匹配，请在下面选择一位，或填写身份证号。")

    def clean(self):
        data = super().clean()
        entrants = []
        for i in range(self.team_size):
            if data.get(f"id_number_{i}"):
                try:
                    entrants.append(self._entrant(data, i))
                except forms.ValidationError as error:
                    self.add_error(f"id_number_{i}", error)
        if len(set(entrants)) != len(entrants):
            raise forms.ValidationError("同一选手不能重复填写。")
        data["entrants"] = entrants
        return data


class JudgeForm(BootstrapForm):
    username = forms.CharField(label="裁判的登录账号", max_length=150)
    name = forms.CharField(label="姓名", max_length=50)
    role = forms.ChoiceField(label="角色", choices=Judge.Role.choices, initial=Judge.Role.JUDGE)


class ModelWorkerForm(_OrgChoice):
    """劳模登记 with the first honour (more honours later on the worker's honour page)."""

    org = forms.ModelChoiceField(label="管理工会", queryset=None)
    id_number = forms.CharField(label="会员身份证号", max_length=18)
    employer_name = forms.CharField(label="工作单位", max_length=100)
    occupation = forms.CharField(label="岗位或工种", max_length=50, required=False)
    health = forms.CharField(label="健康和生活状况（加密保存）", max_length=1000, required=False,
                             widget=forms.Textarea(attrs={"rows": 2}))  # fmt: skip
    in_hardship = forms.BooleanField(label="生活困难", required=False)
    title = forms.ChoiceField(label="荣誉称号", choices=Title.choices)
    year = forms.IntegerField(label="获得年度", min_value=1950, max_value=2100)
    conferred_by = forms.CharField(label="授予单位", max_length=100)

    def clean_id_number(self):
        return _id_number(self.cleaned_data["id_number"])


class HonourForm(BootstrapForm):
    title = forms.ChoiceField(label="荣誉称号", choices=Title.choices)
    year = forms.IntegerField(label="获得年度", min_value=1950, max_value=2100)
    conferred_by = forms.CharField(label="授予单位", max_length=100)


class StudioForm(_OrgChoice):
    org = forms.ModelChoiceField(label="命名工会", queryset=None)
    name = forms.CharField(label="名称", max_length=100)
    level = forms.ChoiceField(label="级别", choices=StudioLevel.choices)
    leader = forms.ModelChoiceField(label="领衔劳模（名册中的）", queryset=None, required=False)
    leader_name = forms.CharField(label="领衔人姓名", max_length=50, required=False,
                                  help_text="选了领衔劳模可不填；工匠不在劳模名册中时填写。")  # fmt: skip
    field = forms.CharField(label="领域", max_length=50)
    host_employer = forms.CharField(label="依托单位", max_length=100)
    members = forms.IntegerField(label="成员人数", min_value=0, max_value=1000, initial=0)
    named_year = forms.IntegerField(label="命名年度", min_value=1950, max_value=2100)

    def __init__(self, *args, workers=None, edit: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = workers
        self.fields["leader"].label_from_instance = lambda w: f"{w.person.name}（{w.employer_name}）"
        if edit:
            del self.fields["org"]

    def clean(self):
        data = super().clean()
        if not data.get("leader_name") and data.get("leader"):
            data["leader_name"] = data["leader"].person.name
        if not data.get("leader_name") and "leader_name" not in self.errors:
            self.add_error("leader_name", "请选择领衔劳模或填写领衔人姓名。")
        return data


class AchievementForm(BootstrapForm):
    kind = forms.ChoiceField(label="成果类别", choices=Achievement.Kind.choices)
    title = forms.CharField(label="成果名称", max_length=100)
    year = forms.IntegerField(label="年度", min_value=1950, max_value=2100)
    benefit_wan = forms.DecimalField(label="经济效益（万元）", min_value=0, max_digits=10, decimal_places=2,
                                     required=False)  # fmt: skip


RULE_CHOICES = [("", "不要求"), ("least", "不少于"), ("most", "不超过")]


class RoundForm(_OrgChoice):
    """发布评选: the round, its quotas (one line per union: name and number) and a share rule per category."""

    org = forms.ModelChoiceField(label="组织单位", queryset=None)
    name = forms.CharField(label="评选名称", max_length=100)
    title = forms.ChoiceField(label="荣誉称号", choices=Title.choices)
    year = forms.IntegerField(label="年度", min_value=1950, max_value=2100)
    notice_days = forms.IntegerField(label="公示期（工作日，至少 5 天）", min_value=5, max_value=30, initial=5)
    quotas = forms.CharField(label="名额（每行一个工会：工会全称 名额）", required=False,
                             widget=forms.Textarea(attrs={"rows": 3, "placeholder": "杭州市总工会 3"}))  # fmt: skip

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in quotas.CATEGORIES.items():
            self.fields[f"rule_{key}"] = forms.ChoiceField(
                label=f"{label}比例", choices=RULE_CHOICES, required=False,
                widget=forms.Select(attrs={"class": "form-select"}),
            )  # fmt: skip
            self.fields[f"percent_{key}"] = forms.DecimalField(
                label=f"{label}（%）",
                min_value=0,
                max_value=100,
                max_digits=5,
                decimal_places=2,
                required=False,
                widget=forms.NumberInput(attrs={"class": "form-control", "step": "0.01"}),
            )

    def clean_quotas(self):
        lines = []
        for number, line in enumerate(self.cleaned_data["quotas"].splitlines(), 1):
            if not line.strip():
                continue
            name, _, count = line.strip().rpartition(" ")
            if not name.strip() or not count.isdigit():
                raise forms.ValidationError(f"第 {number} 行应为“工会全称 名额”，如“杭州市总工会 3”。")
            lines.append((name.strip(), int(count)))
        return lines

    def clean(self):
        data = super().clean()
        rules = []
        for key, label in quotas.CATEGORIES.items():
            kind, percent = data.pop(f"rule_{key}", ""), data.pop(f"percent_{key}", None)
            if kind and percent is None:
                self.add_error(f"percent_{key}", f"请填写{label}的比例。")
            elif kind:
                rules.append({"category": key, "at_least": kind == "least", "percent": str(percent)})
        data["share_rules"] = rules
        return data

    def rule_rows(self):
        return [(self[f"rule_{key}"], self[f"percent_{key}"]) for key in quotas.CATEGORIES]


class InnovationForm(BootstrapForm):
    """A worker's 五小创新 or 合理化建议 (the phone form); the cadre's adds the union and the worker's ID number."""

    kind = forms.ChoiceField(label="类别", choices=[("", "请选择"), *InnovationKind.choices])
    title = forms.CharField(label="名称", max_length=100)
    unit = forms.CharField(label="单位或部门", max_length=100)
    problem = forms.CharField(label="现状和问题", max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
    proposal = forms.CharField(label="建议或方案", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text="做法、预期效果；请不要填写身份证号码或手机号码。")  # fmt: skip

    def clean(self):
        data = super().clean()
        for name in ("title", "unit", "problem", "proposal"):
            if has_id_or_phone(data.get(name) or ""):
                self.add_error(name, f"{self.fields[name].label}中不能含身份证号码或手机号码。")
        return data


class InnovationEntryForm(InnovationForm):
    org = forms.ModelChoiceField(label="受理工会", queryset=None)
    id_number = forms.CharField(label="提出人身份证号", max_length=18)
    field_order = ["org", "id_number", "kind", "title", "unit", "problem", "proposal"]

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs

    def clean_id_number(self):
        return _id_number(self.cleaned_data["id_number"])


class InnovationStepForm(StepForm):
    """A step of an innovation's case; 核定效益 and 发放奖励 carry an amount in yuan (the view reads it as fen)."""

    amount = forms.CharField(label="金额（元）", max_length=20, required=False)


class NominationForm(BootstrapForm):
    """推荐: the nominating union, the nominee (a member by ID number, or a unit by its credit code or full name for
    a unit's title), their unit, categories (persons only) and deeds."""

    org = forms.ModelChoiceField(label="推荐工会", queryset=None)
    id_number = forms.CharField(label="推荐人选身份证号", max_length=18)
    employer = forms.CharField(label="推荐单位（统一社会信用代码或全称）", max_length=200)
    unit = forms.CharField(label="工作单位", max_length=100)
    categories = forms.MultipleChoiceField(label="人员类别", choices=list(quotas.CATEGORIES.items()), required=False,
                                           widget=forms.CheckboxSelectMultiple)  # fmt: skip
    deeds = forms.CharField(label="主要事迹", max_length=2000, widget=forms.Textarea(attrs={"rows": 4}))

    def __init__(self, *args, orgs=None, unit_title=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        for name in ("id_number", "categories") if unit_title else ("employer",):
            del self.fields[name]
        if unit_title:
            self.fields["unit"].label = "单位简介（所在地区、行业）"

    def clean_id_number(self):
        return _id_number(self.cleaned_data["id_number"])


class UnitCheckForm(BootstrapForm):
    item = forms.ChoiceField(choices=ExclusionItem.choices, widget=forms.HiddenInput)
    present = forms.TypedChoiceField(label="核查结论", choices=[("0", "不存在该情形"), ("1", "存在该情形")],
                                     coerce=lambda v: v == "1", widget=forms.RadioSelect)  # fmt: skip
    note = forms.CharField(label="核查说明", max_length=300)
    file = forms.FileField(label="证明材料（PDF 或图片）")


class AllianceForm(BootstrapForm):
    """组建联盟: the union, the lead studio and the member studios (of that union's subtree)."""

    org = forms.ModelChoiceField(label="组建工会", queryset=None)
    name = forms.CharField(label="联盟名称", max_length=100)
    field = forms.CharField(label="领域", max_length=50)
    formed_year = forms.IntegerField(label="组建年度", min_value=1950, max_value=2100)
    lead = forms.ModelChoiceField(label="牵头工作室", queryset=None)
    members = forms.ModelMultipleChoiceField(label="成员工作室（可多选）", queryset=None,
                                             widget=forms.SelectMultiple(attrs={"size": 8}))  # fmt: skip

    def __init__(self, *args, orgs=None, studios=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs
        self.fields["lead"].queryset = studios
        self.fields["members"].queryset = studios
        self.fields["lead"].label_from_instance = self.fields["members"].label_from_instance = lambda s: (
            f"{s.name}（{s.get_level_display()}，{s.host_employer}）"
        )


class EvaluationForm(BootstrapForm):
    year = forms.IntegerField(label="考核年度", min_value=1950, max_value=2100)
    score = forms.DecimalField(label="得分", min_value=0, max_value=100, max_digits=5, decimal_places=2)
    evaluator = forms.CharField(label="考核组织", max_length=100)
    evaluated_on = forms.DateField(label="考核日期", widget=DATE_INPUT)


class RestBatchForm(BootstrapForm):
    """组织疗休养: the union that runs it, where, the dates and the places."""

    org = forms.ModelChoiceField(label="组织工会", queryset=None)
    place = forms.CharField(label="疗休养地点", max_length=100)
    starts_on = forms.DateField(label="开始日期", widget=DATE_INPUT)
    ends_on = forms.DateField(label="结束日期", widget=DATE_INPUT)
    capacity = forms.IntegerField(label="名额", min_value=1, max_value=1000)

    def __init__(self, *args, orgs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs


class RestEnrolForm(BootstrapForm):
    model_worker = forms.ModelChoiceField(label="劳模", queryset=None, empty_label="请选择劳模")

    def __init__(self, *args, candidates=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["model_worker"].queryset = candidates
        self.fields["model_worker"].label_from_instance = lambda w: f"{w.person.name}（{w.employer_name}）"


class PublicityForm(BootstrapForm):
    """先进典型宣传 on the model worker's page (the service checks the day, the link and duplicates)."""

    level = forms.ChoiceField(label="宣传层级", choices=Level.choices, initial=Level.NATIONAL)
    campaign = forms.CharField(label="宣传活动或媒体", max_length=100,
                               help_text="如：大国工匠年度人物、最美职工、劳模宣讲、人民日报专题报道")  # fmt: skip
    published_on = forms.DateField(label="宣传日期", widget=DATE_INPUT)
    link = forms.CharField(label="链接（可选）", max_length=300, required=False,
                           widget=forms.URLInput(attrs={"placeholder": "https://"}))  # fmt: skip


class HardshipFlagForm(BootstrapForm):
    version = forms.IntegerField(widget=forms.HiddenInput)
    note = forms.CharField(label="困难情况说明", max_length=500, widget=forms.Textarea(attrs={"rows": 3}))
