"""Every page of this app × every member of the cast (see gonghui.testing.matrix): the worker's own pages,
and the public page an e-card's QR code opens."""

from gonghui.testing.matrix import USERS, Page, expect

OWN = expect(403, 403, 403, 403, 403, worker=200)


def _card_code(cast):
    from gonghui.members.ecard import card_code
    from gonghui.members.services import ecard_issue

    return [card_code(ecard_issue(actor=None, membership=cast.members.zhang))]


PAGES = [
    Page("portal:me", OWN),
    Page("portal:card", OWN),
    Page("portal:card", expect(403, 403, 403, 403, 403, worker=302), method="post",
         data=lambda c: {"reason": "截图外泄"}),
    Page("portal:transfer", OWN),
    Page("portal:transfer", expect(403, 403, 403, 403, 403, worker=302), method="post",
         data=lambda c: {"to_org": c.orgs.logistics.pk, "reason": "换了工作"}),
    # Anyone may check a card, signed in or not; the page names the union, never the person.
    Page("public:card_verify", dict.fromkeys(USERS, 200), args=_card_code),
]  # fmt: skip
