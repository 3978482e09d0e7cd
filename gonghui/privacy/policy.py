"""The numbers of personal-data protection (docs/architecture.md rule 5): defaults from the law, overridable.

``settings.GONGHUI_PRIVACY`` (a dict) overrides any field, e.g. ``{"request_due_working_days": 10}``."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class PrivacyPolicy:
    # PIPL art. 50 leaves the time limit to regulation; 15 working days is the common practice
    # (GB/T 35273-2020 §8.7 and the CAC's app rules) and the platform's default.
    request_due_working_days: int = 15
    # 个人信息保护法第三十一条: under 14 a guardian consents.
    guardian_consent_under_age: int = 14
    # Generated export files are kept this many days, then deleted by the retention task.
    export_keep_days: int = 7
    # Key rotation and retention work in batches of this many rows (bounded memory).
    batch_size: int = 500


def privacy_policy() -> PrivacyPolicy:
    return PrivacyPolicy(**getattr(settings, "GONGHUI_PRIVACY", {}))


def export_keep_days() -> int:
    """The default retention of the generated copies (the ``data_export`` category)."""
    return privacy_policy().export_keep_days
