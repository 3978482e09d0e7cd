"""Scope declared on the model: the one get-or-404 for every org-scoped row.

A model names the org path(s) that scope it and takes its manager from ``ScopedQuerySet``::

    class LapseWarning(models.Model):
        scope_paths = ("org__path",)
        objects = ScopedQuerySet.as_manager()

A row is in a user's scope when ANY of its paths lies in a subtree the user holds a grant on
(a transfer is seen by both unions: ``("from_org__path", "to_org__path")``). A model may also name
``scope_related``, the links ``get_for_read`` / ``get_for_write`` load with the row. The rules themselves
(grants, subtrees, roles, the audited refusal) stay in ``gonghui.orgs.access``; this module only
applies them to a model:

- outside the scope, or missing: Http404 "<verbose_name>不存在" (existence does not leak);
- a user with no grant at all: the audited 403 of ``require_cadre``;
- a write under a read-only role (or a non-admin role with ``manage``): an audited 403.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet
from django.http import Http404

from gonghui.accounts.models import Grant
from gonghui.orgs import access

if TYPE_CHECKING:
    from gonghui.accounts.models import User
    from gonghui.orgs.models import Org


def write_roles(*, manage: bool = False) -> set[str]:
    """The roles that may write: staff and admin, or admin alone to ``manage`` the org itself."""
    return {Grant.Role.ADMIN} if manage else access.WRITE_ROLES


class ScopedQuerySet(QuerySet):
    """Rows of a model that declares ``scope_paths``, filtered by a user's grants."""

    def scope_filter(self, user: User | None, roles: set[str] | None = None) -> Q:
        """Rows with any scope path under a grant of the user (only grants with ``roles``, if given)."""
        q = Q(pk__in=[])
        province = getattr(self.model, "scope_province", None)  # the province of the (one) scope path's org
        for path in self.model.scope_paths:
            q |= access.scope_q(user, path, roles=roles, province_field=province)
        return q

    def scope_orgs(self, obj) -> list[Org]:
        """The orgs ``obj`` hangs from, one per scope path ("org__path" -> obj.org, "path" -> obj), but
        for empty optional links."""
        orgs = []
        for path in self.model.scope_paths:
            target = obj
            for name in path.split("__")[:-1]:
                target = getattr(target, name) if target is not None else None
            if target is not None:
                orgs.append(target)
        return orgs

    def in_scope(self, user: User | None) -> ScopedQuerySet:
        return self.filter(self.scope_filter(user))

    def writable_by(self, user: User | None, *, manage: bool = False) -> ScopedQuerySet:
        return self.filter(self.scope_filter(user, write_roles(manage=manage)))

    def not_found(self) -> Http404:
        return Http404(f"{self.model._meta.verbose_name}不存在")

    def get_for_read(self, user: User | None, pk: int):
        """The row ``pk`` if the user's scope holds it; 404 otherwise, the audited 403 without any grant."""
        access.require_cadre(user)
        obj = self.in_scope(user).select_related(*getattr(self.model, "scope_related", ())).filter(pk=pk).first()
        if obj is None:
            raise self.not_found()
        return obj

    def get_for_write(self, user: User | None, pk: int, *, manage: bool = False):
        """The row ``pk`` if the user may change it: 404 as for reads, an audited 403 when no grant
        covering the row's orgs carries a write role (the admin role with ``manage``)."""
        obj = self.get_for_read(user, pk)
        self.require_write(user, obj, manage=manage)
        return obj

    def require_write(self, user: User | None, obj, *, manage: bool = False) -> None:
        """Refuse ``user`` a change to ``obj`` unless a grant covering one of its orgs may write: 404 when no
        grant covers them, the audited 403 when the covering grants' roles may not (services call this too)."""
        orgs = self.scope_orgs(obj)
        grants = [grant for org in orgs if (grant := access.grant_covering(user, org)) is not None]
        if not grants:
            raise self.not_found()
        if not any(grant.role in write_roles(manage=manage) for grant in grants):
            raise access.deny(user, access.ROLE_MESSAGE, orgs[0])
