"""The province an org lies in, for the ``province`` column of the member tables (decision 0052).

An org's province is the GB/T 2260 two-digit code (11 北京 … 65 新疆) of the province federation (省级总工会) its
path passes through: the org at depth 1 of the tree when that org is a province federation. The national root
and the national industry unions (产业工会 directly under 全总) and everything below them are national-level:
province 0. The code is the first two digits of the federation's region.

The depth-1 orgs are few (the provinces and a dozen industry unions) and change almost never, so the
province of each is cached in the process; the org services call ``forget`` when a depth-1 org is created,
moved or its region changes, and the test suite empties the cache between tests (ids are reused after a
rollback on SQLite).
"""

from django.db import models

from gonghui.orgs.models import PATH_SEGMENT_WIDTH, Org, OrgType
from gonghui.orgs.scope import ScopedQuerySet

NATIONAL = 0
_TOP = PATH_SEGMENT_WIDTH + 1  # characters of one path segment
_by_top: dict[str, int] = {}


def top_path(path: str) -> str | None:
    """The path of the depth-1 org ``path`` lies under (or is); None for the root itself."""
    return path[: 2 * _TOP] if len(path) >= 2 * _TOP else None


def province_of_path(path: str) -> int:
    """The province code of the org with ``path`` (0: national-level)."""
    top = top_path(path)
    if top is None:
        return NATIONAL
    province = _by_top.get(top)
    if province is None:
        row = Org.objects.filter(path=top).values_list("org_type", "region_id").first()
        province = int(row[1][:2]) if row is not None and row[0] == OrgType.PROVINCE else NATIONAL
        _by_top[top] = province
    return province


def province_of(org: Org) -> int:
    return province_of_path(org.path)


def forget() -> None:
    """Drop the cached provinces (a depth-1 org was created, moved or changed its region)."""
    _by_top.clear()


class ProvinceQuerySet(ScopedQuerySet):
    """Rows of an ``InProvince`` model: ``bulk_create`` gives each row its union's province, as ``save`` does."""

    def bulk_create(self, objs, *args, **kwargs):
        objs = list(objs)
        paths = dict(Org.objects.filter(pk__in={obj.org_id for obj in objs}).values_list("pk", "path"))
        for obj in objs:
            obj.province = province_of_path(paths[obj.org_id])
        return super().bulk_create(objs, *args, **kwargs)


class InProvince(models.Model):
    """A per-member row that belongs to one union (its ``org``) and lies in that union's province: the ``province``
    column is set on every save and bulk create, follows an org moved to another province
    (``members.services.provinces_follow_move``), narrows a one-province grant's reads (``scope_province``), and is
    the partition key when the app lists the model in its ``partitioned_models`` (decision 0055)."""

    province = models.PositiveSmallIntegerField("省份代码", default=0)

    scope_paths = ("org__path",)
    scope_province = "province"
    objects = ProvinceQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.province = province_of(self.org)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "province"}
        super().save(*args, **kwargs)
