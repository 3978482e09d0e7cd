"""Template helpers shared by the pages."""

from django import template

register = template.Library()


@register.inclusion_tag("includes/field.html")
def field(bound_field, **attrs):
    """One Bootstrap form row: label, widget, help text and errors."""
    return {"field": bound_field, **attrs}


@register.simple_tag
def org_choices(orgs) -> list[tuple]:
    """A union picker's options: (org, label), the label "名称（省 › 市 › 区 › 街道）", and the upper union too
    where two unions of the list share a name and a place, so that no choice is ambiguous."""
    orgs = list(orgs or [])
    places = [(org.name, org.region_id) for org in orgs]
    choices = []
    for org, place in zip(orgs, places, strict=True):
        label = f"{org.name}（{org.region.path_label()}）"
        if places.count(place) > 1 and org.parent_id:
            label = f"{org.name}（{org.region.path_label()}；上级：{org.parent.name}）"
        choices.append((org, label))
    return choices
