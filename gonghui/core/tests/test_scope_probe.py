"""The scope probe (issue 10, security suite): EVERY operation of the published OpenAPI schema, called by the
administrator of the sibling province (江苏) against the objects of 浙江 — path parameters filled with 浙江's
org, person, application, case, join code, roster import and export — answers 401/403/404/405/4xx, or a
success that carries none of 浙江's data. An operation added to the API is probed with no edit here; one that
is public on purpose is listed in PUBLIC with its reason."""

import json
import re

import pytest

from gonghui.api import api
from gonghui.assistance.tests.conftest import make_file
from gonghui.core.tasks import export_task
from gonghui.finance.tests.conftest import collected
from gonghui.joining.services import join_code_create
from gonghui.joining.tests.conftest import submit
from gonghui.rosters import services as roster_services
from gonghui.rosters.tests.support import HEADER, person_id, upload, xlsx
from gonghui.testing.api import ApiClient

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
    return str(targets["export_id" if name == "job_id" and "/exports/" in path else name])


def _operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [(method.upper(), path) for path, ops in schema["paths"].items() for method in ops]


@pytest.fixture
def targets(cast, settings, tmp_path) -> dict[str, int | str]:
    """浙江's objects, one of each kind a path names."""
    settings.VAR_DIR = tmp_path
    application = submit()
    job = upload(cast, xlsx({"花名册": [HEADER, ["赵六", person_id(7)]]}))
    export = roster_services.export_start(actor=cast.users.province_admin, org=cast.orgs.company)
    export_task.call(export.pk)
    funds = collected(cast)
    return {
        "org_id": cast.orgs.company.pk, "person_id": cast.members.zhang.person_id,
        "application_id": application.pk, "case_id": application.case_id,
        "code_id": join_code_create(actor=cast.users.grassroots_admin, org=cast.orgs.company, label="服务站").pk,
        "job_id": job.pk, "export_id": export.pk, "transfer_id": 1, "warning_id": 1, "payment_id": 1, "objection_id": 1,
        "file_id": make_file(cast).pk, "token": "x" * 32, "collection_id": funds.pk,
        "entry_id": funds.entries.first().pk,
    }  # fmt: skip


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
