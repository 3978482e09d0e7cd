"""The person's online joining applications, for their own copy of their data (declared in apps.py)."""

from django.utils import timezone

from gonghui.core import crypto
from gonghui.joining.models import JoinApplication
from gonghui.members.models import Person
from gonghui.privacy.models import ConsentCategory

# 《入会个人信息处理规则》 (templates/joining/notice.html): its version is recorded with each applicant's consent;
# a new wording gets a new version.
NOTICE_VERSION = "入会-2026-11"
CONSENT_PURPOSE = "办理入会：核实身份、联系申请人、建立会员档案"
CONSENT_CATEGORIES = (ConsentCategory.ID_NUMBER, ConsentCategory.PHONE)


def _at(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def applications_section(person: Person) -> list[dict]:
    """Every application made with the person's ID number (the blind index), the decided ones included."""
    rows = JoinApplication.objects.filter(id_number_bidx=person.id_number_bidx).select_related("org", "employer")
    return [
        {"姓名": a.name, "手机号码": crypto.decrypt(a.phone_enc), "受理工会": a.org.name,
         "工作单位": a.employer.name if a.employer else "", "岗位": a.job_title,
         "就业形态": a.get_employment_form_display(), "申请时间": _at(a.submitted_at), "状态": a.get_status_display(),
         "办结时间": _at(a.decided_at), "退回原因": a.reject_reason}
        for a in rows.order_by("submitted_at", "id")
    ]  # fmt: skip
