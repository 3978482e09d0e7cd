"""Policy numbers of news, each with its source."""

from django.conf import settings


def reading_keep_days() -> int:
    """阅读记录 kept three years after publication (the union's own practice for 宣传 records: a notice's
    receipts are asked for at the next year's inspection; GONGHUI_NEWS_READING_KEEP_DAYS overrides)."""
    return int(getattr(settings, "GONGHUI_NEWS_READING_KEEP_DAYS", 1095))
