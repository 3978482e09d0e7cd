"""Reads of members, always within the user's scope (orgs.access). Lists never decrypt."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet

from gonghui.core.identifiers import parse_id_number, parse_phone
from gonghui.members.models import Membership, Person
from gonghui.members.services import id_index, phone_index
from gonghui.orgs import access
from gonghui.orgs.models import Org

CJK = re.compile(r"[\u3400-\u9fff]")


def members_visible_to(user) -> QuerySet[Membership]:
    """Active memberships in the user's scope, newest first."""
    return (
        Membership.objects.filter(access.scope_q(user, "org__path"), status=Membership.Status.ACTIVE)
        .select_related("person", "org", "person__employer")
        .order_by("-id")
    )


def search_filter(q: str) -> Q:
    """Decide what ``q`` is: an ID number, a phone, a card number, a name, or pinyin (full or initials)."""
    q = q.strip()
    if not q:
        return Q()
    if CJK.search(q):
        return Q(person__name__startswith=q)
    compact = re.sub(r"\s", "", q)
    if len(compact) in (15, 18):
        try:
            return Q(person__id_number_bidx=id_index(parse_id_number(compact).number))
        except ValidationError:
            pass
    if compact.lstrip("+").isdigit():
        try:
            return Q(person__phone_bidx=phone_index(parse_phone(compact))) | Q(card_number=compact)
        except ValidationError:
            return Q(card_number=compact)
    key = compact.lower()
    return Q(person__name_initials__startswith=key) | Q(person__name_pinyin__startswith=key)


def member_search(
    user,
    *,
    q: str = "",
    org: Org | None = None,
    employment_form: str = "",
    gender: str = "",
    is_migrant: bool | None = None,
) -> QuerySet[Membership]:
    members = members_visible_to(user).filter(search_filter(q))
    if org is not None:
        members = members.filter(org__path__startswith=org.path)
    if employment_form:
        members = members.filter(person__employment_form=employment_form)
    if gender:
        members = members.filter(person__gender=gender)
    if is_migrant is not None:
        members = members.filter(person__is_migrant=is_migrant)
    return members


def capped_count(queryset: QuerySet, limit: int | None = None) -> tuple[int, bool]:
    """Count up to ``limit`` rows; (limit, True) means "more than". Keeps big subtrees cheap."""
    limit = limit or settings.GONGHUI_COUNT_LIMIT
    n = queryset.order_by()[: limit + 1].count()
    return min(n, limit), n > limit


def memberships_of(person: Person) -> QuerySet[Membership]:
    """The person's membership history, current first."""
    return person.memberships.select_related("org").order_by("-joined_on", "-id")
