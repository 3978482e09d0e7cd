"""The numbers of the message centre (docs/architecture.md rule 5); ``settings.GONGHUI_MESSAGES`` overrides."""

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class MessagesPolicy:
    # Messages are kept a year, then deleted (our choice: a decision's record stays with its case; the
    # inbox is a notification, and a year covers any appeal period of the decisions it reports).
    keep_days: int = 365
    page_size: int = 20


def messages_policy() -> MessagesPolicy:
    return MessagesPolicy(**getattr(settings, "GONGHUI_MESSAGES", {}))


def keep_days() -> int:
    return messages_policy().keep_days
