"""Amounts in fen shown as yuan: ``{{ line.debit_fen|yuan }}`` -> "1,234.56" (empty for zero with ``yuan_blank``)."""

from django import template

from gonghui.finance import chart, money

register = template.Library()


@register.filter
def yuan(fen) -> str:
    return money.yuan(fen)


@register.filter
def yuan_blank(fen) -> str:
    return money.yuan(fen) if fen else ""


@register.filter
def bp(basis_points) -> str:
    """Basis points as a percentage: 6000 -> "60%", 1250 -> "12.5%"."""
    return f"{(basis_points or 0) / 100:g}%"


@register.filter
def account_name(code: str) -> str:
    """The standard name of an account code (``chart.name_of``)."""
    return chart.name_of(code)
