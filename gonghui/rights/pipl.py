"""The worker's own requests (named or anonymous: they are the worker's all the same), the replies, and the legal
cases opened from them, for their copy of their data (declared in apps.py)."""

from gonghui.accounts.models import User
from gonghui.core import crypto
from gonghui.members.models import Person
from gonghui.rights.models import LegalCase, RightsRequest
from gonghui.rights.policy import CATEGORIES


def _plain(value: str) -> str:
    return crypto.decrypt(value) if value else ""


def requests_section(person: Person) -> list[dict]:
    users = User.objects.filter(person=person)
    rows = RightsRequest.objects.filter(filer__in=users).select_related("org").order_by("created_at", "id")
    cases = LegalCase.objects.filter(request__in=rows).order_by("created_at", "id")
    by_request: dict[int, list[dict]] = {}
    for c in cases:
        by_request.setdefault(c.request_id, []).append(
            {"案件类型": c.get_kind_display(), "当事人": _plain(c.parties_enc), "请求事项": _plain(c.claims_enc),
             "案情": _plain(c.narrative_enc), "请求金额（元）": str(c.amount_claimed),
             "挽回金额（元）": str(c.amount_recovered), "结果": c.get_outcome_display(),
             "结案日期": c.closed_on.isoformat() if c.closed_on else ""})  # fmt: skip
    return [
        {"诉求类别": CATEGORIES[r.category], "诉求内容": _plain(r.description_enc), "用人单位": r.employer_name,
         "匿名": r.anonymous, "热线代录": r.via_hotline, "承办工会": r.org.name, "状态": r.status_label,
         "提交时间": r.created_at.isoformat(), "满意度": r.satisfaction,
         "答复": [{"时间": x.at.isoformat(), "来自": "本人" if x.from_worker else "工会", "内容": _plain(x.text_enc)}
                  for x in r.replies.all()],
         "法律援助案件": by_request.get(r.pk, [])}
        for r in rows
    ]  # fmt: skip
