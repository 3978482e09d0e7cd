"""Template helpers shared by the pages."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/field.html")
def field(bound_field, **attrs):
    """One Bootstrap form row: label, widget, help text and errors."""
    return {"field": bound_field, **attrs}
