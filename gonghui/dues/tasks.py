"""Background work of dues (django-tasks; run by the worker)."""

import datetime as dt

from django_tasks import task

from gonghui.dues import services


@task()
def recompute_rollups_task(province_code: str = "", since: str = "") -> int:
    """Recompute the per-org monthly rollups (schedule monthly, on the 1st; enqueued after a rate change)."""
    return services.rollups_recompute(province_code=province_code,
                                      since=dt.date.fromisoformat(since) if since else None)  # fmt: skip
