"""Reads of requests and legal cases, always within the user's scope (gonghui.orgs.scope), and the signals the
governance overview scores. An anonymous request's filer is never read here for anyone but the filer."""

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils import timezone

from gonghui.core import crypto
from gonghui.core.masking import mask_phone
from gonghui.orgs import access
from gonghui.orgs.models import Org
from gonghui.rights import clocks
from gonghui.rights.cases import CLOSED, REPLIED
from gonghui.rights.models import LegalCase, RequestGroup, RightsRequest
from gonghui.rights.policy import CATEGORIES, rights_policy

STATUS_FILTERS = {"": "全部", "open": "未办结", "overdue": "已超期", "escalated": "已升级", "replied": "已答复",
                  "closed": "已办结"}  # fmt: skip
NOT_HANDLING = "仅承办工会和承办律师（调解员）可见"


def _today() -> dt.date:
    return timezone.localdate()


def _open(rows: QuerySet) -> QuerySet:
    return rows.exclude(status=CLOSED)


def _overdue(rows: QuerySet) -> QuerySet:
    return _open(rows).exclude(status=REPLIED).filter(due_on__lt=_today())


# ----- requests ------------------------------------------------------------------------------------------------


def requests_visible_to(user, *, status: str = "", category: str = "", group: int | None = None) -> QuerySet:
    access.require_cadre(user)
    rows = RightsRequest.objects.in_scope(user).select_related(
        "org", "employer", "escalated_to", "group", "filer__person"
    )
    if status == "open":
        rows = _open(rows)
    elif status == "overdue":
        rows = _overdue(rows)
    elif status == "escalated":
        rows = _open(rows).filter(escalated_to__isnull=False)
    elif status in {"replied", "closed"}:
        rows = rows.filter(status=status)
    if category:
        rows = rows.filter(category=category)
    if group:
        rows = rows.filter(group_id=group)
    return rows.order_by("-created_at", "-id")


def request_for_read(user, pk: int) -> RightsRequest:
    access.require_cadre(user)
    return RightsRequest.objects.select_related("org__parent", "case", "employer", "group").get_for_read(user, pk)


def own_requests(user) -> QuerySet:
    if not getattr(user, "is_authenticated", False):
        return RightsRequest.objects.none()
    return RightsRequest.objects.filter(filer=user).select_related("org", "case").order_by("-created_at", "-id")


def own_request(user, pk: int) -> RightsRequest:
    row = own_requests(user).filter(pk=pk).first()
    if row is None:
        raise Http404("诉求不存在")
    return row


def description(request: RightsRequest) -> str:
    return crypto.decrypt(request.description_enc) if request.description_enc else "（已按保存期限清除）"


def filer_label(request: RightsRequest) -> str:
    """Who filed, as a cadre sees it: 匿名 for an anonymous request (nothing else about them), the hotline caller
    with a masked phone, or the worker's name."""
    if request.anonymous:
        return "匿名"
    if request.caller_enc:
        caller = json.loads(crypto.decrypt(request.caller_enc))
        return f"{caller['name']}（{mask_phone(caller['phone'])}，热线来电）"
    if request.filer_id is None:
        return "—"
    return request.filer.display_name or (request.filer.person.name if request.filer.person_id else "职工")


def replies_of(request: RightsRequest) -> list[tuple[object, str]]:
    return [(r, crypto.decrypt(r.text_enc)) for r in request.replies.select_related("org")]


def may_reopen(request: RightsRequest, today: dt.date | None = None) -> bool:
    today = today or _today()
    return (request.status == CLOSED and request.closed_on is not None
            and (today - request.closed_on).days <= rights_policy().reopen_days)  # fmt: skip


# ----- groups and clusters -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Cluster:
    employer_id: int
    employer: str
    uscc: str
    category: str
    count: int
    group_id: int | None

    @property
    def category_label(self) -> str:
        return CATEGORIES.get(self.category, self.category)


def clusters(user, *, least: int = 2) -> list[Cluster]:
    """Open requests in scope that share an employer and a category, the biggest first: where a group forms."""
    access.require_cadre(user)
    rows = (_open(RightsRequest.objects.in_scope(user)).filter(employer__isnull=False)
            .values("employer", "employer__name", "employer__uscc", "category")
            .annotate(n=Count("id")).filter(n__gte=least).order_by("-n", "employer__name", "category"))  # fmt: skip
    open_groups = RequestGroup.objects.filter(closed_at__isnull=True, employer_id__in={r["employer"] for r in rows})
    groups = {(g.employer_id, g.category): g.pk for g in open_groups}
    return [Cluster(r["employer"], r["employer__name"], r["employer__uscc"] or "", r["category"], r["n"],
                    groups.get((r["employer"], r["category"]))) for r in rows]  # fmt: skip


def group_for_read(user, pk: int) -> RequestGroup:
    access.require_cadre(user)
    return RequestGroup.objects.select_related("org", "employer").get_for_read(user, pk)


# ----- legal cases ---------------------------------------------------------------------------------------------


def legal_visible_to(user, *, open_only: bool = False, kind: str = "") -> QuerySet:
    """The cases of the unions in scope, and the cases the user handles as lawyer or mediator."""
    scoped = LegalCase.objects.filter(access.scope_q(user, "org__path")) if access.grants_of(user) else None
    rows = LegalCase.objects.filter(Q(handler=user) | Q(pk__in=scoped.values("pk")) if scoped is not None
                                    else Q(handler=user))  # fmt: skip
    if open_only:
        rows = rows.filter(closed_on__isnull=True)
    if kind:
        rows = rows.filter(kind=kind)
    return rows.select_related("org", "handler", "case").order_by("closed_on", "-created_at", "-id")


def legal_for_read(user, pk: int) -> LegalCase:
    row = legal_visible_to(user).filter(pk=pk).select_related("request").first()
    if row is None:
        raise Http404("案件不存在")
    return row


def may_read_narrative(user, legal: LegalCase) -> bool:
    """The parties, claims and narrative: the handling union's own cadres and the assigned lawyer or mediator."""
    if legal.handler_id == getattr(user, "pk", None):
        return True
    return any(grant.org_id == legal.org_id for grant in access.grants_of(user))


def may_handle(user, legal: LegalCase) -> bool:
    return legal.handler_id == getattr(user, "pk", None) or access.can_write(user, legal.org)


def case_clocks(legal: LegalCase, today: dt.date | None = None) -> list[tuple[clocks.Clock, int]]:
    from gonghui.core.workdays import is_workday

    today = today or _today()
    return [(c, c.days_left(today)) for c in clocks.clocks(legal.events(), is_workday)]


def handlers_for(org: Org):
    """Who may be assigned: the accounts with a grant on the union or one above it (its lawyers and mediators
    hold one there)."""
    from gonghui.accounts.models import Grant, User

    paths = [*org.ancestor_paths(), org.path]
    users = Grant.objects.filter(org__path__in=paths).values("user")
    return User.objects.filter(pk__in=users, is_active=True).order_by("username")


# ----- figures and signals -------------------------------------------------------------------------------------


def _under(org: Org) -> Q:
    return Q(org__path__startswith=org.path)


def open_requests(user) -> int:
    """未办结职工诉求 in the user's scope."""
    return _open(RightsRequest.objects.in_scope(user)).count()


def open_requests_under(org: Org) -> int:
    return _open(RightsRequest.objects.filter(_under(org))).count()


def overdue_requests(user) -> int:
    """超期未答复的职工诉求 in the user's scope (an escalated one still counts until answered)."""
    return _overdue(RightsRequest.objects.in_scope(user)).count()


def overdue_requests_under(org: Org) -> int:
    return _overdue(RightsRequest.objects.filter(_under(org))).count()


def open_legal_cases(user) -> int:
    return LegalCase.objects.in_scope(user).filter(closed_on__isnull=True).count()


def open_legal_cases_under(org: Org) -> int:
    return LegalCase.objects.filter(_under(org), closed_on__isnull=True).count()


def _by_org(rows: QuerySet) -> dict[int, int]:
    """Each org's own share of a figure (the governance rollups sum them up the tree)."""
    return dict(rows.values("org").annotate(n=Count("id")).values_list("org", "n"))


def open_requests_by_org() -> dict[int, int]:
    return _by_org(_open(RightsRequest.objects.all()))


def overdue_requests_by_org() -> dict[int, int]:
    return _by_org(_overdue(RightsRequest.objects.all()))


def open_legal_cases_by_org() -> dict[int, int]:
    return _by_org(LegalCase.objects.filter(closed_on__isnull=True))


@dataclass
class Signal:
    """One employer's or one region's counts (the early-warning signals of the governance overview)."""

    key: str
    name: str
    by_category: dict[str, int]
    requests: int = 0
    group_requests: int = 0
    overdue: int = 0
    open_cases: int = 0
    amount_claimed: Decimal = Decimal(0)
    amount_recovered: Decimal = Decimal(0)


def _signals(requests: QuerySet, cases: QuerySet, key: str, name: str) -> list[Signal]:
    found: dict[str, Signal] = {}

    def signal(k, n) -> Signal:
        return found.setdefault(str(k), Signal(str(k), n or str(k), {}))

    fields = list(dict.fromkeys((key, name)))
    for row in requests.values(*fields, "category").annotate(n=Count("id")):
        s = signal(row[key], row[name])
        s.by_category[row["category"]] = row["n"]
        s.requests += row["n"]
    for row in requests.filter(group__isnull=False).values(*fields).annotate(n=Count("group", distinct=True)):
        signal(row[key], row[name]).group_requests = row["n"]
    for row in _overdue(requests).values(*fields).annotate(n=Count("id")):
        signal(row[key], row[name]).overdue = row["n"]
    for row in (
        cases.filter(closed_on__isnull=True)
        .values(*fields)
        .annotate(n=Count("id"), claimed=Sum("amount_claimed"), recovered=Sum("amount_recovered"))
    ):
        s = signal(row[key], row[name])
        s.open_cases, s.amount_claimed, s.amount_recovered = row["n"], row["claimed"], row["recovered"]
    return sorted((s for k, s in found.items() if k != "None"), key=lambda s: (-s.requests, -s.open_cases, s.key))


def signals_by_employer_under(org: Org, *, since: dt.date | None = None) -> list[Signal]:
    """Per employer of the subtree: requests (since ``since``, default all) by category, group requests, overdue
    requests, open legal cases with the amounts claimed and recovered."""
    requests = RightsRequest.objects.filter(_under(org))
    if since is not None:
        requests = requests.filter(created_at__date__gte=since)
    return _signals(requests, LegalCase.objects.filter(_under(org)), "employer_id", "employer__name")


def signals_by_region_under(org: Org, *, digits: int = 4, since: dt.date | None = None) -> list[Signal]:
    """The same per region of the handling union, cut to ``digits`` of its code (2 province, 4 city, 6 county)."""
    from django.db.models.functions import Substr

    requests = RightsRequest.objects.filter(_under(org))
    if since is not None:
        requests = requests.filter(created_at__date__gte=since)
    cut = {"area": Substr("org__region_id", 1, digits)}
    found = _signals(requests.annotate(**cut), LegalCase.objects.filter(_under(org)).annotate(**cut), "area", "area")
    from gonghui.orgs.models import Region

    names = dict(Region.objects.filter(code__in=[s.key for s in found]).values_list("code", "name"))
    for s in found:
        s.name = names.get(s.key, s.key)
    return found


def signals_by_employer(user, **kw) -> list[Signal]:
    """Per employer over every union the user's grants cover."""
    return _merge([signals_by_employer_under(org, **kw) for org in access.top_orgs(user)])


def signals_by_region(user, **kw) -> list[Signal]:
    return _merge([signals_by_region_under(org, **kw) for org in access.top_orgs(user)])


def _merge(parts: list[list[Signal]]) -> list[Signal]:
    if len(parts) == 1:
        return parts[0]
    merged: dict[str, Signal] = {}
    for part in parts:
        for s in part:
            m = merged.setdefault(s.key, Signal(s.key, s.name, {}))
            for c, n in s.by_category.items():
                m.by_category[c] = m.by_category.get(c, 0) + n
            m.requests += s.requests
            m.group_requests += s.group_requests
            m.overdue += s.overdue
            m.open_cases += s.open_cases
            m.amount_claimed += s.amount_claimed
            m.amount_recovered += s.amount_recovered
    return sorted(merged.values(), key=lambda s: (-s.requests, -s.open_cases, s.key))


def wage_arrears_since(employer, since: dt.date) -> tuple[int, int]:
    """How many 拖欠工资 requests and wage-arrears legal cases against ``employer`` the platform has received since
    ``since`` (others' checks read it, e.g. a unit's exclusion checks in gonghui.workforce); counts only."""
    requests = RightsRequest.objects.filter(employer=employer, category="wages", created_at__date__gte=since).count()
    legal = LegalCase.objects.filter(employer=employer, wage_arrears=True, created_at__date__gte=since).count()
    return requests, legal


def wage_arrears_cases_by_employer() -> dict[int, int]:
    """在办欠薪案件 per employer (employer id): open legal cases claiming wages (the governance risk alerts)."""
    rows = (LegalCase.objects.filter(closed_on__isnull=True, wage_arrears=True, employer__isnull=False)
            .values("employer").annotate(n=Count("pk")))  # fmt: skip
    return {row["employer"]: row["n"] for row in rows}
