"""The person's competitions, model worker record (honours, publicity, care, 疗休养) and nominations, for their
own copy of their data."""

from gonghui.core import crypto
from gonghui.finance.money import yuan
from gonghui.members.models import Person
from gonghui.workforce.models import Competitor, Innovation, ModelWorker, Nomination


def workforce_section(person: Person) -> dict:
    entries = Competitor.objects.filter(person=person).select_related("entry__event__competition")
    worker = ModelWorker.objects.filter(person=person).prefetch_related("honours", "care", "publicity").first()
    nominations = Nomination.objects.filter(person=person).select_related("round")
    innovations = Innovation.objects.filter(person=person).select_related("org").order_by("pk")
    return {
        "技能竞赛": [
            {"竞赛": c.entry.event.competition.name, "项目": str(c.entry.event), "参赛号": c.entry.number,
             "理论成绩": str(c.theory) if c.theory is not None else "",
             "实操评分": [str(s.value) for s in c.scores.all()],
             "证书": [cert.title for cert in c.certificates.all()]}
            for c in entries
        ],
        "劳模": None if worker is None else {
            "工作单位": worker.employer_name, "岗位": worker.occupation,
            "健康和生活状况": crypto.decrypt(worker.health_enc) if worker.health_enc else "",
            "生活困难": "是" if worker.in_hardship else "",
            "生活困难情况": crypto.decrypt(worker.hardship_note_enc) if worker.hardship_note_enc else "",
            "荣誉": [f"{h.year} {h.get_title_display()}" for h in worker.honours.all()],
            "先进典型宣传": [{"日期": p.published_on.isoformat(), "层级": p.get_level_display(),
                        "宣传活动或媒体": p.campaign, "链接": p.link}
                       for p in sorted(worker.publicity.all(), key=lambda p: (p.published_on, p.pk))],
            "关爱": [{"年度": i.year, "项目": i.get_kind_display(),
                    "完成日期": i.done_on.isoformat() if i.done_on else "",
                    "金额（元）": str(i.amount) if i.amount is not None else ""} for i in worker.care.all()],
            "疗休养": [{"地点": r.batch.place, "开始日期": r.batch.starts_on.isoformat(),
                     "结束日期": r.batch.ends_on.isoformat(),
                     "参加": "" if r.attended is None else ("是" if r.attended else "否")}
                    for r in worker.rest_enrolments.select_related("batch").order_by("pk")],
        },
        "评选推荐": [{"评选": n.round.name, "工作单位": n.unit, "主要事迹": n.deeds, "状态": n.status}
                 for n in nominations],
        "五小创新和合理化建议": [
            {"类别": i.get_kind_display(), "名称": i.title, "单位或部门": i.unit, "现状和问题": i.problem,
             "建议或方案": i.proposal, "受理工会": i.org.name, "提交日期": i.submitted_on.isoformat(),
             "状态": i.status_label, "采纳日期": i.adopted_on.isoformat() if i.adopted_on else "",
             "年经济效益（元）": i.benefit_yuan, "奖励（元）": yuan(i.reward_fen) if i.reward_fen else ""}
            for i in innovations
        ],
    }  # fmt: skip
