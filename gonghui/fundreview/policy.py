"""The numbers of fund review (docs/architecture.md rule 5), overridable by ``settings.GONGHUI_FUNDREVIEW``."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class FundReviewPolicy:
    # Who counts as finance staff without being registered as such: an account of the person that kept the
    # union's books (posted an entry, recorded a declaration, a collection or a spending, set a budget, closed
    # a month, recorded an asset) within this many days (our choice: one year, the review's usual period).
    ledger_activity_days: int = 365
    # The rectification deadline a finding gets when none is given (our default; the rules leave it to the
    # committee: 《工会经费审查委员会工作条例》 asks for rectification "within a time limit").
    rectification_days: int = 60
    # Terms of a union committee (工会法 art. 15 / 章程: three or five years); the review committee has the same.
    term_years: tuple = (3, 5)


def fundreview_policy() -> FundReviewPolicy:
    return FundReviewPolicy(**getattr(settings, "GONGHUI_FUNDREVIEW", {}))
