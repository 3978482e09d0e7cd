"""Who sees the merchant's entries: a predicate ``user -> bool`` for the registry's declarations."""

from gonghui.benefits.models import Merchant
from gonghui.orgs import access


def merchant(user) -> bool:
    """A merchant's own account (no grant, no member record): it redeems vouchers and sees its redemptions."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.person_id or user.platform_role or access.grants_of(user):  # a worker, an admin, a cadre: never
        return False  # (answered without a query: the bar asks on every page)
    if not hasattr(user, "_gh_is_merchant"):  # once per request's user
        user._gh_is_merchant = Merchant.objects.filter(account_id=user.pk, is_active=True).exists()
    return user._gh_is_merchant
