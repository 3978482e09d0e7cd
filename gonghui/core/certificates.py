"""Certificates with a QR check (证书), for any app: the signed code a certificate's QR carries, the result the public
verification page shows, and the PDF with an embedded Chinese font.

As the member e-card (gonghui.members.ecard): the code is ``<certificate key>:<signature>``, the key random (a
field of the app's certificate row), the signature an HMAC under the site's secret with the app's own salt, so a
made-up code never verifies and one app's code never opens another's certificate. The public page shows the
certificate and the holder's name masked (张*) — enough to check a paper certificate against its holder.

The PDF embeds the platform's Chinese font (``core.pdf.cjk_font``): without it the PDF is refused. Used by
workforce (竞赛证书) and learning (结业证书)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.core import signing

from gonghui.core.pdf import cjk_font

VERIFY_LIMIT = 60  # verifications per IP per minute, as for the e-card


def code_for(key: str, *, salt: str) -> str:
    """The QR code's text for a certificate's random ``key``."""
    return signing.Signer(salt=salt).sign(key)


def key_of(code: str, *, salt: str) -> str | None:
    """The key a code names, or None when its signature is wrong (forged, another app's, altered)."""
    try:
        return signing.Signer(salt=salt).unsign(code.strip())
    except signing.BadSignature:
        return None


@dataclass(frozen=True)
class Verification:
    """What the public page shows: ``status`` valid / forged / unknown, the certificate row, the holder masked."""

    status: str
    certificate: Any = None
    holder: str = ""

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


@dataclass(frozen=True)
class Sheet:
    """A certificate's words: the big ``heading`` (荣 誉 证 书), the addressee (``holder`` 同志：), the body
    ``lines``, the issuing union and date; ``title`` and ``author`` are the PDF's metadata."""

    heading: str
    holder: str
    lines: tuple[str, ...]
    issuer: str
    issued_on: dt.date
    title: str


def pdf(sheet: Sheet, verify_url: str) -> bytes:
    """The certificate as an A4 landscape PDF with the QR code of ``verify_url``; the Chinese font embedded
    (subset)."""
    from reportlab.graphics import renderPDF
    from reportlab.graphics.barcode.qr import QrCodeWidget
    from reportlab.graphics.shapes import Drawing
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.pdfgen import canvas

    font = cjk_font()
    width, height = landscape(A4)
    out = io.BytesIO()
    c = canvas.Canvas(out, pagesize=(width, height))
    c.setTitle(sheet.title)
    c.setAuthor(sheet.issuer)
    red = HexColor("#b71c1c")
    c.setStrokeColor(red)
    c.setLineWidth(6)
    c.rect(24, 24, width - 48, height - 48)
    c.setLineWidth(1.5)
    c.rect(36, 36, width - 72, height - 72)
    c.setFillColor(red)
    c.setFont(font, 40)
    c.drawCentredString(width / 2, height - 120, sheet.heading)
    c.setFillColor(HexColor("#222222"))
    c.setFont(font, 24)
    c.drawString(110, height - 200, f"{sheet.holder} 同志：")
    c.setFont(font, 18)
    for i, line in enumerate(sheet.lines):
        c.drawString(150, height - 250 - i * 34, line)
    c.setFont(font, 16)
    c.drawRightString(width - 110, 130, sheet.issuer)
    issued = sheet.issued_on
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
