"""The person's vouchers, for their own copy of their data (declared in apps.py). The code is left out: it is a
bearer token, and the voucher page shows it to its holder."""

from django.utils import timezone

from gonghui.benefits.models import Voucher
from gonghui.finance.money import yuan
from gonghui.members.models import Person


def vouchers_section(person: Person) -> list[dict]:
    rows = Voucher.objects.filter(person=person).select_related("offer", "merchant").order_by("claimed_at", "pk")
    return [{"普惠券": v.offer.title, "金额（元）": yuan(v.value_fen),
             "领取时间": timezone.localtime(v.claimed_at).isoformat(),
             "核销时间": timezone.localtime(v.redeemed_at).isoformat() if v.redeemed_at else "",
             "核销商户": v.merchant.name if v.merchant else ""} for v in rows]  # fmt: skip
