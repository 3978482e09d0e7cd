"""The consents section on a cadre's member page (the member view has already checked scope)."""

from django import template

from gonghui.privacy.selectors import consents_of

register = template.Library()


@register.inclusion_tag("privacy/_member_consents.html")
def member_consents(person):
    return {"consents": list(consents_of(person)[:50]), "person": person}
