"""Reads of members, always within the user's scope (orgs.access). Lists never decrypt."""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet, Sum

from gonghui.core.identifiers import parse_id_number, parse_phone
from gonghui.core.pagination import Count, capped_count
from gonghui.core.sealed import id_number_index, phone_index
from gonghui.members import partitioning
from gonghui.members.models import LapseWarning, Membership, Person, TransferRequest
from gonghui.orgs import access
from gonghui.orgs.models import MEMBER_HOLDING_TYPES, Org
from gonghui.orgs.selectors import PICKER_RELATED, named

CJK = re.compile(r"[\u3400-\u9fff]")
VOWELS = set("aeiouv")


def members_visible_to(user) -> QuerySet[Membership]:
    """Active memberships in the user's scope, newest first."""
    return (
        Membership.objects.in_scope(user)
        .filter(status=Membership.Status.ACTIVE)
        .select_related("person", "org", "person__employer")
        .order_by("-id")
    )


def _people(**lookup) -> list[int]:
    """Person ids found by an exact blind-index lookup: resolved first, so the member query that
    follows is an indexed IN on the membership table rather than an OR across two tables."""
    return list(Person.objects.filter(**lookup).values_list("id", flat=True)[:100])


def _id_number_q(bidx: str) -> Q:
    """Memberships of the person with this ID number. With the member tables partitioned by province, the person's
    locator row (one unique probe) gives the id and the province, and the membership read is pruned to that
    province's partition (an active membership is in its person's province); otherwise the person is looked up in
    the person table (decision 0052)."""
    if settings.GONGHUI_PARTITION_BY_PROVINCE:
        located = partitioning.locate_person(bidx)
        provinces = [province for _, province in located]
        return Q(person_id__in=[pk for pk, _ in located], province__in=provinces, person__province__in=provinces)
    return Q(person_id__in=_people(id_number_bidx=bidx))


def _is_id_number(compact: str) -> bool:
    if len(compact) not in (15, 18):
        return False
    try:
        parse_id_number(compact)
    except ValidationError:
        return False
    return True


def name_prefix(q: str) -> tuple[str, str] | None:
    """The person column and prefix a search by name, full pinyin or initials walks; None for a search by ID
    number, phone or card number, or one with nothing to search by."""
    q = q.strip()
    if CJK.search(q):
        return "name", q
    compact = re.sub(r"[\s\-]", "", q)  # people write 138-1234-5678 and 3301 0619 ...
    if compact.lstrip("+").isdigit() or _is_id_number(compact):
        return None
    key = re.sub(r"[^a-z0-9]", "", compact.lower())
    if not key:  # only punctuation or symbols ("!?", "+"): nothing can match
        return None
    # Initials have no vowels ("zw") unless a syllable starts with one (安伟 "aw", 欧阳明 "oym"): a key with a vowel is
    # the start of the full pinyin ("zhangw") when someone's pinyin starts so (one probe of its index), else initials.
    if VOWELS & set(key) and Person.objects.filter(**_range("name_pinyin", key)).exists():
        return "name_pinyin", key
    return "name_initials", key


def search_filter(q: str) -> tuple[Q, tuple[str, ...]]:
    """What ``q`` is — an ID number, a phone, a card number, a name, full pinyin or initials — as a
    filter and the ordering that walks the matching index (name searches list alphabetically)."""
    q = q.strip()
    if not q:
        return Q(), ()
    prefix = name_prefix(q)
    if prefix is not None:
        return _prefix(*prefix)
    compact = re.sub(r"[\s\-]", "", q)
    if _is_id_number(compact):
        return _id_number_q(id_number_index(parse_id_number(compact).number)), ()
    if compact.lstrip("+").isdigit():
        try:
            phone_ids = _people(phone_bidx=phone_index(parse_phone(compact)))
        except ValidationError:
            phone_ids = []
        return Q(person_id__in=phone_ids) | Q(card_number=compact), ()
    return Q(pk__in=[]), ()  # only punctuation or symbols: nothing can match


def _range(column: str, prefix: str) -> dict:
    """A prefix match as the range [prefix, prefix with its last character incremented), which the
    (key, id) btree serves on both databases (PostgreSQL turns LIKE 'x%' into a range only under the
    "C" collation). The range is exactly the prefix under code-point order: SQLite's BINARY collation and
    PostgreSQL's C / C.UTF-8 (docs/deploy.md; check --deploy warns otherwise)."""
    return {f"{column}__gte": prefix, f"{column}__lt": prefix[:-1] + chr(ord(prefix[-1]) + 1)}


def _prefix(column: str, prefix: str) -> tuple[Q, tuple[str, ...]]:
    """Memberships whose person's ``column`` starts with ``prefix``, ordered by the key: the index walk stops
    after one page however common the prefix."""
    field = f"person__{column}"
    return Q(**_range(field, prefix)), (field, "person_id")


# A search by name or pinyin prefix is counted from the person index by a bounded walk: the first
# PREFIX_COUNT_WALK persons of the prefix are read from its (key, id) index, then the list's rows (scope and
# filters applied) among them are counted by their person ids. A prefix with no more persons than the walk is
# counted exactly; a longer one says "超过 1,000 人" when every person walked is in the list (the walk is one more
# than SEARCH_COUNT_LIMIT), and otherwise gives no count (the page shows its pager: the rows in scope may lie
# anywhere in the prefix). Counting in scope along the name index instead walked the whole prefix when the scope
# holds few of it (a province: 330 ms at 1,000,000 members, docs/bench.md); the ids are passed as a list because
# PostgreSQL joined a subquery by hashing every membership. The count also bounds the person side by the last
# person walked (key, id): with the member tables partitioned by province, the id list alone (which Django applies
# to the membership's person_id) left PostgreSQL hashing every person of the prefix in every partition to join
# them (400 ms for 王 at 1,000,000 members; docs/scale.md section 4).
SEARCH_COUNT_LIMIT = 1000
PREFIX_COUNT_WALK = SEARCH_COUNT_LIMIT + 1


def search_count(rows: QuerySet[Membership], q: str) -> Count:
    """How many of ``rows`` (``member_search(q=q, ...)``) there are, as the list and the API show it."""
    prefix = name_prefix(q)
    if prefix is None:
        return capped_count(rows)
    column, key = prefix
    persons = Person.objects.filter(**_range(column, key)).order_by(column, "id")
    walked = list(persons.values_list(column, "id")[: PREFIX_COUNT_WALK + 1])
    longer = len(walked) > PREFIX_COUNT_WALK
    counted = walked[:PREFIX_COUNT_WALK]
    if not counted:
        return Count(0)
    last_key, last_id = counted[-1]
    field = f"person__{column}"
    within = Q(**{f"{field}__lt": last_key}) | Q(**{field: last_key, "person_id__lte": last_id})
    n = rows.order_by().filter(within, person_id__in=[pk for _, pk in counted])[: SEARCH_COUNT_LIMIT + 1].count()
    if n > SEARCH_COUNT_LIMIT:
        return Count(SEARCH_COUNT_LIMIT, more=True)
    return Count(n, more=True, known=False) if longer else Count(n)


def member_search(
    user,
    *,
    q: str = "",
    org: Org | None = None,
    employment_form: str = "",
    gender: str = "",
    is_migrant: bool | None = None,
) -> QuerySet[Membership]:
    condition, ordering = search_filter(q)
    members = members_visible_to(user).filter(condition)
    if ordering:
        members = members.order_by(*ordering)
    if org is not None:
        members = members.filter(org__path__startswith=org.path)
    if employment_form:
        members = members.filter(person__employment_form=employment_form)
    if gender:
        members = members.filter(person__gender=gender)
    if is_migrant is not None:
        members = members.filter(person__is_migrant=is_migrant)
    return members


def _history(memberships: QuerySet[Membership]) -> QuerySet[Membership]:
    return memberships.select_related("org").order_by("-joined_on", "-id")


def history_with_person(person_pk: int) -> list[Membership]:
    """One person's membership history, current first, in one query: each row carries the person (with the
    links ``Person.scope_related`` names), who carries the history as ``membership_history``."""
    related = [f"person__{name}" for name in Person.scope_related]
    # person__id, not person_id: the lookup through Person.id answers nothing for a key beyond the column's range
    # (a URL's /members/<huge>/) instead of failing on it.
    history = list(_history(Membership.objects.filter(person__id=person_pk)).select_related(*related))
    for membership in history:
        membership.person = history[0].person
    if history:
        history[0].person.membership_history = history
    return history


def memberships_of(person: Person) -> list[Membership]:
    """The person's membership history, current first: as loaded by ``history_with_person``, else read now."""
    loaded = getattr(person, "membership_history", None)
    return loaded if loaded is not None else list(_history(person.memberships.all()))


def transfers_visible_to(user) -> QuerySet[TransferRequest]:
    """Transfers the user's scope sends or receives, newest first. The receiving union sees the transfer
    (name, unions, dates) but not the member's record until it has accepted."""
    return (
        TransferRequest.objects.in_scope(user)
        .select_related("membership__person", "membership__org", "from_org", "to_org")
        .order_by("-id")
    )


def own_transfers(person: Person) -> QuerySet[TransferRequest]:
    """The member's own transfers, newest first (the worker's page; no cadre scope involved)."""
    return (
        TransferRequest.objects.filter(membership__person=person).select_related("from_org", "to_org").order_by("-id")
    )


def transfers_of(user, person: Person) -> QuerySet[TransferRequest]:
    """A person's transfers that the user may see, newest first."""
    return transfers_visible_to(user).filter(membership__person=person)


def transfer_target_choices(q: str = "", *, limit: int = 20) -> QuerySet[Org]:
    """Unions a member can transfer to, anywhere in the country: active and member-holding, by name or pinyin.
    Callers show only the name, the region and the upper union (the receiving union may lie outside the user's
    scope; org names and places are public)."""
    q = q.strip()
    if not q:
        return Org.objects.none()
    orgs = named(Org.objects.filter(org_type__in=MEMBER_HOLDING_TYPES, status=Org.Status.ACTIVE), q)
    return orgs.select_related(*PICKER_RELATED).order_by("name", "id")[:limit]


def lapse_warnings_visible_to(user, *, open_only: bool = True) -> QuerySet[LapseWarning]:
    """会籍预警 of the unions in the user's scope, oldest inactivity first."""
    warnings = LapseWarning.objects.in_scope(user)
    if open_only:
        warnings = warnings.filter(status__in=LapseWarning.OPEN_STATUSES)
    return warnings.select_related("membership__person", "org").order_by("inactive_since", "id")


def current_membership(person: Person) -> Membership | None:
    return person.memberships.filter(status=Membership.Status.ACTIVE).select_related("org").first()


def has_active_membership(user) -> bool:
    """A worker whose member record has a membership in force (the e-card and transfers need one)."""
    return (
        bool(user.person_id)
        and Membership.objects.filter(person_id=user.person_id, status=Membership.Status.ACTIVE).exists()
    )


def member_total(user) -> int:
    """会员数 in the user's scope, summed from the orgs' member counts (not a count of memberships)."""
    return Org.objects.filter(access.scope_q(user)).aggregate(n=Sum("member_count"))["n"] or 0


def member_total_under(org: Org) -> int:
    """会员数 of ``org``'s whole subtree (the governance overview's drill-down): one prefix scan of the orgs."""
    return Org.objects.filter(path__startswith=org.path).aggregate(n=Sum("member_count"))["n"] or 0


def member_total_by_org() -> dict[int, int]:
    """Each union's own 会员数 (its direct members), for the governance rollup to sum up the tree."""
    return dict(Org.objects.filter(member_count__gt=0).values_list("pk", "member_count"))
