"""The NinjaAPI at /api/v1: mounts each app's router; bearer-token auth; errors in Chinese.

Every error body is ``{"detail": <one Chinese sentence>, "errors": {<field>: [<messages>]}}`` (``errors``
only on 400). Request validation errors from the schemas are translated here, so a client sees the
same shape and language whether a value failed a schema or a service rule."""

import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaValidationError

from gonghui.accounts.api import TokenAuth
from gonghui.accounts.api import router as accounts_router
from gonghui.cases.api import router as cases_router
from gonghui.core.errors import ConflictError
from gonghui.dues.api import router as dues_router
from gonghui.joining.api import router as joining_router
from gonghui.members.api import router as members_router
from gonghui.orgs.api import router as orgs_router
from gonghui.portal.api import router as portal_router
from gonghui.rosters.api import router as rosters_router

logger = logging.getLogger(__name__)

api = NinjaAPI(
    title="工会 Gonghui API",
    version="1.0.0",
    description="智慧工会平台开放接口。使用 `Authorization: Bearer <令牌>` 认证（令牌由 `POST /api/v1/auth/token` "
    "签发）；超出授权范围的数据一律返回 404；个人信息一律脱敏返回，完整信息仅经审计的查看接口提供。",
    auth=TokenAuth(),
    urls_namespace="api",
    # Swagger UI from ninja's own static files ("ninja" in INSTALLED_APPS); no online validator badge.
    docs=Swagger(settings={"validatorUrl": None}),
)

# Pydantic error types and the Chinese sentence for each; ``{...}`` are filled from the error's context.
SCHEMA_MESSAGES = {
    "missing": "此项为必填项。",
    "string_type": "应为文本。",
    "string_too_short": "至少需要 {min_length} 个字符。",
    "string_too_long": "最多 {max_length} 个字符。",
    "string_pattern_mismatch": "格式不正确。",
    "int_type": "应为整数。",
    "int_parsing": "应为整数。",
    "int_from_float": "应为整数。",
    "bool_type": "应为 true 或 false。",
    "bool_parsing": "应为 true 或 false。",
    "date_type": "应为日期（格式 YYYY-MM-DD）。",
    "date_parsing": "应为日期（格式 YYYY-MM-DD）。",
    "date_from_datetime_parsing": "应为日期（格式 YYYY-MM-DD）。",
    "date_from_datetime_inexact": "应为日期（格式 YYYY-MM-DD）。",
    "enum": "无效的选项，可选值：{expected}。",
    "literal_error": "无效的选项，可选值：{expected}。",
    "greater_than": "应大于 {gt}。",
    "greater_than_equal": "不能小于 {ge}。",
    "less_than": "应小于 {lt}。",
    "less_than_equal": "不能大于 {le}。",
    "extra_forbidden": "不支持此字段。",
    "json_invalid": "请求体不是有效的 JSON。",
    "model_type": "应为 JSON 对象。",
    "model_attributes_type": "应为 JSON 对象。",
    "dict_type": "应为 JSON 对象。",
    "list_type": "应为列表。",
}
# Chinese names of the fields, for the one-sentence ``detail``; ``errors`` keeps the field names themselves.
FIELD_LABELS = {
    "name": "姓名或名称", "id_number": "身份证号码", "phone": "手机号码", "org_id": "工会", "parent_id": "上级工会",
    "parent": "上级", "org_type": "组织类型", "region_code": "所在地区", "employer_name": "单位名称",
    "employer_uscc": "单位统一社会信用代码", "uscc": "统一社会信用代码", "founded_on": "成立日期", "status": "状态",
    "leadership": "领导机构", "term_years": "任期", "term_started_on": "任期开始日期", "ethnicity": "民族",
    "education": "学历", "employment_form": "就业形态", "gender": "性别", "is_migrant": "是否农民工",
    "job_title": "岗位", "joined_on": "入会日期", "card_number": "会员证号", "version": "版本号", "q": "查询词",
    "limit": "每页条数", "offset": "跳过条数", "username": "用户名", "password": "密码",
    "verification": "验证令牌", "code": "验证码", "join_code": "入会二维码", "reason": "原因", "label": "名称",
}  # fmt: skip
# Names of the handler parameters that hold a whole schema; they are not part of a field's name.
SCHEMA_PARAMS = {"payload", "filters"}


def schema_message(error: dict) -> str:
    kind = error.get("type", "")
    if kind == "value_error":
        return str(error.get("ctx", {}).get("error", "")) or "输入的值无效。"
    template = SCHEMA_MESSAGES.get(kind)
    if template is None:
        return "输入的值无效。"
    ctx = error.get("ctx", {})
    if "expected" in ctx:
        expected = str(ctx["expected"]).replace(" or ", " 或 ")
        if len(expected) > 200:  # 56 ethnicities are too many to list in a message
            return "不是有效的选项。"
        ctx = {**ctx, "expected": expected}
    try:
        return template.format(**ctx)
    except (KeyError, IndexError):
        return template.split("{")[0].rstrip("：，") + "。"


UNION_TAG = re.compile(r"^[a-z-]+\[.*\]$")  # pydantic names the member of a union that failed: "literal['']"


def schema_field(error: dict) -> str:
    loc = [str(part) for part in error.get("loc", ())][1:]  # drop "body" / "query" / "path"
    loc = [part for part in loc if not UNION_TAG.match(part)]
    if loc and loc[0] in SCHEMA_PARAMS:
        loc = loc[1:]
    return ".".join(loc) or "__all__"


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"__all__": exc.messages}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = _messages(exc)
    first = next(iter(errors.values()))[0]
    return api.create_response(request, {"detail": first, "errors": errors}, status=400)


@api.exception_handler(SchemaValidationError)
def on_schema_error(request, exc: SchemaValidationError):
    errors: dict[str, list[str]] = {}
    for error in exc.errors:
        messages = errors.setdefault(schema_field(error), [])
        if (message := schema_message(error)) not in messages:
            messages.append(message)
    field, messages = next(iter(errors.items()))
    detail = messages[0] if field == "__all__" else f"{FIELD_LABELS.get(field, field)}：{messages[0]}"
    return api.create_response(request, {"detail": detail, "errors": errors}, status=400)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "资源不存在。"}, status=404)


@api.exception_handler(PermissionDenied)
def on_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "没有权限。"}, status=403)


@api.exception_handler(ConflictError)
def on_conflict(request, exc: ConflictError):
    return api.create_response(request, {"detail": exc.message}, status=409)


@api.exception_handler(AuthenticationError)
def on_unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效、已过期，请重新获取令牌。"}, status=401)


@api.exception_handler(Throttled)
def on_throttled(request, exc):
    return api.create_response(request, {"detail": "请求过于频繁，请稍后再试。"}, status=429)


@api.exception_handler(MultiPartParserError)
def on_bad_multipart(request, exc):
    return api.create_response(request, {"detail": "上传的请求体不是有效的 multipart/form-data。"}, status=400)


@api.exception_handler(HttpError)
def on_http_error(request, exc: HttpError):
    message = exc.message
    if exc.status_code == 400 and message.startswith("Cannot parse request body"):
        message = "请求体不是有效的 JSON。"
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(Exception)
def on_server_error(request, exc: Exception):
    logger.exception("API 请求出错：%s %s", request.method, request.path)
    return api.create_response(request, {"detail": "服务器内部错误，请稍后重试。"}, status=500)


api.add_router("/auth", accounts_router)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)
api.add_router("/me", portal_router)
api.add_router("/join", joining_router)
api.add_router("/rosters", rosters_router)
api.add_router("/dues", dues_router)
api.add_router("/cases", cases_router)
