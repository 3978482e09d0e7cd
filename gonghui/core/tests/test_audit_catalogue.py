"""The audit action catalogue (registry ``audit_actions``): every action the code writes to the audit log is
declared by its app with a Chinese label, so that the audit console never shows an internal code."""

import ast
import re
from pathlib import Path

from gonghui.cases.kinds import all_kinds
from gonghui.core import registry
from gonghui.core.lists import LISTS, cadre_list

ROOT = Path(__file__).resolve().parents[2]
CJK = re.compile(r"[\u4e00-\u9fff]")
WRITERS = {"audit_record"}


def _written_actions() -> set[str]:
    """Every literal ``action=`` of an audit_record call in the app code (not tests)."""
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        if "tests" in path.parts or "testing" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in WRITERS:
                for keyword in node.keywords:
                    if keyword.arg == "action" and isinstance(keyword.value, ast.Constant):
                        found.add(keyword.value.value)
    return found


def _literals_outside_declarations() -> set[str]:
    """Every string literal of the app code outside the apps' declarations (apps.py) and the tests."""
    found = set()
    for path in ROOT.glob("*/**/*.py"):
        if "tests" in path.parts or "testing" in path.parts or path.name == "apps.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.add(node.value)
    return found


def test_the_scan_sees_the_actions():
    assert {"member.create", "auth.login", "account.reset", "join.phone_view"} <= _written_actions()


def test_every_action_written_is_declared_with_a_chinese_label():
    catalogue = registry.audit_actions()
    missing = sorted(_written_actions() - catalogue.keys())
    assert not missing, f"undeclared audit actions (add them to the app's audit_actions): {missing}"
    assert all(CJK.search(label) for label in catalogue.values())


def test_no_declared_action_is_stale():
    """A declared action is named somewhere in the code that writes it (an ``audit_record`` call, a list's
    ``export_action``, a case kind's step): a declaration whose action is no longer written is removed with it."""
    stale = sorted(registry.audit_actions().keys() - _literals_outside_declarations())
    assert not stale, f"declared audit actions no code writes any more (remove them from audit_actions): {stale}"


def test_every_export_and_its_download_and_every_escalation_has_a_label():
    cadre_list("members.members")  # loads every app's lists
    for spec in LISTS.values():
        if spec.columns:
            assert "未登记" not in registry.audit_action_label(spec.export_action), spec.name
            assert registry.audit_action_label(f"{spec.export_action}.download").endswith("：下载文件")
    for code, kind in all_kinds().items():
        assert registry.audit_action_label(f"{code}.escalate") == f"{kind.name}：超期升级至上级工会"


def test_no_two_apps_declare_the_same_action():
    seen: dict[str, str] = {}
    for config in registry.gonghui_apps():
        for action in config.audit_actions:
            assert action not in seen, f"{action} is declared by {seen[action]} and {config.label}"
            seen[action] = config.label


def test_an_undeclared_action_shows_its_code_marked():
    assert registry.audit_action_label("no.such.action") == "no.such.action（未登记的动作）"
