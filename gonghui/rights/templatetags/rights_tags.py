from django import template

register = template.Library()


@register.filter
def label(choices: dict, code: str) -> str:
    """The label of ``code`` in a dict of choices."""
    return choices.get(code, code)


@register.filter
def absolute(value: int) -> int:
    return abs(value)
