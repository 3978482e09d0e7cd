"""gonghui.testing is for tests only: no production module imports it."""

import ast
from pathlib import Path

from django.conf import settings


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}
    return names | {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}


def test_no_production_module_imports_the_testing_package():
    package = Path(settings.BASE_DIR) / "gonghui"
    production = [p for p in package.rglob("*.py") if not {"tests", "testing"} & set(p.relative_to(package).parts)]
    assert len(production) > 50
    offenders = [str(p) for p in production if any(n.startswith("gonghui.testing") for n in _imports(p))]
    assert offenders == []
