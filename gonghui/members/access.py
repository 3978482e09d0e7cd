"""Members' access rules, on the one access module (gonghui.orgs.access) and scope (gonghui.orgs.scope).

People are seen through their memberships; a transfer by both its unions, each taking only its own
steps; a member may act on their own membership with their worker account.
"""

from django.db.models import Exists, OuterRef, Q

from gonghui.members import selectors
from gonghui.members.models import Membership, Person, TransferRequest
from gonghui.orgs import access
from gonghui.orgs.models import Org


def people_visible_q(user, *, roles: set[str] | None = None) -> Q:
    """People whose current union (or, with none active, any former union) lies in the user's scope
    (with ``roles``: under a grant with one of those roles)."""
    in_scope = Membership.objects.filter(
        access.scope_q(user, "org__path", roles=roles, province_field="province"), person=OuterRef("pk")
    )
    active = Membership.objects.filter(person=OuterRef("pk"), status=Membership.Status.ACTIVE)
    return Q(Exists(in_scope.filter(status=Membership.Status.ACTIVE))) | (~Q(Exists(active)) & Q(Exists(in_scope)))


def sees_person(user, history: list[Membership], *, roles: set[str] | None = None) -> bool:
    """``people_visible_q`` for one person whose membership history is loaded: the same rule, decided without
    a query (``Person.objects.get_for_read``)."""
    paths = [g.org.path for g in access.grants_of(user) if roles is None or g.role in roles]
    active = [m for m in history if m.status == Membership.Status.ACTIVE]
    return any(m.org.path.startswith(path) for m in (active or history) for path in paths)


def home_org(person: Person) -> Org:
    """The union that holds the person's record: the active membership's, else the latest one's."""
    history = selectors.memberships_of(person)
    current = next((m for m in history if m.status == Membership.Status.ACTIVE), None)
    return (current or history[0]).org


def is_own_membership(user, membership: Membership) -> bool:
    """The member themself, signed in with their worker account."""
    return bool(user is not None and user.is_authenticated and user.person_id == membership.person_id)


def require_person_write(actor, person: Person) -> None:
    """A service's own check that ``actor`` may change the person's record (``None``: the platform itself)."""
    if actor is not None:
        Person.objects.require_write(actor, person)


def require_self_or_person_write(actor, person: Person) -> None:
    """The person themself (signed in with their worker account), or someone who may change their record."""
    if getattr(actor, "person_id", None) != person.pk:
        require_person_write(actor, person)


def person_for_self_or_read(user, pk: int) -> Person:
    """The person ``pk``: the signed-in worker's own record, or one in the user's scope (else 404)."""
    if user is not None and user.is_authenticated and user.person_id == pk:
        return Person.objects.get(pk=pk)
    return Person.objects.get_for_read(user, pk)


def transfer_for_self_or_read(user, pk: int) -> TransferRequest:
    """A transfer of the signed-in worker's own membership, or one the cadre may read."""
    if user.is_authenticated and user.person_id and not access.grants_of(user):
        transfer = TransferRequest.objects.filter(pk=pk, membership__person_id=user.person_id).first()
        if transfer is None:
            raise TransferRequest.objects.not_found()
        return transfer
    return TransferRequest.objects.get_for_read(user, pk)


def require_transfer_side(user, transfer: TransferRequest, side: str) -> None:
    """Only ``side`` ("from": the sending union, "to": the receiving union) may take this step: a user who
    sees neither side reads 404, one who sees the transfer but not with a write role on that side gets 403."""
    org = transfer.from_org if side == "from" else transfer.to_org
    other = transfer.to_org if side == "from" else transfer.from_org
    grant = access.grant_covering(user, org)
    if grant is None and access.grant_covering(user, other) is None:
        raise TransferRequest.objects.not_found()
    if grant is None or grant.role not in access.WRITE_ROLES:
        who = "转出工会" if side == "from" else "转入工会"
        raise access.deny(user, f"此步骤只能由{who}办理。", org)
