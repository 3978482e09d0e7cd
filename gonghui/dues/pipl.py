"""The person's dues payments and wage bases, for their own copy of their data (declared in apps.py)."""

from gonghui.dues.models import DuesPayment, WageBase
from gonghui.dues.selectors import decrypt_base
from gonghui.members.models import Person


def payments_section(person: Person) -> list[dict]:
    rows = DuesPayment.objects.filter(person=person).select_related("org")
    return [
        {
            "收缴工会": p.org.name,
            "所属月份": p.month.strftime("%Y-%m"),
            "金额（元）": str(p.amount),
            "缴纳方式": p.get_method_display(),
            "缴纳日期": p.paid_on.isoformat(),
            "类型": p.get_kind_display(),
            "已冲正": p.is_reversed,
        }
        for p in rows.order_by("month", "id")
    ]


def wage_bases_section(person: Person) -> list[dict]:
    rows = WageBase.objects.filter(person=person).select_related("org")
    return [
        {
            "核定工会": b.org.name,
            "起始月份": b.effective_from.strftime("%Y-%m"),
            "月缴费基数（元）": str(decrypt_base(b.base_enc)),
        }
        for b in rows.order_by("effective_from", "id")
    ]
