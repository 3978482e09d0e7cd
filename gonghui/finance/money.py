"""Money in fen (integers): reading what people type, showing yuan, 2% of a payroll, and a split that never
loses a fen (largest remainder)."""

from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import ValidationError

from gonghui.core.errors import field_error
from gonghui.core.spreadsheets import cell_text

BASIS = 10_000  # shares are basis points: 6000 = 60%
MAX_FEN = 10**15  # ten trillion yuan: above any union's amount, well inside a 64-bit integer


def parse_yuan(value, field: str = "amount", *, allow_zero: bool = False, allow_negative: bool = False) -> int:
    """An amount typed in yuan ("1,234.5", "１２３４.５０", "￥12") as fen; at most two decimals."""
    text = cell_text(value).replace(",", "").replace("，", "").lstrip("¥￥").removesuffix("元").strip()
    try:
        amount = Decimal(text)
    except InvalidOperation:
        raise field_error(field, f"金额“{text}”不是数字，请写成 1234.56 这样的元数。") from None
    if not amount.is_finite():
        raise field_error(field, "金额不是有效的数字。")
    if amount != amount.quantize(Decimal("0.01")):
        raise field_error(field, "金额最多两位小数（到分）。")
    fen = int(amount * 100)
    if fen < 0 and not allow_negative:
        raise field_error(field, "金额不能是负数。")
    if fen == 0 and not allow_zero:
        raise field_error(field, "金额不能为零。")
    if abs(fen) >= MAX_FEN:
        raise field_error(field, "金额过大，请核对。")
    return fen


def yuan(fen: int | None) -> str:
    """Fen as yuan with two decimals and thousands separators: 123456 -> "1,234.56"."""
    fen = fen or 0
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(fen), 100)
    return f"{sign}{whole:,}.{cents:02d}"


def yuan_decimal(fen: int | None) -> Decimal:
    return Decimal(fen or 0) / 100


def percent_of(fen: int, basis_points: int) -> int:
    """``basis_points`` of ``fen``, rounded half up to the fen (2% of a payroll is 200 basis points)."""
    return int((Decimal(fen) * basis_points / BASIS).quantize(Decimal(1), rounding=ROUND_HALF_UP))


def split(total: int, weights: list[int]) -> list[int]:
    """``total`` fen in parts proportional to ``weights`` (non-negative integers, not all zero) that add up to
    ``total`` exactly: each part's floor, then the fen left over to the largest remainders (ties: the earlier
    part, i.e. the lower level first)."""
    if not weights or any(w < 0 for w in weights) or sum(weights) == 0:
        raise ValidationError("分成比例无效。")
    whole = sum(weights)
    sign = -1 if total < 0 else 1
    quotients = [divmod(abs(total) * w, whole) for w in weights]
    parts = [q for q, _ in quotients]
    left = abs(total) - sum(parts)
    for i in sorted(range(len(weights)), key=lambda i: (-quotients[i][1], i))[:left]:
        parts[i] += 1
    return [sign * p for p in parts]
