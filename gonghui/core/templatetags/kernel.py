"""Template helpers of the app registry: what the apps declare for the pages every app shares."""

from django import template

from gonghui.core import registry

register = template.Library()


@register.simple_tag
def nav_items(user) -> list[registry.NavItem]:
    """The navigation entries the apps declare that ``user`` may see, in their declared order."""
    return registry.nav_items(user)


@register.filter
def badge_for(item: registry.NavItem, user) -> int:
    """The count a navigation entry shows beside its label (0: none)."""
    return item.badge_for(user)
