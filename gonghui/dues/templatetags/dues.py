"""Template helpers of the dues pages."""

from django import template

register = template.Library()


@register.simple_tag
def posted_base(posted, person_id: int) -> str:
    """What was typed for this member on a refused bulk form, so nothing typed is lost."""
    return posted.get(f"base_{person_id}", "") if posted else ""
