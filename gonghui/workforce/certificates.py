"""竞赛证书: the signed code in a certificate's QR, what anyone learns by verifying it, and the PDF — the words of
a competition's certificate on the shared machinery of ``gonghui.core.certificates`` (signing under this module's
salt, the public page's result, the PDF with the embedded Chinese font)."""

from django.utils import timezone

from gonghui.core import certificates as kit
from gonghui.core.masking import mask_name
from gonghui.workforce.models import Certificate

SALT = "gonghui.workforce.certificate"
VERIFY_LIMIT = kit.VERIFY_LIMIT
Verification = kit.Verification


def certificate_code(certificate: Certificate) -> str:
    return kit.code_for(certificate.key, salt=SALT)


def verify(code: str) -> Verification:
    """What the public verification page shows for ``code``; one indexed lookup at most."""
    key = kit.key_of(code, salt=SALT)
    if key is None:
        return Verification("forged")
    found = (Certificate.objects.filter(key=key)
             .select_related("competitor__person", "competitor__entry__event__competition__org").first())  # fmt: skip
    if found is None:
        return Verification("unknown")
    return Verification("valid", found, mask_name(found.competitor.person.name))


def pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as an A4 landscape PDF: holder, competition, event, place and award, the issuing union and
    date, and the QR code of ``verify_url``."""
    competitor = certificate.competitor
    event = competitor.entry.event
    competition = event.competition
    lines = (
        f"在{competition.name}{event.occupation}（{event.get_grade_display()}）{event.get_stage_display()}中，",
        f"荣获第 {certificate.place} 名。",
        certificate.title.split(" ", 3)[-1],
        "特发此证，以资鼓励。",
    )
    issued_on = timezone.localtime(certificate.issued_at).date()
    sheet = kit.Sheet(heading="荣 誉 证 书", holder=competitor.person.name, lines=lines, issuer=competition.org.name,
                      issued_on=issued_on, title=f"{competition.name}证书")  # fmt: skip
    return kit.pdf(sheet, verify_url)
