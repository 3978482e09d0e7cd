"""Membership changes, told to the apps that keep figures over who held whom when (dues' monthly rollup,
decision 0046), without the member services knowing them.

A service that joins, ends, transfers or retires memberships wraps the write in ``membership_change``, which
sends ``membership_changes`` with one ``MembershipChange``. A receiver returns a context manager (or None) and
the write runs inside every one returned: what a receiver measures before the write and applies after it stays
in its own context manager, and a write that fails leaves the after-part undone."""

import datetime as dt
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field

from django.dispatch import Signal

membership_changes = Signal()  # kwargs: change (MembershipChange); a receiver returns a context manager or None


@dataclass
class MembershipChange:
    # The people whose memberships change; None: a whole union's (see ``org_ids``), too many to name.
    person_ids: list[int] | None
    # The first day whose membership changes (the joining or ending date); None: every day of the memberships.
    since: dt.date | None
    # Unions the change may add memberships to, besides those the people hold (a transfer's receiving union),
    # or, with no people named, the unions whose memberships change.
    org_ids: set[int] = field(default_factory=set)


@contextmanager
def membership_change(*, person_ids, since: dt.date | None, org_ids=()):
    change = MembershipChange(None if person_ids is None else list(person_ids), since, set(org_ids))
    with ExitStack() as stack:
        for _, around in membership_changes.send(sender=MembershipChange, change=change):
            if around is not None:
                stack.enter_context(around)
        yield change
