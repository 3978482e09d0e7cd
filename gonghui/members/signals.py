"""Membership changes, told to the apps that keep figures over who held whom when (dues' monthly rollup,
decision 0046), without the member services knowing them.

A service that joins, ends, transfers or retires memberships wraps the write in ``membership_change``:
``memberships_changing`` is sent before it and ``memberships_changed`` after it, inside the service's
transaction, with one ``MembershipChange``; a receiver may keep what it measured before the write in
``change.state`` under its own key."""

import datetime as dt
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.dispatch import Signal

memberships_changing = Signal()  # kwargs: change (MembershipChange)
memberships_changed = Signal()  # kwargs: change (MembershipChange)


@dataclass
class MembershipChange:
    # The people whose memberships change; None: a whole union's (see ``org_ids``), too many to name.
    person_ids: list[int] | None
    # The first day whose membership changes (the joining or ending date); None: every day of the memberships.
    since: dt.date | None
    # Unions the change may add memberships to, besides those the people hold (a transfer's receiving union),
    # or, with no people named, the unions whose memberships change.
    org_ids: set[int] = field(default_factory=set)
    state: dict = field(default_factory=dict)  # the receivers' own, between the two signals


@contextmanager
def membership_change(*, person_ids, since: dt.date | None, org_ids=()):
    change = MembershipChange(None if person_ids is None else list(person_ids), since, set(org_ids))
    memberships_changing.send(sender=MembershipChange, change=change)
    yield change
    memberships_changed.send(sender=MembershipChange, change=change)
