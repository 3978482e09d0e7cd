"""Reads of collective contracts, limited to the user's scope: the list and one contract; the coverage of any
subtree (employers and workers covered, expiring and lapsed contracts, by kind) for the coverage page and the
governance app; the overview figures, each with a ``_under(org)`` sibling for an org's whole subtree."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Max, Q, QuerySet
from django.utils import timezone

from gonghui.contracts import terms
from gonghui.contracts.models import Contract, Kind, Status
from gonghui.orgs.models import Org


def contracts_visible_to(
    user, *, kind: str = "", status: str = "", level: str = "", q: str = "", org: Org | None = None
) -> QuerySet[Contract]:
    rows = Contract.objects.in_scope(user).select_related("org")
    if org is not None:
        rows = rows.filter(org__path__startswith=org.path)
    if kind:
        rows = rows.filter(kind=kind)
    if status == "expiring":
        today = timezone.localdate()
        rows = rows.filter(status=Status.EFFECTIVE, renewal_from__lte=today)
    elif status == "filing_overdue":
        rows = rows.filter(status=Status.SIGNED, filing_due__lt=timezone.localdate())
    elif status:
        rows = rows.filter(status=status)
    if level:
        rows = rows.filter(level=level)
    if q:
        rows = rows.filter(Q(title__contains=q) | Q(employer_party__contains=q) | Q(org__name__contains=q))
    return rows.order_by("-created_at", "-id")


def contract_for_read(user, pk: int) -> Contract:
    return Contract.objects.get_for_read(user, pk)


def steps_of(contract: Contract):
    return contract.steps.order_by("at", "pk")


# ----- coverage -------------------------------------------------------------------------------------------------


@dataclass
class KindCoverage:
    """One kind's (or all kinds') figures: contracts in effect, the employers and workers they cover, those
    expiring within 3 months, the lapsed, the signed ones not filed in time."""

    label: str
    effective: int = 0
    employers: int = 0
    workers: int = 0
    expiring: int = 0
    lapsed: int = 0
    filing_overdue: int = 0


@dataclass
class Coverage:
    org: Org
    kinds: list[KindCoverage] = field(default_factory=list)
    total: KindCoverage = field(default_factory=lambda: KindCoverage("合计"))


def _covered(rows: QuerySet[Contract]) -> tuple[int, int]:
    """Employers and workers covered by the contracts in effect: per union the largest of its contracts (a
    comprehensive and a wage contract of one employer cover the same people), summed over the unions."""
    per_org = (
        rows.filter(status=Status.EFFECTIVE)
        .values("org")
        .annotate(e=Max("employers_covered"), w=Max("workers_covered"))
    )
    employers = workers = 0
    for row in per_org:
        employers += row["e"]
        workers += row["w"]
    return employers, workers


def coverage_of(rows: QuerySet[Contract], org: Org, today: dt.date | None = None) -> Coverage:
    today = today or timezone.localdate()
    result = Coverage(org)
    counts = rows.values("kind").annotate(
        effective=Count("pk", filter=Q(status=Status.EFFECTIVE)),
        expiring=Count("pk", filter=Q(status=Status.EFFECTIVE, renewal_from__lte=today)),
        lapsed=Count("pk", filter=Q(status=Status.LAPSED)),
        overdue=Count("pk", filter=Q(status=Status.SIGNED, filing_due__lt=today)),
    )
    by_kind = {row["kind"]: row for row in counts}
    per_kind = {}
    for row in (
        rows.filter(status=Status.EFFECTIVE)
        .values("kind", "org")
        .annotate(e=Max("employers_covered"), w=Max("workers_covered"))
    ):
        e, w = per_kind.get(row["kind"], (0, 0))
        per_kind[row["kind"]] = (e + row["e"], w + row["w"])
    for kind in Kind:
        row = by_kind.get(kind.value, {})
        employers, workers = per_kind.get(kind.value, (0, 0))
        line = KindCoverage(
            kind.label,
            row.get("effective", 0),
            employers,
            workers,
            row.get("expiring", 0),
            row.get("lapsed", 0),
            row.get("overdue", 0),
        )
        result.kinds.append(line)
        for name in ("effective", "expiring", "lapsed", "filing_overdue"):
            setattr(result.total, name, getattr(result.total, name) + getattr(line, name))
    result.total.employers, result.total.workers = _covered(rows)
    return result


def coverage_under(org: Org, today: dt.date | None = None) -> Coverage:
    """The coverage of ``org``'s whole subtree (for the governance app; no user scope)."""
    return coverage_of(Contract.objects.filter(org__path__startswith=org.path), org, today)


def coverage_for(user, org: Org, today: dt.date | None = None) -> Coverage:
    """The coverage of ``org``'s subtree as ``user`` sees it (``org`` already read in scope)."""
    return coverage_of(Contract.objects.in_scope(user).filter(org__path__startswith=org.path), org, today)


def children_coverage(user, org: Org) -> list[tuple[Org, int, int, int]]:
    """Each child union of ``org`` with its subtree's contracts in effect, workers covered and lapsed contracts
    (one grouped query over the subtree's contracts)."""
    children = list(Org.objects.filter(parent=org).order_by("path"))
    rows = (
        Contract.objects.in_scope(user)
        .filter(org__path__startswith=org.path)
        .values("org__path")
        .annotate(
            effective=Count("pk", filter=Q(status=Status.EFFECTIVE)),
            workers=Max("workers_covered", filter=Q(status=Status.EFFECTIVE)),
            lapsed=Count("pk", filter=Q(status=Status.LAPSED)),
        )
    )
    totals = {child.path: [0, 0, 0] for child in children}
    for row in rows:
        child = next((c for c in children if row["org__path"].startswith(c.path)), None)
        if child is not None:
            line = totals[child.path]
            line[0] += row["effective"]
            line[1] += row["workers"] or 0
            line[2] += row["lapsed"]
    return [(child, *totals[child.path]) for child in children]


def lapsed_by_org_under(org: Org) -> dict[int, int]:
    """Early-warning signal for the governance app: lapsed contracts per union (org id) of the subtree."""
    rows = (
        Contract.objects.filter(org__path__startswith=org.path, status=Status.LAPSED)
        .values("org")
        .annotate(n=Count("pk"))
    )
    return {row["org"]: row["n"] for row in rows}


def renewal_window(contract: Contract, today: dt.date | None = None) -> bool:
    return contract.status == Status.EFFECTIVE and terms.renewal_due(contract.expires_on, today or timezone.localdate())


# ----- overview figures -----------------------------------------------------------------------------------------


def _under(org: Org) -> QuerySet[Contract]:
    return Contract.objects.filter(org__path__startswith=org.path)


def effective_count(user) -> int:
    return Contract.objects.in_scope(user).filter(status=Status.EFFECTIVE).count()


def effective_count_under(org: Org) -> int:
    return _under(org).filter(status=Status.EFFECTIVE).count()


def workers_covered(user) -> int:
    return _covered(Contract.objects.in_scope(user))[1]


def workers_covered_under(org: Org) -> int:
    return _covered(_under(org))[1]


def lapsed_count(user) -> int:
    return Contract.objects.in_scope(user).filter(status=Status.LAPSED).count()


def lapsed_count_under(org: Org) -> int:
    return _under(org).filter(status=Status.LAPSED).count()


def _by_org(status: str) -> dict[int, int]:
    """Each org's own contracts in ``status`` (the governance rollups sum them up the tree; the workers covered
    do not add up that way: a union counts once, by its largest contract)."""
    rows = Contract.objects.filter(status=status).values("org").annotate(n=Count("id"))
    return dict(rows.values_list("org", "n"))


def effective_count_by_org() -> dict[int, int]:
    return _by_org(Status.EFFECTIVE)


def lapsed_count_by_org() -> dict[int, int]:
    return _by_org(Status.LAPSED)


def in_force_for(org: Org) -> Contract | None:
    """The union's collective contract in force (生效), the latest to expire first (others' checks read it, e.g. a
    unit's exclusion checks in gonghui.workforce)."""
    return Contract.objects.filter(org=org, status=Status.EFFECTIVE).order_by("-expires_on", "-pk").first()
