"""The workforce lists a cadre sees (core.lists), each exportable: competitions, model workers (ID numbers
masked unless the export may unmask), the year's care to-do, studios, 疗休养 batches."""

from django import forms
from django.utils import timezone

from gonghui.core import crypto
from gonghui.core.lists import CadreList, Column, local_time
from gonghui.core.web import BootstrapForm
from gonghui.finance.money import yuan_decimal
from gonghui.workforce import selectors
from gonghui.workforce.models import PLAN_YEARS, CareKind, InnovationKind, StudioLevel


class CompetitionFilters(BootstrapForm):
    year = forms.IntegerField(label="年度", min_value=1950, max_value=2100, required=False)
    q = forms.CharField(label="名称", max_length=50, required=False)


COMPETITIONS = CadreList(
    name="workforce.competitions", title="技能竞赛",
    rows=lambda user, f: selectors.competitions_visible_to(user, year=f.get("year"), q=f.get("q", "")),
    filters=CompetitionFilters,
    columns=(
        Column("名称", lambda c: c.name), Column("年度", lambda c: c.year), Column("主办工会", lambda c: c.org.name),
        Column("项目数", lambda c: c.n_events), Column("理论权重", lambda c: f"{c.theory_weight:.0%}"),
        Column("登记时间", lambda c: local_time(c.created_at)),
    ),
    audit_action="workforce.competitions.export",
)  # fmt: skip


class ModelWorkerFilters(BootstrapForm):
    q = forms.CharField(label="姓名", max_length=50, required=False)
    hardship = forms.BooleanField(label="只看生活困难", required=False)
    publicised = forms.BooleanField(label=f"只看全国先进典型宣传（{PLAN_YEARS[0]}—{PLAN_YEARS[1]}年）", required=False)


def _honours(worker) -> str:
    return "、".join(f"{h.year}年{h.get_title_display()}" for h in worker.honours.all())


MODEL_WORKERS = CadreList(
    name="workforce.model_workers", title="劳模名册",
    rows=lambda user, f: selectors.model_workers_visible_to(user, q=f.get("q", ""), hardship=f.get("hardship", False),
                                                            publicised=f.get("publicised", False)),
    filters=ModelWorkerFilters,
    columns=(
        Column("姓名", lambda w: w.person.name),
        Column("身份证号", lambda w: w.person.id_number_masked, full=lambda w: crypto.decrypt(w.person.id_number_enc)),
        Column("工作单位", lambda w: w.employer_name), Column("岗位或工种", lambda w: w.occupation),
        Column("荣誉", _honours), Column("管理工会", lambda w: w.org.name),
        Column("生活困难", lambda w: "是" if w.in_hardship else ""),
    ),
    audit_action="workforce.model_workers.export",
)  # fmt: skip


class CareFilters(BootstrapForm):
    year = forms.IntegerField(label="年度", min_value=1950, max_value=2100, required=False)
    kind = forms.ChoiceField(label="项目", choices=[("", "全部"), *CareKind.choices], required=False)
    pending = forms.BooleanField(label="只看未完成", required=False)


def _care_rows(user, filters):
    year = filters.get("year") or timezone.localdate().year
    return selectors.care_visible_to(user, year=year, kind=filters.get("kind", ""), pending=filters.get("pending"))


CARE = CadreList(
    name="workforce.care", title="劳模关爱计划", rows=_care_rows, filters=CareFilters,
    columns=(
        Column("姓名", lambda i: i.model_worker.person.name), Column("年度", lambda i: i.year),
        Column("项目", lambda i: i.get_kind_display()), Column("完成日期", lambda i: i.done_on),
        Column("金额（元）", lambda i: i.amount), Column("管理工会", lambda i: i.model_worker.org.name),
    ),
    audit_action="workforce.care.export",
)  # fmt: skip


class StudioFilters(BootstrapForm):
    level = forms.ChoiceField(label="级别", choices=[("", "全部"), *StudioLevel.choices], required=False)
    q = forms.CharField(label="名称", max_length=50, required=False)


STUDIOS = CadreList(
    name="workforce.studios", title="创新工作室",
    rows=lambda user, f: selectors.studios_visible_to(user, level=f.get("level", ""), q=f.get("q", "")),
    filters=StudioFilters,
    columns=(
        Column("名称", lambda s: s.name), Column("级别", lambda s: s.get_level_display()),
        Column("领衔人", lambda s: s.leader_name), Column("领域", lambda s: s.field),
        Column("依托单位", lambda s: s.host_employer), Column("成员人数", lambda s: s.members),
        Column("命名年度", lambda s: s.named_year), Column("成果数", lambda s: s.n_achievements),
        Column("命名工会", lambda s: s.org.name),
    ),
    audit_action="workforce.studios.export",
)  # fmt: skip


def _innovation_status_choices():
    from gonghui.cases.kinds import kind_of
    from gonghui.workforce.cases import INNOVATION

    return [("", "全部"), *kind_of(INNOVATION).statuses.items()]


class InnovationFilters(BootstrapForm):
    status = forms.ChoiceField(label="状态", choices=_innovation_status_choices, required=False)
    kind = forms.ChoiceField(label="类别", choices=[("", "全部"), *InnovationKind.choices], required=False)
    year = forms.IntegerField(label="提交年度", min_value=1950, max_value=2100, required=False)
    q = forms.CharField(label="名称", max_length=50, required=False)


INNOVATIONS = CadreList(
    name="workforce.innovations", title="五小创新和合理化建议",
    rows=lambda user, f: selectors.innovations_visible_to(user, status=f.get("status", ""), kind=f.get("kind", ""),
                                                          year=f.get("year"), q=f.get("q", "")),
    filters=InnovationFilters,
    columns=(
        Column("名称", lambda i: i.title), Column("类别", lambda i: i.get_kind_display()),
        Column("提出人", lambda i: i.person.name), Column("单位或部门", lambda i: i.unit),
        Column("受理工会", lambda i: i.org.name), Column("提交日期", lambda i: i.submitted_on),
        Column("状态", lambda i: i.status_label), Column("采纳日期", lambda i: i.adopted_on),
        Column("年经济效益（元）", lambda i: None if i.benefit_fen is None else yuan_decimal(i.benefit_fen)),
        Column("奖励（元）", lambda i: None if i.reward_fen is None else yuan_decimal(i.reward_fen)),
        Column("提交方式", lambda i: i.get_channel_display()),
    ),
    audit_action="workforce.innovations.export",
)  # fmt: skip


class RestBatchFilters(BootstrapForm):
    year = forms.IntegerField(label="年度", min_value=1950, max_value=2100, required=False)
    q = forms.CharField(label="地点", max_length=50, required=False)


REST_BATCHES = CadreList(
    name="workforce.rest_batches", title="劳模疗休养",
    rows=lambda user, f: selectors.rest_batches_visible_to(user, year=f.get("year"), q=f.get("q", "")),
    filters=RestBatchFilters,
    columns=(
        Column("地点", lambda b: b.place), Column("开始日期", lambda b: b.starts_on),
        Column("结束日期", lambda b: b.ends_on), Column("名额", lambda b: b.capacity),
        Column("报名人数", lambda b: b.n_enrolled),
        Column("参加人数", lambda b: b.n_attended if b.attendance_marked_at else None),
        Column("组织工会", lambda b: b.org.name),
    ),
    audit_action="workforce.rest_batches.export",
)  # fmt: skip
