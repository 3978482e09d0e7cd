"""Policy numbers of news, each with its source."""

from django.conf import settings


def reading_keep_days() -> int:
    """阅读记录 kept three years after publication (the union's own practice for 宣传 records: a notice's
    receipts are asked for at the next year's inspection; GONGHUI_NEWS_READING_KEEP_DAYS overrides)."""
    return int(getattr(settings, "GONGHUI_NEWS_READING_KEEP_DAYS", 1095))


def image_max_mb() -> int:
    """配图 at most 5 MB as uploaded (a phone photo is 2–4 MB; the stored copy is re-encoded and smaller);
    GONGHUI_NEWS_IMAGE_MAX_MB overrides, never above the upload limit of every file (GONGHUI_UPLOAD_MAX_MB)."""
    return min(int(getattr(settings, "GONGHUI_NEWS_IMAGE_MAX_MB", 5)), int(settings.GONGHUI_UPLOAD_MAX_MB))


IMAGE_MAX_PIXELS = 40_000_000  # 8000 × 5000: larger is refused before it is decoded (a decompression bomb)


def attempt_keep_days() -> int:
    """知识竞赛答题记录 kept two years after the attempt (a contest's results are asked for at the next year's
    review of the campaign; the contest and its figures stay); GONGHUI_NEWS_ATTEMPT_KEEP_DAYS overrides."""
    return int(getattr(settings, "GONGHUI_NEWS_ATTEMPT_KEEP_DAYS", 730))


def attendance_keep_days() -> int:
    """宣讲签到记录 kept three years after the session, as readings (the count stays on the talk);
    GONGHUI_NEWS_TALK_ATTENDANCE_KEEP_DAYS overrides."""
    return int(getattr(settings, "GONGHUI_NEWS_TALK_ATTENDANCE_KEEP_DAYS", 1095))
