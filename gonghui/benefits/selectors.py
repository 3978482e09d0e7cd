"""Reads of benefits: a cadre's offers and merchants in scope (the scope from the models' ScopedQuerySet), the
report of a subtree from the offers' counters; a member's offers (those of their union and the unions above it)
and their own vouchers; a merchant's own redemptions; the overview's figures."""

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from gonghui.benefits.models import Merchant, Offer, Voucher
from gonghui.members.models import Membership
from gonghui.orgs.models import Org


def offers_visible_to(user, *, org: Org | None = None, status: str = "") -> QuerySet[Offer]:
    rows = Offer.objects.in_scope(user).select_related("org")
    if org is not None:
        rows = rows.filter(org__path__startswith=org.path)
    now = timezone.now()
    if status == "open":
        rows = rows.filter(closed_at=None, valid_until__gte=now)
    elif status == "ended":
        rows = rows.filter(Q(closed_at__isnull=False) | Q(valid_until__lt=now))
    return rows.order_by("-valid_from", "-id")


def offer_for_read(user, pk: int) -> Offer:
    return Offer.objects.get_for_read(user, pk)


def offer_for_write(user, pk: int) -> Offer:
    return Offer.objects.get_for_write(user, pk)


def merchants_visible_to(user, *, org: Org | None = None) -> QuerySet[Merchant]:
    rows = Merchant.objects.in_scope(user).select_related("org", "account", "venue")
    if org is not None:
        rows = rows.filter(org__path__startswith=org.path)
    return rows.order_by("org__path", "name", "id")


def merchant_for_read(user, pk: int) -> Merchant:
    return Merchant.objects.get_for_read(user, pk)


def merchants_usable_by(user) -> QuerySet[Merchant]:
    """The merchants a cadre may name on a new offer: active and in scope."""
    return merchants_visible_to(user).filter(is_active=True)


@dataclass(frozen=True)
class Totals:
    offers: int
    issued: int  # vouchers offered (the offers' counts)
    budget_fen: int
    claimed: int
    claimed_fen: int
    redeemed: int
    redeemed_fen: int


def totals(offers: QuerySet[Offer]) -> Totals:
    """The report's sums over ``offers`` (the counters kept on each offer: no voucher is read)."""
    sums = offers.order_by().aggregate(
        offers=Count("id"), issued=Sum("total_count"), budget=Sum("budget_fen"), claimed=Sum("claimed_count"),
        claimed_fen=Sum("claimed_fen"), redeemed=Sum("redeemed_count"), redeemed_fen=Sum("redeemed_fen"),
    )  # fmt: skip
    return Totals(sums["offers"], sums["issued"] or 0, sums["budget"] or 0, sums["claimed"] or 0,
                  sums["claimed_fen"] or 0, sums["redeemed"] or 0, sums["redeemed_fen"] or 0)  # fmt: skip


def offer_redemptions(offer: Offer) -> list[dict]:
    """An offer's redemptions by merchant (how many, how much): no person is named."""
    rows = (Voucher.objects.filter(offer=offer, redeemed_at__isnull=False).values("merchant__name")
            .annotate(n=Count("id"), fen=Sum("redeemed_fen")).order_by("-n", "merchant__name"))  # fmt: skip
    return list(rows)


# ── the member ──────────────────────────────────────────────────────────────────────────────────────────────


def _member_paths(user) -> set[str]:
    person = getattr(user, "person_id", None)
    paths: set[str] = set()
    if not person:
        return paths
    for membership in Membership.objects.filter(person_id=person, status=Membership.Status.ACTIVE).select_related(
        "org"
    ):
        paths |= {*membership.org.ancestor_paths(), membership.org.path}
    return paths


def open_for(user) -> QuerySet[Offer]:
    """Offers a member may look at: issued by their union or a union above it, not closed, not expired."""
    paths = _member_paths(user)
    if not paths:
        return Offer.objects.none()
    return (Offer.objects.filter(org__path__in=paths, closed_at=None, valid_until__gte=timezone.now())
            .select_related("org").prefetch_related("merchants").order_by("valid_until", "pk"))  # fmt: skip


def own_vouchers(user) -> QuerySet[Voucher]:
    person = getattr(user, "person_id", None)
    rows = Voucher.objects.filter(person_id=person) if person else Voucher.objects.none()
    return rows.select_related("offer__org", "merchant").order_by("-claimed_at", "-pk")


def own_voucher(user, pk: int) -> Voucher | None:
    return own_vouchers(user).filter(pk=pk).first()


# ── the merchant ────────────────────────────────────────────────────────────────────────────────────────────


def redemptions_of(merchant: Merchant) -> QuerySet[Voucher]:
    """The merchant's own redemptions, newest first (the holder is not named: the merchant needs the voucher,
    not the person)."""
    return (Voucher.objects.filter(merchant=merchant, redeemed_at__isnull=False).select_related("offer")
            .order_by("-redeemed_at", "-pk"))  # fmt: skip


def merchant_today(merchant: Merchant) -> tuple[int, int]:
    """(how many, fen) the merchant redeemed today (Asia/Shanghai)."""
    start = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    sums = redemptions_of(merchant).filter(redeemed_at__gte=start).aggregate(n=Count("id"), fen=Sum("redeemed_fen"))
    return sums["n"], sums["fen"] or 0


# ── the overview's figures (indexed counts: vouchers by their claim or redemption time, joined to the offer) ──


def _this_year() -> tuple:
    now = timezone.localtime()
    start = now.replace(month=1, day=1, hour=0, minute=0, second=0, microsecond=0)
    return start, start.replace(year=start.year + 1)


def _claimed_this_year() -> QuerySet[Voucher]:
    start, end = _this_year()
    return Voucher.objects.filter(claimed_at__gte=start, claimed_at__lt=end)


def _redeemed_this_year() -> QuerySet[Voucher]:
    start, end = _this_year()
    return Voucher.objects.filter(redeemed_at__gte=start, redeemed_at__lt=end)


def _in_scope(rows: QuerySet[Voucher], user) -> QuerySet[Voucher]:
    return rows.filter(offer__in=Offer.objects.in_scope(user).values("pk"))


def claimed_this_year(user) -> int:
    return _in_scope(_claimed_this_year(), user).count()


def claimed_this_year_under(org: Org) -> int:
    return _claimed_this_year().filter(offer__org__path__startswith=org.path).count()


def claimed_this_year_by_org() -> dict[int, int]:
    rows = _claimed_this_year().values("offer__org").annotate(n=Count("id")).values_list("offer__org", "n")
    return dict(rows)


def redeemed_this_year(user) -> int:
    return _in_scope(_redeemed_this_year(), user).count()


def redeemed_this_year_under(org: Org) -> int:
    return _redeemed_this_year().filter(offer__org__path__startswith=org.path).count()


def redeemed_this_year_by_org() -> dict[int, int]:
    rows = _redeemed_this_year().values("offer__org").annotate(n=Count("id")).values_list("offer__org", "n")
    return dict(rows)
