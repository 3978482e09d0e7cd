"""Every write to the union tree. Keyword-only, one transaction each, audited."""

import datetime as dt
import uuid

from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr

from gonghui.core.audit import audit_record
from gonghui.core.errors import ConflictError, field_error
from gonghui.core.pinyin import name_keys
from gonghui.members.services import employer_of, provinces_follow_move
from gonghui.orgs import access, provinces
from gonghui.orgs.counts import subtree_moved
from gonghui.orgs.models import ALLOWED_CHILDREN, Org, OrgType, Region, path_segment

EDITABLE_FIELDS = (
    "name", "region", "employer", "uscc", "founded_on", "status", "leadership", "term_years", "term_started_on",
)  # fmt: skip


def _check_child_type(parent: Org | None, org_type: str) -> None:
    if parent is None:
        if org_type != OrgType.NATIONAL:
            raise field_error("parent", "除全国总工会外，每个工会组织都必须有上级工会。")
        return
    if org_type not in ALLOWED_CHILDREN[parent.org_type]:
        raise field_error(
            "org_type",
            f"{parent.get_org_type_display()}下不能设立{OrgType(org_type).label}。",
            code="child_type",
        )
    if parent.status == Org.Status.REVOKED:
        raise field_error("parent", f"上级工会“{parent.name}”已撤销，不能在其下设立组织。")


@transaction.atomic
def org_create(
    *,
    actor,
    parent: Org | None,
    name: str,
    org_type: str,
    region: Region,
    employer=None,
    uscc: str = "",
    founded_on: dt.date | None = None,
    status: str = Org.Status.ACTIVE,
    leadership: str = Org.Leadership.COMMITTEE,
    term_years: int = 5,
    term_started_on: dt.date | None = None,
) -> Org:
    """成立工会: a new node under ``parent`` (the upper-level union approves by creating it); a root only by
    the platform itself."""
    if parent is not None:
        access.require_write(actor, parent, manage=True)
    elif actor is not None:
        raise access.deny(actor, "只能在上级工会之下设立组织。")
    _check_child_type(parent, org_type)
    pinyin, initials = name_keys(name.strip())
    org = Org(
        name=name.strip(), name_pinyin=pinyin, name_initials=initials, org_type=org_type, region=region,
        parent=parent, employer=employer_of(employer), uscc=uscc,
        founded_on=founded_on, status=status, leadership=leadership, term_years=term_years,
        term_started_on=term_started_on, path=f"~{uuid.uuid4().hex}",
        depth=(parent.depth + 1) if parent else 0,
    )  # fmt: skip
    org.full_clean(exclude=["path"])
    org.save()
    org.path = (parent.path if parent else "") + path_segment(org.pk)
    Org.objects.filter(pk=org.pk).update(path=org.path)
    if org.depth <= 1:
        provinces.forget()
    audit_record(actor=actor, action="org.create", obj=org, org=org, detail={"name": org.name})
    return org


@transaction.atomic
def org_update(*, actor, org: Org, version: int, new_parent: Org | None = None, **changes) -> Org:
    """Edit an org's own fields; ``version`` is the one the editor read (409 if it moved on). With
    ``new_parent`` the org also moves there, all in one transaction."""
    access.require_write(actor, org, manage=True)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    if changes:
        org = _org_fields_update(actor=actor, org=org, version=version, changes=changes)
        version = org.version
    if new_parent is not None:
        return org_move(actor=actor, org=org, new_parent=new_parent, version=version)
    if not changes and org.version != version:
        raise ConflictError()
    return org


def _org_fields_update(*, actor, org: Org, version: int, changes: dict) -> Org:
    if "employer" in changes:
        changes["employer"] = employer_of(changes["employer"])
    if "name" in changes:
        changes["name_pinyin"], changes["name_initials"] = name_keys(changes["name"].strip())
    for field, value in changes.items():
        setattr(org, field, value)
    org.full_clean()
    updated = Org.objects.filter(pk=org.pk, version=version).update(
        **{f: getattr(org, f) for f in changes}, version=F("version") + 1
    )
    if not updated:
        raise ConflictError()
    org.version = version + 1
    if "region" in changes and org.depth == 1:  # a province federation's region names its province
        provinces.forget()
        provinces_follow_move(path=org.path)
    audit_record(actor=actor, action="org.update", obj=org, org=org, detail={"fields": sorted(changes)})
    return org


@transaction.atomic
def org_move(*, actor, org: Org, new_parent: Org, version: int | None = None) -> Org:
    """Move a subtree under another parent: every path below it is rewritten in one statement.

    With ``version`` (the one the editor read), a move of an org changed since is refused (409)."""
    access.require_write(actor, org, manage=True)
    access.require_write(actor, new_parent, manage=True)
    # Paths are read again under a row lock: the objects passed in may be stale.
    org, new_parent = (Org.objects.select_for_update().get(pk=o.pk) for o in (org, new_parent))
    if version is not None and org.version != version:
        raise ConflictError()
    if new_parent.path.startswith(org.path):
        raise field_error("parent", "不能把组织移动到它自己或它的下级组织之下。", code="cycle")
    _check_child_type(new_parent, org.org_type)
    old_prefix, new_prefix = org.path, new_parent.path + path_segment(org.pk)
    depth_change = new_parent.depth + 1 - org.depth
    subtree_moved(members=org.subtree_member_count, old_path=org.path, new_parent_path=new_parent.path)
    Org.objects.filter(path__startswith=old_prefix).update(
        path=Concat(Value(new_prefix), Substr("path", len(old_prefix) + 1)),
        depth=F("depth") + depth_change,
        version=F("version") + 1,
    )
    Org.objects.filter(pk=org.pk).update(parent=new_parent)
    provinces.forget()
    provinces_follow_move(path=new_prefix)
    audit_record(
        actor=actor, action="org.move", obj=org, org=org,
        detail={"from": org.parent_id, "to": new_parent.pk},
    )  # fmt: skip
    org.refresh_from_db()
    return org
