"""The numbers of the governance area (docs/architecture.md rule 5), each default from its source; override any
field with ``settings.GONGHUI_GOVERNANCE`` (a dict)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class GovernancePolicy:
    # 网上舆论 items hold masked text without a person, but a request's wording may still point to its filer: kept
    # two years (our choice: enough to compare a year with the one before), then deleted.
    opinion_keep_days: int = 730
    # Rows of one opinion import (a sheet larger than this is refused: split it).
    opinion_import_max_rows: int = 5000


def governance_policy() -> GovernancePolicy:
    return GovernancePolicy(**getattr(settings, "GONGHUI_GOVERNANCE", {}))


def opinion_keep_days() -> int:
    """The retention default of opinion items (the registry's ``days_setting``)."""
    return governance_policy().opinion_keep_days
