"""The numbers of online joining (docs/architecture.md rule 5): defaults from the rules, overridable.

``settings.GONGHUI_JOINING`` (a dict) overrides any field, e.g. ``{"decision_working_days": 10}``."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class JoiningPolicy:
    # 上海网上入会: the responsible union contacts the applicant within 15 working days (docs/domain.md §3.1).
    decision_working_days: int = 15
    # SMS codes: 6 digits valid 10 minutes with 5 tries (common practice of government apps; our choice).
    code_digits: int = 6
    code_valid_minutes: int = 10
    code_max_attempts: int = 5
    # A new code may be asked for this many seconds after the last one (the page counts down; common practice).
    resend_after_seconds: int = 60
    # A verified phone must be used for an application within this many minutes.
    verified_valid_minutes: int = 30
    # Sends per phone and per client IP per hour; applications per IP per hour (docs/security.md §16).
    sends_per_phone_per_hour: int = 5
    sends_per_ip_per_hour: int = 20
    submits_per_ip_per_hour: int = 10


def joining_policy() -> JoiningPolicy:
    return JoiningPolicy(**getattr(settings, "GONGHUI_JOINING", {}))
