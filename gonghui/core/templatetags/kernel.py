"""Template helpers of the app registry: what the apps declare for the pages every app shares."""

from django import template

from gonghui.core import registry

register = template.Library()


@register.simple_tag
def nav_items(user) -> list[registry.NavItem]:
    """The navigation entries the apps declare that ``user`` may see, in their declared order."""
    return registry.nav_items(user)


@register.simple_tag
def nav_menus(user) -> list[registry.NavMenu]:
    """The navigation bar: single entries and the apps' grouped menus, in their declared order."""
    return registry.nav_menus(user)


class Badges(dict):
    """The counts the navigation entries show (entry -> count), and their total for the collapsed menu's button."""

    def __bool__(self) -> bool:
        return self.total > 0

    @property
    def total(self) -> int:
        return sum(self.values())

    def __str__(self) -> str:
        return str(self.total)


@register.simple_tag
def nav_badges(items: list[registry.NavItem], user) -> Badges:
    """Each entry's count, computed once per page (one query per entry that declares a badge)."""
    return Badges({item: item.badge_for(user) for item in items if item.badge})


@register.filter
def get_badge(badges: Badges, item: registry.NavItem | registry.NavMenu) -> int:
    """An entry's count; a menu's is the sum of its entries'."""
    if isinstance(item, registry.NavMenu):
        return sum(badges.get(entry, 0) for entry in item.items)
    return badges.get(item, 0)


@register.filter
def menu_active(menu: registry.NavMenu, nav: str) -> bool:
    return menu.active(nav)
