"""Reads of talks and team study sessions: a cadre's in scope (core.lists), the sessions a member may attend
(held by their union or a union above it), the materials' download rights, the overview figure."""

import datetime as dt

from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from gonghui.news.models import Talk, TalkAttendance, TalkMaterial
from gonghui.news.selectors import membership_of


def talks_visible_to(user, *, kind: str = "", q: str = "", when: str = "") -> QuerySet[Talk]:
    rows = Talk.objects.in_scope(user).select_related("org", "speaker__person")
    if kind:
        rows = rows.filter(kind=kind)
    if q.strip():
        q = q.strip()
        rows = rows.filter(Q(topic__icontains=q) | Q(speaker_name__icontains=q))
    now = timezone.now()
    if when == "upcoming":
        return rows.filter(starts_at__gte=now).order_by("starts_at", "id")
    if when == "past":
        rows = rows.filter(starts_at__lt=now)
    return rows.order_by("-starts_at", "-id")


def talk_for_read(user, pk: int) -> Talk:
    return Talk.objects.get_for_read(user, pk)


def talk_for_write(user, pk: int) -> Talk:
    return Talk.objects.get_for_write(user, pk)


def attendees_of(talk: Talk) -> QuerySet[TalkAttendance]:
    return TalkAttendance.objects.filter(talk=talk).select_related("person").order_by("recorded_at", "pk")


def speakers_for(user) -> QuerySet:
    """The model workers a cadre may name as a speaker: those kept by the unions of their scope and by the
    unions above them (a company union invites the province's model worker); only the honour's public face —
    name, employer, occupation — is shown."""
    from gonghui.orgs import access
    from gonghui.workforce.models import ModelWorker

    above = {path for org in access.top_orgs(user) for path in org.ancestor_paths()}
    mine = ModelWorker.objects.in_scope(user).values("pk")
    return ModelWorker.objects.filter(Q(pk__in=mine) | Q(org__path__in=above)).select_related("person", "org")


def speaker_options(user, q: str) -> list:
    """主讲劳模 to pick: ``speakers_for`` whose name holds ``q`` (at most 20)."""
    q = " ".join((q or "").split())[:20]
    if not q:
        return []
    return list(speakers_for(user).filter(person__name__contains=q).order_by("person__name", "pk")[:20])


# ----- the member ------------------------------------------------------------------------------------------------


def _for_member(membership) -> QuerySet[Talk]:
    org = membership.org
    mine = TalkAttendance.objects.filter(talk=OuterRef("pk"), person_id=membership.person_id)
    return (Talk.objects.filter(org__path__in=[*org.ancestor_paths(), org.path])
            .select_related("org").prefetch_related("materials").annotate(attended=Exists(mine)))  # fmt: skip


def talks_for(user, now: dt.datetime | None = None) -> tuple[list[Talk], list[Talk]]:
    """宣讲学习 on the phone: the upcoming and ongoing sessions of the member's union and the unions above it
    (soonest first), and the past ones they attended (latest first, ten)."""
    membership = membership_of(user)
    if membership is None:
        return [], []
    now = now or timezone.now()
    rows = _for_member(membership)
    upcoming = rows.filter(starts_at__gte=now - dt.timedelta(hours=9)).order_by("starts_at", "id")
    upcoming = [t for t in upcoming[:30] if t.starts_at + dt.timedelta(minutes=t.minutes + 60) >= now]
    attended = list(rows.filter(attended=True, starts_at__lt=now).order_by("-starts_at", "-id")[:10])
    return upcoming, [t for t in attended if t not in upcoming]


def talk_for_member(user, pk: int) -> Talk:
    membership = membership_of(user)
    talk = _for_member(membership).filter(pk=pk).first() if membership else None
    if talk is None:
        raise Http404("宣讲不存在或不在您的参加范围内")
    return talk


def material_for_download(user, pk: int) -> TalkMaterial:
    """A cadre of the talk's scope, or a member the talk is for."""
    row = TalkMaterial.objects.select_related("talk__org").filter(pk=pk).first()
    if row is None:
        raise Http404("材料不存在")
    if Talk.objects.in_scope(user).filter(pk=row.talk_id).exists():
        return row
    membership = membership_of(user)
    if membership is not None and _for_member(membership).filter(pk=row.talk_id).exists():
        return row
    raise Http404("材料不存在")


# ----- overview figure -------------------------------------------------------------------------------------------


def _this_year(rows: QuerySet) -> QuerySet:
    now = timezone.now()
    start = timezone.localtime(now).replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return rows.filter(starts_at__gte=start, starts_at__lte=now)


def talks_this_year(user) -> int:
    """本年宣讲和班组学习: sessions held this year (up to now) by the unions in the user's scope."""
    return _this_year(Talk.objects.in_scope(user)).count()


def talks_this_year_under(org) -> int:
    return _this_year(Talk.objects.filter(org__path__startswith=org.path)).count()


def talks_this_year_by_org() -> dict[int, int]:
    rows = _this_year(Talk.objects.all()).values("org").annotate(n=Count("id"))
    return dict(rows.values_list("org", "n"))
