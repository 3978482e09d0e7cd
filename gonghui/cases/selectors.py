"""Reads of the case kernel, always within the user's scope."""

import json
from dataclasses import dataclass

from django.db.models import Count, F, QuerySet
from django.http import Http404
from django.utils import timezone

from gonghui.accounts.models import Grant
from gonghui.cases.kinds import OWNER, TransitionRule, all_kinds, kind_of
from gonghui.cases.models import Case, CaseAttachment, Objection, PublicNotice
from gonghui.core import crypto
from gonghui.core.masking import mask_phone
from gonghui.orgs import access
from gonghui.orgs.models import Org

SHOW = {"open": "待办", "overdue": "已超期", "closed": "已办结"}


def todo(user, *, show: str = "open", kind: str = "") -> QuerySet[Case]:
    """The cadre's to-do list: every kind of case in their scope, by deadline (overdue first), in one query."""
    qs = Case.objects.in_scope(user).select_related("org", "escalated_to", "assignee")
    if kind:
        qs = qs.filter(kind=kind)
    if show == "closed":
        return qs.filter(closed_at__isnull=False).order_by("-closed_at", "-id")
    qs = qs.open()
    if show == "overdue":
        qs = qs.filter(deadline__lt=timezone.localdate())
    return qs.order_by(F("deadline").asc(nulls_last=True), "id")


def overdue_counts(user) -> dict[int, int]:
    """Overdue open cases per handling union in the user's scope (for the overview): {org id: count}."""
    rows = Case.objects.in_scope(user).open().filter(deadline__lt=timezone.localdate()).values("org")
    return dict(rows.annotate(n=Count("id")).values_list("org", "n"))


def overdue_total(user) -> int:
    """Overdue open cases in the user's scope (a figure of the overview)."""
    return sum(overdue_counts(user).values())


@dataclass(frozen=True)
class OwnCase:
    """A case the worker submitted, as their home shows it."""

    case: Case
    kind: str
    status: str
    link: str
    waits_for_them: bool


def own_open_cases(user) -> list[OwnCase]:
    """The worker's own open cases (of the kinds opened for an applicant), soonest deadline first."""
    kinds = [code for code, kind in all_kinds().items() if not kind.opened_by_cadre]
    rows = Case.objects.open().filter(opened_by_id=user.pk, kind__in=kinds).select_related("org")
    own = []
    for case in rows.order_by(F("deadline").asc(nulls_last=True), "id"):
        kind = kind_of(case.kind)
        link = kind.owner_page(case) if kind.owner_page is not None else ""
        own.append(OwnCase(case, kind.name, kind.status_label(case.status), link, case.status in kind.awaits_owner))
    return own


def notices_for_member(user) -> QuerySet[PublicNotice]:
    """公示 open today by the worker's union or a union above it (the notices addressed to its members)."""
    from gonghui.members.models import Membership

    paths = Membership.objects.filter(person_id=user.person_id, status=Membership.Status.ACTIVE).values_list(
        "org__path", flat=True
    )
    prefixes = {path[: i + 1] for path in paths if user.person_id for i, c in enumerate(path) if c == "."}
    today = timezone.localdate()
    return (
        PublicNotice.objects.filter(case__org__path__in=prefixes, opens_on__lte=today, closes_on__gte=today)
        .select_related("case__org")
        .order_by("closes_on", "id")
    )


def case_for_read(user, pk: int) -> Case:
    return Case.objects.select_related("org__parent", "escalated_to").get_for_read(user, pk)


@dataclass(frozen=True)
class Move:
    to: str
    label: str
    rule: TransitionRule


def _level_org(org: Org, level: int) -> Org:
    """The union ``level`` steps above ``org`` (the root stands for every level above it)."""
    for _ in range(level):
        org = org.parent or org
    return org


def may_take(user, case: Case, rule: TransitionRule) -> bool:
    """Whether ``user`` may take ``rule``'s step on ``case``: the applicant's own steps by the applicant, the
    others by a writer (or, for ``manage``, an admin) of the union ``rule.level`` steps above the case's."""
    if rule.level == OWNER:
        return case.opened_by_id is not None and case.opened_by_id == getattr(user, "pk", None)
    grant = access.grant_covering(user, _level_org(case.org, rule.level))
    return grant is not None and grant.role in ({Grant.Role.ADMIN} if rule.manage else access.WRITE_ROLES)


def moves(case: Case, user) -> list[Move]:
    """The steps the table allows from the case's status that ``user`` may take (the service checks again)."""
    kind = kind_of(case.kind)
    return [Move(to, rule.label, rule) for to, rule in kind.transitions.get(case.status, {}).items()
            if may_take(user, case, rule)]  # fmt: skip


def checklist(case: Case) -> list[tuple[str, str, bool]]:
    """The kind's required documents: (code, label, attached?)."""
    present = {a.document for a in case.attachments.all()}
    return [(code, label, code in present) for code, label in kind_of(case.kind).required_documents.items()]


def attachment_for_read(user, pk: int) -> CaseAttachment:
    access.require_cadre(user)
    attachment = CaseAttachment.objects.filter(pk=pk, case__in=Case.objects.in_scope(user)).first()
    if attachment is None:
        raise Http404("附件不存在")
    return attachment


def notice_by_token(token: str) -> PublicNotice:
    notice = PublicNotice.objects.filter(token=token or "").select_related("case__org").first()
    if notice is None:
        raise Http404("公示不存在")
    return notice


def objection_for_read(user, pk: int) -> Objection:
    access.require_cadre(user)
    objection = (
        Objection.objects.filter(pk=pk, notice__case__in=Case.objects.in_scope(user))
        .select_related("notice__case__org")
        .first()
    )
    if objection is None:
        raise Http404("异议不存在")
    return objection


def is_reviewer(user, case: Case) -> bool:
    """Reviewing cadres: a write role covering the handling union."""
    return access.can_write(user, case.org)


def objector_of(user, objection: Objection, case: Case) -> str | None:
    """The objector's name and masked phone for a reviewing cadre; None for anyone else."""
    if not is_reviewer(user, case):
        return None
    identity = json.loads(crypto.decrypt(objection.objector_enc))
    return f"{identity['name']}（{mask_phone(identity['phone'])}）"


def _overdue():
    return Case.objects.open().filter(deadline__lt=timezone.localdate())


def overdue_total_under(org: Org) -> int:
    """Overdue open cases of the unions in ``org``'s subtree."""
    return _overdue().filter(org__path__startswith=org.path).count()


def overdue_total_by_org() -> dict[int, int]:
    return dict(_overdue().values("org").annotate(n=Count("id")).values_list("org", "n"))
