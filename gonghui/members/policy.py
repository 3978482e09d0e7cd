"""The numbers of membership work (docs/architecture.md rule 5): defaults from the rules, overridable.

``settings.GONGHUI_MEMBERSHIP`` (a dict) overrides any field, e.g. ``{"transfer_auto_accept_days": None}``."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class MembershipPolicy:
    # A released transfer the receiving union leaves unanswered is accepted for it after this many days
    # (一次入会、动态接转: the member must not fall between two unions); None turns it off.
    transfer_auto_accept_days: int | None = 30
    # 中国工会章程 (会员): six months in a row without dues or taking part → counselling, then withdrawal.
    lapse_after_months: int = 6
    # The daily jobs work in batches of this many rows (bounded memory).
    batch_size: int = 1000


def membership_policy() -> MembershipPolicy:
    return MembershipPolicy(**getattr(settings, "GONGHUI_MEMBERSHIP", {}))
