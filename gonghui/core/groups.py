"""Groups of people (人群) that apps declare through the registry (``GonghuiAppConfig.person_groups``): an audience
or an eligibility elsewhere is limited to "anyone in one of these groups" by key, and the app that keeps the group
(workforce's 劳模, assistance's 在档困难职工) is asked, never imported (decision 0050)."""

from __future__ import annotations

from django.db.models import Q

from gonghui.core.registry import person_groups


def choices() -> list[tuple[str, str]]:
    """The declared groups as form choices, in their order."""
    return [(key, group.label) for key, group in person_groups().items()]


def unknown(keys) -> list[str]:
    """The keys no app declares (a form or an API call that names a group that is not there)."""
    return [key for key in keys if key not in person_groups()]


def labels(keys) -> str:
    """ "劳模、在档困难职工" for the keys, in the groups' order (a key no app declares any more shows as itself)."""
    declared = person_groups()
    ordered = [k for k in declared if k in keys] + [k for k in keys if k not in declared]
    return "、".join(declared[k].label if k in declared else k for k in ordered)


def in_any(keys, field: str = "person_id") -> Q:
    """A filter: the row's ``field`` (a person id) belongs to at least one of the groups ``keys``; nobody when
    ``keys`` names none that is declared."""
    declared = person_groups()
    where = Q(pk__in=[])
    for key in keys:
        if key in declared:
            where |= Q(**{f"{field}__in": declared[key].person_ids()})
    return where


def of_person(person_id: int) -> set[str]:
    """The groups ``person_id`` belongs to now (one indexed query per declared group)."""
    return {key for key, group in person_groups().items() if group.person_ids().filter(person_id=person_id).exists()}
