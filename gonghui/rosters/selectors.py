"""Reads of roster imports and exports, filtered by the caller's scope (orgs.access)."""

from django.db.models import QuerySet
from django.http import Http404

from gonghui.core import exports
from gonghui.core.models import ExportJob
from gonghui.orgs import access
from gonghui.rosters.models import ColumnMapping, ImportJob

ROSTER_LIST = "rosters.roster"  # the name of rosters.lists.ROSTER


def imports_visible_to(user, *, org=None) -> QuerySet[ImportJob]:
    """Imports into unions of the user's scope (``org``: that union only), newest first."""
    access.require_cadre(user)
    jobs = ImportJob.objects.in_scope(user).select_related("org", "created_by")
    if org is not None:
        jobs = jobs.filter(org=org)
    return jobs.order_by("-id")


def exports_of(user) -> QuerySet[ExportJob]:
    """The user's own roster exports, newest first (core.exports: nobody else's)."""
    return exports.exports_of(user, list_name=ROSTER_LIST)


def export_for_owner(user, pk: int) -> ExportJob:
    job = exports_of(user).filter(pk=pk).first()
    if job is None:
        raise Http404("导出记录不存在")
    return job


def remembered_mapping(org) -> dict[str, str]:
    """The union's own column names (heading -> column key, "" for a column it does not import)."""
    return dict(ColumnMapping.objects.filter(org=org).values_list("heading", "key"))


def columns_of(job: ImportJob) -> list[dict]:
    """The mapping step: each heading of the file once (a union's mapping is by heading), with what it
    matched and how (rosters.columns.columns_described), in the order of the file."""
    seen: dict[str, dict] = {}
    for sheet in job.preview.get("sheets", []):
        for column in sheet.get("columns", []):
            seen.setdefault(column["heading"], column)
    return list(seen.values())
