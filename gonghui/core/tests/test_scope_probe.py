"""The scope probe (issue 10, security suite): EVERY operation of the published OpenAPI schema, called by the
administrator of the sibling province (江苏) against the objects of 浙江 — path parameters filled with the
objects each app declares for it (``probe_targets(cast)`` in its permission matrix module: gonghui.testing.
matrix) — answers 401/403/404/405/4xx, or a success that carries none of 浙江's data. An operation added to the
API is probed with no edit here, and fails by name when no app declares its path parameter; one that is public
on purpose is listed in PUBLIC with its reason."""

import json
import re
from types import SimpleNamespace

import pytest

from gonghui.api import api
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import probe_targets

pytestmark = pytest.mark.security

# 浙江's names, as any body that leaked them would hold them (the sibling's own tree is 江苏/南京).
ZHEJIANG = ("张伟", "李娜", "赵强", "浙江", "杭州", "西湖", "西溪", "3301", "135****7777", "花名册")
PUBLIC = {  # operation -> why a 200 for anyone signed in (or no one) is right
    "GET /api/v1/orgs/regions": "行政区划是公开的参考数据",
    "POST /api/v1/auth/token": "登录",
    "POST /api/v1/join/phone/code": "入会：任何人可获取验证码",
    "POST /api/v1/join/phone/verify": "入会：核对验证码",
    "POST /api/v1/join/applications": "入会：任何人可申请",
    "GET /api/v1/members/cards/verify": "电子会员证核验：只答有效与否",
    "GET /api/v1/dues/policy": "会费标准是全国统一的公开规则",
    "GET /api/v1/cases/notices/{token}": "公示：凭公示链接公开",
    "POST /api/v1/cases/notices/{token}/objections": "公示异议：凭公示链接提出",
}


def _text(response) -> str:
    """The body as text, JSON unescaped (names come as \\uXXXX otherwise)."""
    try:
        return json.dumps(response.json(), ensure_ascii=False)
    except ValueError:
        return response.content.decode()


def _target(targets: dict, path: str, name: str) -> str:
    """The value for the path parameter ``name`` of ``path``: the longest declared key that is a fragment of the
    path naming it (``"/exports/{job_id}"``), else the one declared for the name."""
    fragments = [key for key in targets if f"{{{name}}}" in key and key in path]
    key = max(fragments, key=len) if fragments else name
    if key not in targets:
        pytest.fail(f"{path}: no app declares a scope-probe target for {{{name}}}: add it to probe_targets(cast) in "
                    "the permission matrix module of the app that owns that kind of object")  # fmt: skip
    return str(targets[key])


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


@pytest.fixture
def targets(cast, settings, tmp_path) -> dict[str, int | str]:
    """浙江's objects, one of each kind a path names, as the apps declare them."""
    settings.VAR_DIR = tmp_path
    return probe_targets(cast)


def test_every_api_operation_refuses_the_sibling_province(cast, targets):
    client = ApiClient()
    headers = {"HTTP_AUTHORIZATION": f"Bearer {client.token(cast.users.sibling_admin)}"}
    probed, leaks = [], []
    for method, path in _operations():
        key = f"{method} {path}"
        url = re.sub(r"\{(\w+)\}", lambda m, p=path: _target(targets, p, m.group(1)), path)
        url += f"?org_id={targets['org_id']}&parent={targets['org_id']}" if method == "GET" else ""
        response = client.client.generic(method, url, "{}", content_type="application/json", **headers)
        probed.append(key)
        if key in PUBLIC or response.status_code >= 400:
            continue
        if response.streaming:  # a file (an export, an error file): another province's file is a leak whole
            leaks.append(f"{key} → {response.status_code}: a file")
            continue
        body = _text(response)
        found = [word for word in ZHEJIANG if word in body]
        if found:
            leaks.append(f"{key} → {response.status_code}: {found} in {body[:200]}")
    assert len(probed) == len(_operations()) > 60
    assert not leaks, "\n".join(leaks)
    assert set(PUBLIC) <= set(probed)  # no stale exemption


def test_every_declared_target_is_aimed_at(cast, targets):
    """No stale declaration: each key names a parameter (or a path fragment) of some API operation."""
    paths = {path for _, path in _operations()}
    assert [key for key in targets if not any(f"{{{key}}}" in p or ("/" in key and key in p) for p in paths)] == []


def test_a_parameter_no_app_declares_fails_the_probe_by_name():
    """An app that adds an API path parameter and forgets its probe target: the probe fails, naming it."""
    targets = {"job_id": 1, "/exports/{job_id}": 2}
    assert _target(targets, "/api/v1/rosters/exports/{job_id}", "job_id") == "2"
    assert _target(targets, "/api/v1/rosters/imports/{job_id}", "job_id") == "1"
    with pytest.raises(pytest.fail.Exception, match=r"\{widget_id\}"):
        _target(targets, "/api/v1/widgets/{widget_id}", "widget_id")


def test_two_apps_declaring_one_target_is_an_error(cast, monkeypatch):
    from gonghui.testing import matrix

    one, other = (
        SimpleNamespace(probe_targets=lambda cast: {"org_id": 1}),
        SimpleNamespace(probe_targets=lambda cast: {"org_id": 2}),
    )
    monkeypatch.setattr(matrix, "app_matrices", lambda: [("orgs", one), ("widgets", other)])
    with pytest.raises(AssertionError, match="orgs and widgets"):
        probe_targets(cast)
