"""Template helpers shared by the pages."""

from django import template

from gonghui.orgs import access

register = template.Library()


@register.simple_tag
def is_cadre(user) -> bool:
    """Whether the navbar shows the cadre pages (uses the grants cached on the request's user)."""
    return bool(access.grants_of(user))


@register.inclusion_tag("includes/field.html")
def field(bound_field, **attrs):
    """One Bootstrap form row: label, widget, help text and errors."""
    return {"field": bound_field, **attrs}
