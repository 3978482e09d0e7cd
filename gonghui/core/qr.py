"""QR codes drawn locally as inline SVG (no image service): 2FA enrolment, e-cards, join-code posters."""

import segno


def qr_svg(data: str, *, title: str, scale: int = 5) -> str:
    """The QR code of ``data`` as an inline <svg> element; ``title`` is what a screen reader announces."""
    return segno.make(data, error="m", micro=False).svg_inline(
        scale=scale, border=4, dark="#000", light="#fff", title=title
    )
