"""The app registry: the kernel iterates what the apps declare, and fails when something is not declared."""

import datetime as dt
import importlib
import importlib.util
import typing
from decimal import Decimal
from io import StringIO
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import models
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from ninja import Router
from pydantic import BaseModel

from gonghui.api import api
from gonghui.core import crypto, registry
from gonghui.core.registry import DemoRun, GonghuiAppConfig
from gonghui.dues.models import DuesOrgMonth
from gonghui.dues.selectors import current_month
from gonghui.governance import rollup
from gonghui.orgs.models import Org
from gonghui.privacy.services import personal_data_of

# The API (mounted from the registry), the e-card QR code's public page, the probes (/healthz, /readyz).
KERNEL_URLS = {"api", "public", "ops"}


def labels(items) -> list[str]:
    return [item.label for item in items]


# ----- the kernel iterates the declarations -------------------------------------------------------------------


def test_every_gonghui_app_is_a_registry_app_in_installed_apps_order():
    names = [name for name in settings.INSTALLED_APPS if name.startswith("gonghui.")]
    assert [config.name for config in registry.gonghui_apps()] == names
    by_name = {config.name: config for config in apps.get_app_configs()}  # a label may differ ("messaging")
    assert all(isinstance(by_name[name], GonghuiAppConfig) for name in names)


def test_pages_and_api_are_mounted_at_the_declared_prefixes():
    assert reverse("members:list") == "/members/" and reverse("joining:todo") == "/join/todo/"
    assert reverse("accounts:home") == "/" and reverse("public:card_verify", args=["abc"]) == "/v/abc/"
    mounted = dict(api._routers)
    for prefix, path in registry.api_routers():
        assert mounted[prefix] is registry.resolve(path)


def test_daily_jobs_run_in_the_declared_order(db):
    out = StringIO()
    call_command("run_daily", "--date", "2026-11-25", stdout=out)
    lines = [line.split("：")[0] for line in out.getvalue().splitlines()]
    jobs = registry.daily_jobs()
    assert lines == labels(jobs) and [job.order for job in jobs] == sorted(job.order for job in jobs)
    membership = ["转会超期自动接收", "会籍预警", "会费汇总（上月和本月）", "花名册文件到期删除"]
    assert [label for label in lines if label in membership] == membership


def _config(label: str, demo: str = "", after: tuple = ()):
    return SimpleNamespace(label=label, demo=demo, demo_after=after)


def test_demo_loaders_run_after_the_apps_they_name(monkeypatch):
    labels_in_order = [
        "members",
        "joining",
        "rosters",
        "dues",
        "assistance",
        "venues",
        "activities",
        "benefits",
        "contracts",
        "messaging",
        "finance",
        "fundreview",
        "rights",
        "democracy",
        "workforce",
        "news",
        "learning",
        "governance",
    ]
    assert [label for label, _ in registry.demo_loaders()] == labels_in_order
    loader = "gonghui.core.registry.resolve"  # any importable function stands for a loader here
    fake = [_config("b", loader, ("c",)), _config("c", loader, ("a",)), _config("a"), _config("d", loader, ("b",))]
    monkeypatch.setattr(registry, "gonghui_apps", lambda: fake)
    assert [label for label, _ in registry.demo_loaders()] == ["c", "b", "d"]  # "a" has no demo: not waited for
    fake.insert(0, _config("e", loader, ("*",)))  # after every app that does not say "*", wherever it is declared
    assert [label for label, _ in registry.demo_loaders()] == ["c", "b", "d", "e"]
    del fake[0]
    fake[1].demo_after = ("d",)
    with pytest.raises(RuntimeError, match="有环"):
        registry.demo_loaders()


def test_the_demo_reports_each_app(db):
    run = DemoRun(members=200, seed=5, provinces={"33"}, batch_size=1000, keep_existing=False, log=None)
    loaders = registry.demo_loaders()
    for _label, loader in loaders:
        loader(run)
    assert len(run.summary) == len(loaders)
    summary = dict(zip([label for label, _ in loaders], run.summary, strict=True))
    expected = {
        "members": "名会员",
        "joining": "份入会申请",
        "rosters": "次花名册导入",
        "assistance": "份困难职工档案",
        "venues": "个服务阵地",
        "activities": "项活动",
        "benefits": "普惠合作商户",
        "contracts": "份集体合同",
        "news": "场知识竞赛",
        "messaging": "条消息",
        "finance": "经费收缴",
        "fundreview": "整改销号",
        "rights": "件职工诉求",
        "democracy": "件提案",
        "workforce": "名劳模",
        "governance": "一屏总览汇总",
    }
    assert {label: phrase for label, phrase in expected.items() if phrase not in summary[label]} == {}
    assert {a.username for a in run.accounts} >= {"quanzong", "zhigong", "sysadmin"}
    # every area's records are here: a figure that does not add up, computed only where its held_by records are
    # (and above), is the figure asked of every org of the tree
    orgs = list(Org.objects.only("pk", "path"))
    for figure in registry.overview_figures():
        if figure.held_by:
            everywhere = {org.pk: Decimal(v) for org in orgs if (v := figure.value_under(org))}
            assert everywhere and rollup.figure_values(figure) == everywhere, figure.key


def test_the_cadre_menu_comes_from_the_declared_nav(client, cast):
    client.force_login(cast.users.province_admin)
    body = client.get(reverse("orgs:tree")).content.decode()
    cadre = [
        "一屏总览",
        "组织架构",
        "会员",
        "事项待办",
        "入会审核",
        "会费",
        "困难帮扶",
        "集体合同",
        "民主管理",
        "职代会提案",
        "厂务公开",
        "财务",
        "职工诉求",
        "换届选举",
        "服务阵地",
        "经费审查",
        "活动",
        "花名册",
        "普惠",
        "资讯通知",
        "产业工人",
        "学习积分",
        "个人信息请求",
        "消息",
    ]
    assert labels(registry.nav_items(cast.users.province_admin)) == cadre
    # On the bar an area's entries sit under its menu, placed where its first entry would be.
    bar = [
        (menu.label, labels(menu.items) if menu.group else None)
        for menu in registry.nav_menus(cast.users.province_admin)
    ]
    assert bar == [
        ("一屏总览", None),
        ("组织与会员", ["组织架构", "会员", "入会审核", "会费", "换届选举", "花名册"]),
        ("事项待办", None),
        ("服务职工", ["困难帮扶", "服务阵地", "活动", "普惠", "学习积分"]),
        ("维权与民主", ["集体合同", "民主管理", "职代会提案", "厂务公开", "职工诉求"]),
        ("财务", None),
        ("经费审查", None),
        ("资讯通知", None),
        ("产业工人", None),
        ("个人信息请求", None),
        ("消息", None),
    ]
    shown = [label for menu, entries in bar for label in ([menu] if entries is None else [menu, *entries])]
    positions = [body.index(f">{label}</a>") for label in shown]
    assert positions == sorted(positions) and ">我的</a>" not in body and "账号管理" not in body


def test_workers_and_platform_admins_see_their_own_entries(cast):
    assert labels(registry.nav_items(cast.users.worker)) == ["消息", "我的"]
    assert labels(registry.nav_items(cast.users.security_admin)) == ["授权与安全策略"]


def test_the_worker_home_shows_the_declared_tiles_this_worker_may_use(client, cast):
    client.force_login(cast.users.worker)
    body = client.get(reverse("portal:me")).content.decode()
    mine = registry.worker_tiles(cast.users.worker)
    for tile in mine:
        assert f'href="{reverse(tile.url_name)}"' in body and tile.label in body
    assert [t.url_name for t in mine] == [
        "portal:card",
        "portal:transfer",
        "news:feed",
        "news:quizzes",
        "news:my_talks",
        "learning:me",
        "venues:nearby",
        "activities:mine",
        "benefits:mine",
        "dues:mine",
        "rights:mine",
        "assistance:mine",
        "privacy:mine",
        "workforce:my_innovations",
    ]
    others = set(registry.worker_tiles()) - set(
        mine
    )  # an applicant's, a representative's, a judge's: not this member's
    assert {t.url_name for t in others} == {"joining:mine", "joining:again", "democracy:mine", "democracy:open_affairs",
                                            "workforce:judging"}  # fmt: skip
    assert all(f'href="{reverse(t.url_name)}"' not in body for t in others)


def test_the_overview_figures_are_cheap_and_scoped(client, cast, django_assert_num_queries):
    DuesOrgMonth.objects.create(org=cast.orgs.company, month=current_month(), paid_total=Decimal("12.50"))
    DuesOrgMonth.objects.create(org=cast.orgs.logistics, month=current_month(), paid_total=Decimal("30.00"))
    user = cast.users.province_admin
    values = {f.key: f.value(user) for f in registry.overview_figures()}
    assert values == {"members": 2, "cases_overdue": 0, "join_pending": 0, "dues_paid": Decimal("12.50"),
                      "dues_arrears": 0,
                      "hardship_open": 0, "venues_stations": 0, "venues_best_stations": 0, "venues_demo_libraries": 0,
                      "venues_self_built_libraries": 0, "venues_nursing_rooms": 0, "activities_events": 0,
                      "activities_checkins": 0, "activities_satisfaction": 0, "finance_collected": 0,
                      "finance_arrears": 0, "rights_open": 0, "rights_overdue": 0, "rights_legal_open": 0,
                      "contracts_effective": 0, "contracts_workers": 0, "contracts_lapsed": 0,
                      "news_published": 0, "news_read_rate": 0, "news_talks": 0,
                      "democracy_sittings": 0, "democracy_reports_pending": 0, "democracy_proposals_open": 0,
                      "democracy_terms_due": 1, "democracy_disclosure_completeness": 0,
                      "workforce_model_workers": 0, "workforce_studios": 0, "workforce_publicised": 0,
                      "workforce_national_studios": 0, "workforce_innovations_adopted": 0,
                      "workforce_innovations_benefit": Decimal("0.00"), "benefits_claimed": 0,
                      "benefits_redeemed": 0, "learning_learners": 0, "learning_course_credits": 0,
                       "learning_reading_credits": 0, "learning_readers": 0, "fundreview_open": 0,
                       "fundreview_closure": 0}  # fmt: skip
    with django_assert_num_queries(len(values)):  # one indexed aggregate each, whatever the number of members
        [f.value(user) for f in registry.overview_figures()]
    client.force_login(user)
    body = client.get(reverse("orgs:tree")).content.decode()
    assert "会员数" in body and "待办入会申请" in body and "本月会费" in body and "12.50" in body


def test_every_figure_has_its_subtree_form_and_its_list(cast):
    """Each figure also answers for an org's whole subtree (the governance drill-down), its per-org shares add up
    to that, and it names the list page behind it."""
    DuesOrgMonth.objects.create(org=cast.orgs.company, month=current_month(), paid_total=Decimal("12.50"))
    zhejiang, user = cast.orgs.zhejiang, cast.users.province_admin
    in_zhejiang = set(Org.objects.filter(path__startswith=zhejiang.path).values_list("pk", flat=True))
    for figure in registry.overview_figures():
        assert figure.subtree and figure.url_name, figure.key
        assert bool(figure.per_org) != bool(figure.held_by), f"{figure.key}: per_org or held_by, not a tree scan"
        reverse(figure.url_name)
        assert figure.value_under(zhejiang) == figure.value(user), figure.key
        if figure.per_org:
            shares = figure.values_by_org()
            assert sum(v for pk, v in shares.items() if pk in in_zhejiang) == figure.value_under(zhejiang), figure.key
    assert registry.overview_figures()[0].value_under(cast.orgs.national) == 3


def test_the_data_copy_has_every_declared_section(cast):
    copy = personal_data_of(cast.members.zhang.person)
    assert list(copy) == ["生成时间", *(s.title for s in registry.pipl_sections())]


# ----- what is not declared fails ----------------------------------------------------------------------------


def _patterns(resolver=None):
    """(top-level entry, urls module or None) of the root URLconf."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            module = entry.urlconf_name if isinstance(entry.urlconf_name, str) else None
            yield entry, getattr(entry.urlconf_module, "__name__", module)
        else:
            yield entry, None


def test_every_url_belongs_to_a_declared_app_or_the_kernel():
    declared = {module for _, module in registry.url_modules()}
    for entry, module in _patterns():
        if isinstance(entry, URLPattern):
            assert entry.name in KERNEL_URLS, entry
        elif module not in declared:
            assert entry.namespace in KERNEL_URLS, entry


def _app_module(config, name: str):
    full = f"{config.name}.{name}"
    return importlib.import_module(full) if importlib.util.find_spec(full) else None


def test_every_app_declares_its_pages_and_its_api_router():
    for config in registry.gonghui_apps():
        urls, api_module = _app_module(config, "urls"), _app_module(config, "api")
        assert (urls is not None) == bool(config.urls), f"{config.label}: urls.py 未在 apps.py 中声明"
        router = getattr(api_module, "router", None)
        if isinstance(router, Router):
            assert registry.resolve(config.api_router) is router, f"{config.label}: API router 未在 apps.py 中声明"


def test_every_api_route_belongs_to_a_declared_router():
    declared = {path for _, path in registry.api_routers()}
    routers = {id(registry.resolve(path)) for path in declared}
    for prefix, router in api._routers:
        assert id(router) in routers or (prefix == "" and not router.path_operations), prefix
    prefixes = [f"/api/v1{prefix}" for prefix, _ in registry.api_routers()]
    for path in api.get_openapi_schema()["paths"]:
        assert any(path == p or path.startswith(f"{p}/") for p in prefixes), path


def test_field_labels_do_not_contradict_each_other():
    seen: dict[str, str] = {}
    for config in registry.gonghui_apps():
        for field, label in config.api_field_labels.items():
            assert seen.setdefault(field, label) == label, field


def _holds_personal_data(model) -> bool:
    encrypted = getattr(crypto, "EncryptedTextField", None)
    for field in model._meta.concrete_fields:
        if field.is_relation and field.related_model._meta.label in {"members.Person", "accounts.User"}:
            return True
        if (encrypted and isinstance(field, encrypted)) or (isinstance(field, models.TextField) and
                                                            field.name.endswith("_enc")):  # fmt: skip
            return True
    return False


def test_every_model_with_personal_data_is_in_the_data_copy_or_exempt_with_a_reason():
    covered = {model for section in registry.pipl_sections() for model in section.models}
    exempt = registry.pipl_exemptions()
    gonghui_models = {m._meta.label for m in apps.get_models() if m.__module__.startswith("gonghui.")}
    personal = {m._meta.label for m in apps.get_models() if m._meta.label in gonghui_models and _holds_personal_data(m)}
    assert personal - covered - set(exempt) == set(), "个人信息模型未声明 pipl_sections 或 pipl_exempt"
    assert (covered | set(exempt)) <= gonghui_models and not covered & set(exempt)
    assert all(len(reason) >= 10 for reason in exempt.values())


def test_every_partitioned_model_carries_the_province_it_is_partitioned_by():
    """The member tables first (the others point at them); every other one an InProvince, keyed by its union."""
    from gonghui.members.models import Membership, Person
    from gonghui.orgs.provinces import InProvince

    declared = registry.partitioned_models()
    assert declared[:2] == [Person, Membership] and len(set(declared)) == len(declared)
    assert all(issubclass(model, InProvince) for model in declared[2:]), declared


def test_every_retention_category_can_be_enforced(db):
    now = dt.datetime(2026, 11, 25, tzinfo=dt.UTC)
    for category in registry.retention_categories():
        assert category.action in {"erase", "delete"} and category.default() >= 1
        assert registry.resolve(category.enforce)(cutoff=now, batch_size=10) == 0


def test_every_group_of_people_is_a_subquery_of_person_ids(cast):
    """A declared group (core.groups) names the people in it as a subquery of person ids: the kernel filters other
    apps' rows by it without knowing the app. The cast's worker is in none of them until the workforce app registers
    them as a model worker."""
    from gonghui.core import groups
    from gonghui.members.models import Person
    from gonghui.workforce.models import ModelWorker

    declared = registry.person_groups()
    assert {"model_workers", "hardship", "hardship_deep"} <= set(declared)
    assert [key for key, _ in groups.choices()] == list(declared)
    for group in declared.values():
        assert group.label and Person.objects.filter(pk__in=group.person_ids()).count() == 0
    worker = cast.users.worker.person
    assert groups.of_person(worker.pk) == set()
    ModelWorker.objects.create(org=cast.orgs.company, person=worker, employer_name="示例科技")
    assert groups.of_person(worker.pk) == {"model_workers"}
    assert list(Person.objects.filter(groups.in_any(["model_workers", "gone"], field="pk"))) == [worker]
    assert not Person.objects.filter(groups.in_any([], field="pk")).exists()
    assert groups.unknown(["model_workers", "gone"]) == ["gone"]
    assert groups.labels(["hardship", "model_workers", "gone"]) == "劳模、在档困难职工、gone"


def _schemas(annotation, found: set) -> None:
    """Every pydantic model an annotation names, nested ones and those inside list[...] / X | None included."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel) and annotation not in found:
        found.add(annotation)
        for field in annotation.model_fields.values():
            _schemas(field.annotation, found)
    for argument in typing.get_args(annotation):
        _schemas(argument, found)


def test_no_two_api_schemas_of_the_apps_share_a_name():
    """The OpenAPI document names a schema by its class name: two apps' ``PaymentOut`` would silently become one,
    and clients (and schemathesis) would check one app's responses against the other's schema."""
    found: set = set()
    for _, router in api._routers:
        for view in router.path_operations.values():
            for operation in view.operations:
                for model in [*operation.response_models.values(), *getattr(operation, "models", [])]:
                    _schemas(model, found)
    by_name: dict[str, set[str]] = {}
    for model in found:
        by_name.setdefault(model.__name__, set()).add(f"{model.__module__}.{model.__qualname__}")
    assert len(found) > 100  # the walk reached the apps' schemas
    assert {name: places for name, places in by_name.items() if len(places) > 1} == {}
