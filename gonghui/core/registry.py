"""The app registry: each Gonghui app declares in its AppConfig what it adds to the platform, and the kernel
iterates the declarations instead of keeping central lists (docs/decisions/0009-app-registry.md).

An app's ``apps.py`` subclasses :class:`GonghuiAppConfig` and sets the attributes it needs; every attribute
is optional. Functions are named by dotted path, so that declaring imports nothing at start-up; the
helpers below resolve them when they are used."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cache
from typing import Any

from django.apps import AppConfig, apps
from django.utils.module_loading import import_string


@cache
def resolve(path: str) -> Any:
    """The object a declaration names by dotted path (imported once)."""
    return import_string(path)


@dataclass(frozen=True)
class NavItem:
    """An entry of the navigation bar, shown to the users ``audience`` (a dotted predicate ``user -> bool``)
    accepts; ``key`` is the page's ``nav`` context value that marks it active; ``order`` places it; ``badge``
    names a count shown beside it."""

    label: str
    url_name: str
    key: str
    audience: str
    order: int
    badge: str = ""  # a dotted ``user -> int`` shown beside the label when not 0 (e.g. unread messages)
    group: str = ""  # the menu (e.g. "组织与会员") the entry sits in on the bar; empty: on the bar itself

    def visible_to(self, user) -> bool:
        return resolve(self.audience)(user)

    def badge_for(self, user) -> int:
        return resolve(self.badge)(user) if self.badge else 0


@dataclass(frozen=True)
class WorkerTile:
    """A service on the worker's home page (一网通办): a tile to one of the worker's own pages, shown to the
    workers ``audience`` accepts (a dotted predicate ``user -> bool``; every worker when empty); ``hint`` is
    the tile's second line; ``icon`` the one character on its badge (the label's first when empty)."""

    label: str
    url_name: str
    order: int
    audience: str = ""
    hint: str = ""
    icon: str = ""

    @property
    def badge(self) -> str:
        return self.icon or self.label[:1]

    def visible_to(self, user) -> bool:
        return not self.audience or resolve(self.audience)(user)


@dataclass(frozen=True)
class HomePage:
    """Where an account that is neither a cadre, a worker nor a platform admin lands after signing in (a
    merchant's till): the page ``url_name`` for the users ``audience`` accepts (a dotted ``user -> bool``)."""

    url_name: str
    audience: str
    order: int

    def visible_to(self, user) -> bool:
        return resolve(self.audience)(user)


@dataclass(frozen=True)
class MessageEvent:
    """Something the platform tells a person through the message centre (``gonghui.messages.services.notify``):
    its ``key`` ("joining.accepted"), the Chinese ``label`` the worker's preferences show, whether it is
    ``essential`` (its text message goes even to a worker who turned text messages off), and its Chinese
    templates, ``str.format`` fields filled from the context: the inbox ``title`` and ``body``, and the
    ``sms`` (empty: never by text message)."""

    key: str
    label: str
    essential: bool
    title: str
    body: str
    sms: str = ""
    order: int = 0


@dataclass(frozen=True)
class DailyJob:
    """A job ``manage.py run_daily`` runs once a day: ``func(today=date) -> count`` (idempotent)."""

    label: str
    func: str
    order: int

    def run(self, *, today) -> int:
        return resolve(self.func)(today=today)


@dataclass(frozen=True)
class PiplSection:
    """A section of the person's own copy of their data (个人信息副本, PIPL art. 45): ``func(person)``
    returns the section's content (decrypted, plain JSON values)."""

    title: str
    func: str
    order: int
    models: tuple[str, ...] = ()  # the models ("app_label.ModelName") whose rows about the person it holds

    def content(self, person) -> Any:
        return resolve(self.func)(person)


@dataclass(frozen=True)
class PiplExemption:
    """A model holding personal data that is deliberately not part of the person's copy, and why."""

    model: str  # "app_label.ModelName"
    reason: str


@dataclass(frozen=True)
class Retention:
    """A retention category (保存期限类别): kept ``default_days`` (or ``days_setting``, a dotted function
    returning the days, when the default is a policy value), then ``action``; ``enforce(cutoff, batch_size)``
    erases or deletes what is older than ``cutoff`` and returns how many rows it handled."""

    category: str
    label: str
    action: str  # "erase" (清除字段) or "delete" (删除记录)
    enforce: str
    order: int
    default_days: int | None = None
    days_setting: str = ""

    def default(self) -> int:
        return self.default_days if self.days_setting == "" else resolve(self.days_setting)()


@dataclass(frozen=True)
class Figure:
    """A figure the app offers the overview: ``func(user) -> number`` for the user's scope, from rollups or
    indexed counts (never a scan of the member tables).

    For the governance overview's drill-down and monthly rollups (decision 0028): ``subtree`` names the dotted
    ``(org) -> number``, the same figure for the org's whole subtree; ``per_org`` (optional) the dotted
    ``() -> {org id: number}``, each org's own share (the records that org itself holds), for a figure that adds
    up over the tree, so the rollup sums it bottom-up in one grouped query instead of one subtree query per org;
    ``url_name`` (optional) the list page behind the figure (the user's scope applies there); ``org_param`` (optional)
    the list's query parameter for the org whose subtree it shows."""

    key: str
    label: str
    unit: str
    func: str
    order: int
    subtree: str = ""
    per_org: str = ""
    url_name: str = ""
    # the query parameter by which the list behind the figure narrows itself to an org's subtree ("org"), when it
    # has one: the overview's link then opens the list of the node shown (decision 0041)
    org_param: str = ""
    # a fixed query string the list needs to show just what the figure counts ("publicised=on")
    url_query: str = ""
    # the labels of other apps whose records this figure counts (its own app's always move it): their saves and
    # deletes mark it for the governance rollup's recomputation (core.figures, decision 0044)
    sources: tuple[str, ...] = ()
    # for a figure that does not add up (no ``per_org``): the model ("app.Model") whose records it reads. The full
    # rollup then computes it only at the orgs holding such records (by the model's first scope path) and their
    # ancestors, instead of at every org of the tree: the figure must be 0 where a subtree holds none of them
    held_by: str = ""

    def value(self, user) -> int | Decimal:
        return resolve(self.func)(user)

    def value_under(self, org) -> int | Decimal:
        """The figure for ``org``'s whole subtree (the kernel has no scope to apply: the caller checked it)."""
        return resolve(self.subtree)(org)

    def values_by_org(self) -> dict[int, int | Decimal]:
        """Each org's own share ({org id: number}, orgs with nothing left out); only when ``per_org`` is set."""
        return resolve(self.per_org)()


@dataclass(frozen=True)
class PersonGroup:
    """一类人群 an app keeps (劳模, 在档困难职工 of a category), that other apps may limit an audience or an
    eligibility to without importing the app that keeps it (decision 0050): ``persons`` names the dotted
    ``() -> QuerySet`` of the ``person_id`` values of everyone in the group now, used as a subquery."""

    key: str
    label: str
    persons: str
    order: int

    def person_ids(self):
        return resolve(self.persons)()


class DemoRefused(Exception):
    """The database already holds data that a demo load would mix with or destroy."""


@dataclass
class DemoRun:
    """What ``manage.py demo_data`` hands each app's demo loader (``loader(run) -> None``), and what the
    loaders report back: a part of the summary sentence, the demo accounts they made."""

    members: int
    seed: int
    provinces: set[str] | None
    batch_size: int
    keep_existing: bool
    log: Callable[[str], None] | None
    rng: random.Random = field(init=False)  # the apps after the first share one stream from the seed
    summary: list[str] = field(default_factory=list)
    accounts: list = field(default_factory=list)
    existing: bool = False  # a loader found demo data already there (--keep-existing): the rest are skipped

    def __post_init__(self):
        self.rng = random.Random(self.seed)


class GonghuiAppConfig(AppConfig):
    """The base of every Gonghui app's AppConfig; the class attributes are its declarations."""

    # Django picks the one AppConfig class of an apps.py marked ``default``; this base, imported there, is not it.
    default = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.default = cls.__dict__.get("default", True)

    urls: str = ""  # dotted module of the app's page urls
    url_prefix: str = ""  # "members/"
    api_router: str = ""  # dotted path of the app's ninja Router
    api_prefix: str = ""  # "/members"
    api_field_labels: dict[str, str] = {}  # schema field -> its Chinese name in a 400's ``detail``
    nav: tuple[NavItem, ...] = ()
    worker_tiles: tuple[WorkerTile, ...] = ()
    home_pages: tuple[HomePage, ...] = ()  # landing pages of accounts that are neither cadres nor workers
    message_events: tuple[MessageEvent, ...] = ()
    daily_jobs: tuple[DailyJob, ...] = ()
    pipl_sections: tuple[PiplSection, ...] = ()
    pipl_exempt: tuple[PiplExemption, ...] = ()
    retention: tuple[Retention, ...] = ()
    demo: str = ""  # dotted demo loader: ``loader(run: DemoRun) -> None``
    demo_after: tuple[str, ...] = ()  # app labels whose demo must be loaded first; ("*",): every other app's
    permission_matrix: str = ""  # dotted module of the app's permission matrix (PAGES, PAGE_ROUTES, API_CASES)
    overview_figures: tuple[Figure, ...] = ()
    person_groups: tuple[PersonGroup, ...] = ()  # groups of people other apps may limit an audience to
    case_kinds: str = ""  # dotted module declaring the app's case kinds
    audit_actions: dict[str, str] = {}  # the app's audit actions (core.audit) -> their Chinese labels
    # Models ("app.Model") partitioned by province with the member tables (manage.py partition_by_province): the
    # app's big per-member tables, each an orgs.provinces.InProvince (decision 0055).
    partitioned_models: tuple[str, ...] = ()


def gonghui_apps() -> list[GonghuiAppConfig]:
    """The Gonghui apps, in INSTALLED_APPS order."""
    return [config for config in apps.get_app_configs() if isinstance(config, GonghuiAppConfig)]


def _collect(attribute: str) -> list:
    items = [item for config in gonghui_apps() for item in getattr(config, attribute)]
    return sorted(items, key=lambda item: item.order)  # stable: equal orders keep INSTALLED_APPS order


def nav_items(user) -> list[NavItem]:
    return [item for item in _collect("nav") if item.visible_to(user)]


@dataclass(frozen=True)
class NavMenu:
    """An entry of the navigation bar as shown: one item, or the items of a ``group`` under one menu (placed
    where its first item would be)."""

    label: str
    items: tuple[NavItem, ...]
    group: bool

    def active(self, nav: str) -> bool:
        return any(item.key == nav for item in self.items)


def nav_menus(user) -> list[NavMenu]:
    """The bar: the entries ``user`` may see, those of one group gathered under its menu."""
    menus: list[NavMenu] = []
    for item in nav_items(user):
        index = next((i for i, m in enumerate(menus) if m.group and m.label == item.group), None)
        if not item.group:
            menus.append(NavMenu(item.label, (item,), group=False))
        elif index is None:
            menus.append(NavMenu(item.group, (item,), group=True))
        else:
            menus[index] = NavMenu(item.group, (*menus[index].items, item), group=True)
    return menus


def worker_tiles(user=None) -> list[WorkerTile]:
    """The tiles the apps declare, only those ``user`` may use when given."""
    return [tile for tile in _collect("worker_tiles") if user is None or tile.visible_to(user)]


def home_page_for(user) -> str | None:
    """The url name of the first declared landing page ``user`` may use, or None."""
    return next((page.url_name for page in _collect("home_pages") if page.visible_to(user)), None)


@cache
def message_events() -> dict[str, MessageEvent]:
    """Every declared message event by key (a key declared twice is an error)."""
    events: dict[str, MessageEvent] = {}
    for event in _collect("message_events"):
        if event.key in events:
            raise ValueError(f"message event {event.key!r} is declared twice")
        events[event.key] = event
    return events


def daily_jobs() -> list[DailyJob]:
    return _collect("daily_jobs")


def pipl_sections() -> list[PiplSection]:
    return _collect("pipl_sections")


def pipl_exemptions() -> dict[str, str]:
    return {e.model: e.reason for config in gonghui_apps() for e in config.pipl_exempt}


def retention_categories() -> list[Retention]:
    return _collect("retention")


def retention_choices() -> list[tuple[str, str]]:
    """The declared categories as model field choices."""
    return [(c.category, c.label) for c in retention_categories()]


def overview_figures() -> list[Figure]:
    return _collect("overview_figures")


@cache
def person_groups() -> dict[str, PersonGroup]:
    """Every declared group of people by key, in their order (a key declared twice is an error)."""
    groups: dict[str, PersonGroup] = {}
    for group in _collect("person_groups"):
        if group.key in groups:
            raise ValueError(f"person group {group.key!r} is declared twice")
        groups[group.key] = group
    return groups


def partitioned_models() -> list[type]:
    """The models partitioned by province, in INSTALLED_APPS order (the member tables first)."""
    return [apps.get_model(label) for config in gonghui_apps() for label in config.partitioned_models]


def audit_actions() -> dict[str, str]:
    """The audit action catalogue: every action an app writes to the audit log, with its Chinese label."""
    catalogue: dict[str, str] = {}
    for config in gonghui_apps():
        catalogue |= config.audit_actions
    return catalogue


def audit_action_label(action: str) -> str:
    """An audit action in Chinese: its label in the catalogue; an export's download as the export's label; a case
    kind's escalation by the kind's name. An action nobody declared shows as its code, marked so."""
    catalogue = audit_actions()
    if action in catalogue:
        return catalogue[action]
    base, _, last = action.rpartition(".")
    if last == "download" and base in catalogue:
        return f"{catalogue[base]}：下载文件"
    if last == "escalate":
        from gonghui.cases.kinds import all_kinds

        kind = all_kinds().get(base)
        if kind is not None:
            return f"{kind.name}：超期升级至上级工会"
    return f"{action}（未登记的动作）"


def api_field_labels() -> dict[str, str]:
    labels: dict[str, str] = {}
    for config in gonghui_apps():
        labels |= config.api_field_labels
    return labels


def url_modules() -> Iterator[tuple[str, str]]:
    """(prefix, dotted urls module) of every app with pages."""
    return ((c.url_prefix, c.urls) for c in gonghui_apps() if c.urls)


def api_routers() -> Iterator[tuple[str, str]]:
    """(prefix, dotted Router path) of every app with an API."""
    return ((c.api_prefix, c.api_router) for c in gonghui_apps() if c.api_router)


def permission_matrices() -> list[tuple[str, str]]:
    """(app label, dotted matrix module) of every app declaring its permission matrix."""
    return [(c.label, c.permission_matrix) for c in gonghui_apps() if c.permission_matrix]


def case_kind_modules() -> list[str]:
    return [c.case_kinds for c in gonghui_apps() if c.case_kinds]


def demo_loaders() -> list[tuple[str, Callable]]:
    """(app label, loader) for every app with a demo, each after the apps it names in ``demo_after``; an app that
    names "*" (one that summarises the others, such as the overview's rollups) comes after every app that does
    not."""
    pending = {c.label: c for c in gonghui_apps() if c.demo}

    def waits_for(config) -> set[str]:
        if "*" in config.demo_after:
            return {label for label, other in pending.items() if "*" not in other.demo_after}
        return set(config.demo_after)

    done: list[str] = []
    while pending:
        ready = [label for label, c in pending.items() if not pending.keys() & waits_for(c)]
        if not ready:
            raise RuntimeError(f"演示数据的依赖关系有环：{', '.join(sorted(pending))}")
        done.append(ready[0])
        del pending[ready[0]]
    configs = {c.label: c for c in gonghui_apps()}
    return [(label, resolve(configs[label].demo)) for label in done]
