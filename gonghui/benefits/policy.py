"""The numbers of benefits (docs/architecture.md rule 5)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class BenefitsPolicy:
    # A member's vouchers (who claimed what, where it was used) are kept two years after the offer's validity ends,
    # then deleted; the offer keeps its counts (our choice, as for activity sign-ups: the yearly reports and a
    # second year's comparison).
    voucher_keep_days: int = 730
    # A merchant's invite link (to set the account's password) is good for this many days.
    invite_days: int = 7
    # Claims per member and offer: at most this many (a limit of 1 to 3 is usual for 普惠 vouchers).
    max_per_member: int = 20


def benefits_policy() -> BenefitsPolicy:
    return BenefitsPolicy(**getattr(settings, "GONGHUI_BENEFITS", {}))


def voucher_keep_days() -> int:
    return benefits_policy().voucher_keep_days
