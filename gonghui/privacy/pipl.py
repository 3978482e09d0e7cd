"""The person's consents and requests, for their own copy of their data (declared in apps.py)."""

from django.utils import timezone

from gonghui.members.models import Person


def _at(moment) -> str:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else ""


def consents_section(person: Person) -> list[dict]:
    return [
        {"信息类别": c.get_category_display(), "处理目的": c.purpose, "告知文本版本": c.text_version,
         "同意时间": _at(c.given_at), "同意人": c.get_given_by_display(), "监护人": c.guardian_name,
         "监护人关系": c.guardian_relation, "撤回时间": _at(c.withdrawn_at)}
        for c in person.consents.order_by("given_at", "id")
    ]  # fmt: skip


def requests_section(person: Person) -> list[dict]:
    return [
        {"请求类型": r.get_kind_display(), "具体内容": r.details, "状态": r.get_status_display(),
         "受理时间": _at(r.received_at), "办理期限": r.due_on.isoformat(), "不予办理理由": r.refusal_reason}
        for r in person.data_requests.order_by("received_at", "id")
    ]  # fmt: skip
