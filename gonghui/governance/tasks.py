"""Background work of the governance app (django-tasks)."""

from django_tasks import task

from gonghui.governance import rollup


@task()
def rollup_apply_task() -> dict:
    """The incremental rollup of the orgs marked dirty since the last run (idempotent: nothing marked, nothing
    done)."""
    return {"rows": rollup.apply_dirty()}
