"""The person's member record and memberships, for their own copy of their data (declared in apps.py)."""

from django.utils import timezone

from gonghui.core import crypto
from gonghui.members.models import LapseWarning, Person, TransferRequest


def person_section(person: Person) -> dict:
    person = Person.objects.select_related("employer").get(pk=person.pk)
    return {
        "姓名": person.name,
        "性别": person.get_gender_display(),
        "民族": person.ethnicity,
        "出生日期": person.birth_date.isoformat(),
        "身份证号码": crypto.decrypt(person.id_number_enc) if person.id_number_enc else "",
        "手机号码": crypto.decrypt(person.phone_enc) if person.phone_enc else "",
        "学历": person.get_education_display(),
        "就业形态": person.get_employment_form_display(),
        "农民工": person.is_migrant,
        "工作单位": person.employer.name if person.employer else "",
        "岗位": person.job_title,
    }


def memberships_section(person: Person) -> list[dict]:
    return [
        {
            "所在工会": m.org.name,
            "会员证号": m.card_number,
            "入会日期": m.joined_on.isoformat(),
            "会籍状态": m.get_status_display(),
            "终止日期": m.ended_on.isoformat() if m.ended_on else "",
            "终止原因": m.end_reason,
        }
        for m in person.memberships.select_related("org").order_by("joined_on", "id")
    ]


def _day(moment) -> str:
    return timezone.localdate(moment).isoformat() if moment else ""


def transfers_section(person: Person) -> list[dict]:
    rows = TransferRequest.objects.filter(membership__person=person).select_related("from_org", "to_org")
    return [
        {
            "转出工会": t.from_org.name,
            "转入工会": t.to_org.name,
            "转会原因": t.reason,
            "状态": t.get_status_display(),
            "申请日期": _day(t.requested_at),
            "办结日期": _day(t.decided_at),
            "拒绝原因": t.reject_reason,
        }
        for t in rows.order_by("requested_at", "id")
    ]


def lapse_warnings_section(person: Person) -> list[dict]:
    rows = LapseWarning.objects.filter(membership__person=person).select_related("org")
    return [
        {
            "所在工会": w.org.name,
            "预警日期": w.raised_on.isoformat(),
            "最近缴费或活动日期": w.inactive_since.isoformat(),
            "状态": w.get_status_display(),
            "谈话情况": w.counsel_note,
            "办结说明": w.close_reason,
        }
        for w in rows.order_by("raised_on", "id")
    ]
