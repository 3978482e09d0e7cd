"""竞赛证书: the signed code in a certificate's QR, what anyone learns by verifying it, and the PDF.

As the member e-card (gonghui.members.ecard): the code is ``<certificate key>:<signature>``, the key random, the
signature an HMAC under the site's secret with this module's salt, so a made-up code never verifies. The public
page shows the certificate (competition, event, place, award) and the holder's name masked (张*) — enough to check
a paper certificate in hand against its holder, nothing more.

The PDF embeds a Chinese font (WenQuanYi Micro Hei, the Debian package fonts-wqy-microhei, or the TrueType file
named by ``settings.GONGHUI_CJK_FONT``): a certificate must print the same everywhere, so without the font the
PDF is refused rather than drawn in a font the reader may lack."""

import io
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone

from gonghui.core.masking import mask_name
from gonghui.core.pdf import cjk_font
from gonghui.workforce.models import Certificate

SALT = "gonghui.workforce.certificate"
VERIFY_LIMIT = 60  # per IP per minute, as for the e-card


def certificate_code(certificate: Certificate) -> str:
    return signing.Signer(salt=SALT).sign(certificate.key)


@dataclass(frozen=True)
class Verification:
    status: str  # valid, forged, unknown
    certificate: Certificate | None = None

    LABELS = {"valid": "真实有效", "unknown": "查无此证", "forged": "无法识别"}
    EXPLANATIONS = {
        "valid": "该证书由本平台颁发，内容如下。",
        "unknown": "二维码签名正确，但没有这张证书（可能已被撤销），请向颁发单位核实。",
        "forged": "无法识别此二维码：它不是本平台颁发的证书，或内容已被篡改。",
    }

    @property
    def label(self) -> str:
        return self.LABELS[self.status]

    @property
    def explanation(self) -> str:
        return self.EXPLANATIONS[self.status]

    @property
    def holder(self) -> str:
        return mask_name(self.certificate.competitor.person.name) if self.certificate else ""


def verify(code: str) -> Verification:
    """What the public verification page shows for ``code``; one indexed lookup at most."""
    try:
        key = signing.Signer(salt=SALT).unsign(code.strip())
    except signing.BadSignature:
        return Verification("forged")
    found = (Certificate.objects.filter(key=key)
             .select_related("competitor__person", "competitor__entry__event__competition__org").first())  # fmt: skip
    return Verification("valid", found) if found else Verification("unknown")


def pdf(certificate: Certificate, verify_url: str) -> bytes:
    """The certificate as an A4 landscape PDF: holder, competition, event, place and award, the issuing union and
    date, and the QR code of ``verify_url``; the Chinese font embedded (subset)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    font = cjk_font()
    competitor = certificate.competitor
    event = competitor.entry.event
    competition = event.competition
    width, height = landscape(A4)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height))
    c.setTitle(f"{competition.name}证书")
    c.setAuthor(competition.org.name)
    red = HexColor("#b71c1c")
    c.setStrokeColor(red)
    c.setLineWidth(6)
    c.rect(24, 24, width - 48, height - 48)
    c.setLineWidth(1.5)
    c.rect(36, 36, width - 72, height - 72)
    c.setFillColor(red)
    c.setFont(font, 40)
    c.drawCentredString(width / 2, height - 120, "荣 誉 证 书")
    c.setFillColor(HexColor("#222222"))
    c.setFont(font, 24)
    c.drawString(110, height - 200, f"{competitor.person.name} 同志：")
    c.setFont(font, 18)
    lines = [
        f"在{competition.name}{event.occupation}（{event.get_grade_display()}）{event.get_stage_display()}中，",
        f"荣获第 {certificate.place} 名。",
        certificate.title.split(" ", 3)[-1],
        "特发此证，以资鼓励。",
    ]
    for i, line in enumerate(lines):
        c.drawString(150, height - 250 - i * 34, line)
    c.setFont(font, 16)
    issued = timezone.localtime(certificate.issued_at)
    c.drawRightString(width - 110, 130, competition.org.name)
    c.drawRightString(width - 110, 104, f"{issued.year}年{issued.month}月{issued.day}日")
    widget = QrCodeWidget(verify_url)
    x0, y0, x1, y1 = widget.getBounds()
    size = 96
    drawing = Drawing(size, size, transform=[size / (x1 - x0), 0, 0, size / (y1 - y0), 0, 0])
    drawing.add(widget)
    renderPDF.draw(drawing, c, 80, 70)
    c.setFont(font, 9)
    c.drawString(80, 60, "扫码核验证书真伪")
    c.showPage()
    c.save()
    return out.getvalue()
