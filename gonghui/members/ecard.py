"""电子会员证: the signed code in a member card's QR, and what anyone may learn by verifying it.

The code is ``<card key>:<signature>``: the key is random (``Membership.card_key``), the signature an HMAC of
it under the site's secret (django.core.signing, its own salt), so nobody can make up a code that verifies.
Revoking a card draws a new key; an old code still carries a good signature but names no card any more, and
reads as 已作废. Verification shows the union and whether the membership is valid — never the person."""

import secrets
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

from gonghui.members.models import Membership

SALT = "gonghui.members.ecard"
CARD_VERIFY_LIMIT = 60  # verifications per IP per minute, page and API: plenty for a gate, too few to probe


def new_card_key() -> str:
    return secrets.token_urlsafe(12)  # 16 characters, 96 random bits


def card_code(membership: Membership) -> str:
    return signing.Signer(salt=SALT).sign(membership.card_key)


@dataclass(frozen=True)
class Verification:
    status: str  # valid, ended, revoked, forged
    org_name: str = ""

    LABELS = {
        "valid": "有效",
        "ended": "已失效",
        "revoked": "已作废",
        "forged": "无法识别",
    }
    EXPLANATIONS = {
        "valid": "该电子会员证真实有效，持证人是下列工会的会员。",
        "ended": "该电子会员证真实，但会籍已终止（退会、转出或除名），不再有效。",
        "revoked": "该电子会员证已被会员本人或所在工会作废，请向持证人索取最新的会员证。",
        "forged": "无法识别此二维码：它不是本平台签发的电子会员证，或内容已被篡改。",
    }

    @property
    def label(self) -> str:
        return self.LABELS[self.status]

    @property
    def explanation(self) -> str:
        return self.EXPLANATIONS[self.status]

    @property
    def checked_at(self):
        return timezone.localtime()


def verify(code: str) -> Verification:
    """What the public verification page shows for ``code``; one indexed lookup at most."""
    try:
        key = signing.Signer(salt=SALT).unsign(code.strip())
    except signing.BadSignature:
        return Verification("forged")
    membership = Membership.objects.filter(card_key=key).select_related("org").only("status", "org__name").first()
    if membership is None:
        return Verification("revoked")
    status = "valid" if membership.status == Membership.Status.ACTIVE else "ended"
    return Verification(status, org_name=membership.org.name)
