"""The numbers of activities (docs/architecture.md rule 5)."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class ActivitiesPolicy:
    # Sign-ups (who took part in what) are kept two years after the event ends, then deleted (our choice: long
    # enough for the yearly reports and a second year's comparison).
    signup_keep_days: int = 730


def activities_policy() -> ActivitiesPolicy:
    return ActivitiesPolicy(**getattr(settings, "GONGHUI_ACTIVITIES", {}))


def signup_keep_days() -> int:
    return activities_policy().signup_keep_days
