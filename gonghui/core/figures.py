"""Writes that move the overview's figures (decision 0044): the kernel's hook between the areas' records and the
governance rollup, so that no area's services need to know which figure a write moves.

Each area already declares its figures (``registry.Figure``) and, on its models, the scope (``scope_paths``, the
path to the org that holds a record). From those two declarations alone the kernel watches every model of an app
that declares figures (plus the apps a figure names in ``Figure.sources``): when a record is saved or deleted it
sends ``figures_touched`` with the org that holds it (and, when a save moved it from one org to another, the org
it left) and the keys of the figures that app declares. A receiver (the governance rollup) marks those orgs for
recomputation in the writer's transaction. Writes that bypass model signals (``QuerySet.update``,
``bulk_create``) call ``touch`` themselves, or are left to the daily full recompute, which is the reconciler."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import signals
from django.dispatch import Signal

from gonghui.core import registry

# kwargs: org_ids (set[int]: the orgs whose own records changed), keys (set[str]: the figures that may have moved)
figures_touched = Signal()

_STASH = "_figures_org_id"  # the org a loaded record was held by, to see a save that moves it


def touch(org_ids: Iterable[int | None], keys: Iterable[str]) -> None:
    """Tell the receivers that records held by ``org_ids`` changed, moving the figures ``keys``."""
    ids, names = {pk for pk in org_ids if pk}, set(keys)
    if ids and names:
        figures_touched.send(sender=touch, org_ids=ids, keys=names)


def touch_app(org_ids: Iterable[int | None], app_label: str) -> None:
    """``touch`` for a bulk write of ``app_label``'s records: every figure that app's records move."""
    touch(org_ids, keys_by_app().get(app_label, ()))


@cache
def keys_by_app() -> dict[str, frozenset[str]]:
    """{app label: the keys of the subtree figures its records move}: the app's own figures, and every figure
    that names the app in ``sources``. From the declarations alone, so worked out once (every member count
    written asks it)."""
    found: dict[str, set[str]] = {}
    for config in registry.gonghui_apps():
        for figure in config.overview_figures:
            if not figure.subtree:
                continue
            for label in (config.label, *figure.sources):
                found.setdefault(label, set()).add(figure.key)
    return {label: frozenset(keys) for label, keys in found.items()}


def _forward_chain(model) -> bool:
    """Whether the model's first scope path is a chain of forward foreign keys ending at an org's path
    (``org__path``, ``congress__org__path``): the org holding a record can then be read from the record itself.
    A path through a reverse relation (a person's memberships) names many orgs and is not watched."""
    paths = getattr(model, "scope_paths", ())
    if not paths or paths[0].count("__") == 0:
        return False
    current = model
    for hop in paths[0].split("__")[:-1]:
        try:
            field = current._meta.get_field(hop)
        except Exception:
            return False
        if not (field.concrete and (field.many_to_one or field.one_to_one)):
            return False
        current = field.related_model
    return current._meta.label == "orgs.Org"


def _org_id_of(instance) -> int | None:
    """The id of the org holding ``instance``, by its first scope path (FK ids read from the loaded rows)."""
    hops = instance.scope_paths[0].split("__")[:-1]  # without the final "path"
    target = instance
    try:
        for hop in hops[:-1]:
            target = getattr(target, hop)
            if target is None:
                return None
        return getattr(target, f"{hops[-1]}_id", None)
    except ObjectDoesNotExist:  # a parent deleted in the same cascade: its own delete reports the org
        return None


def watch_sources() -> int:
    """Connect the model signals of every app whose records move a figure; how many models are watched."""
    keys = keys_by_app()
    watched = 0
    for config in registry.gonghui_apps():
        names = keys.get(config.label)
        if not names:
            continue
        for model in config.get_models():
            if not _forward_chain(model):
                continue
            _connect(model, names)
            watched += 1
    return watched


def _connect(model, names: frozenset[str]) -> None:
    direct = model.scope_paths[0].count("__") == 1  # org__path: the org's id is a column of the row itself

    def loaded(sender, instance, **kwargs):
        if direct:
            setattr(instance, _STASH, instance.__dict__.get(f"{model.scope_paths[0].split('__')[0]}_id"))

    def saved(sender, instance, raw=False, **kwargs):
        if raw:
            return
        now = _org_id_of(instance)
        touch({now, getattr(instance, _STASH, None)}, names)
        if direct:
            setattr(instance, _STASH, now)

    def deleted(sender, instance, **kwargs):
        touch({_org_id_of(instance), getattr(instance, _STASH, None)}, names)

    uid = f"figures:{model._meta.label}"
    if direct:
        signals.post_init.connect(loaded, sender=model, weak=False, dispatch_uid=uid)
    signals.post_save.connect(saved, sender=model, weak=False, dispatch_uid=uid)
    signals.post_delete.connect(deleted, sender=model, weak=False, dispatch_uid=uid)
