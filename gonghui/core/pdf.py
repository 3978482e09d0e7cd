"""The Chinese font every PDF of the platform embeds (a subset of WenQuanYi Micro Hei, the Debian package
fonts-wqy-microhei, or the TrueType file ``settings.GONGHUI_CJK_FONT`` names): a certificate or a report must
print the same everywhere, so without the font a PDF is refused rather than drawn in a font the reader may lack.
Used by the certificates (core.certificates: workforce, learning) and the finance reports."""

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FONT_PATHS = ("/usr/share/fonts/truetype/wqy/wqy-microhei.ttc", "/usr/share/fonts/wqy-microhei/wqy-microhei.ttc")
FONT_NAME = "GonghuiCJK"


def font_path() -> str:
    configured = getattr(settings, "GONGHUI_CJK_FONT", "")
    for candidate in (configured, *FONT_PATHS):
        if candidate and Path(candidate).exists():
            return candidate
    raise ImproperlyConfigured("未找到中文字体（请安装 fonts-wqy-microhei，或设置 GONGHUI_CJK_FONT）。")


def cjk_font() -> str:
    """The registered font's name for reportlab (registered once per process)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    if FONT_NAME not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT_NAME, font_path(), subfontIndex=0))
    return FONT_NAME
