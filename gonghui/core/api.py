"""The API's error shapes: every error body is ``{"detail": <one Chinese sentence>, "errors": {<field>:
[<messages>]}}`` (``errors`` only on 400). Request validation errors from the schemas are translated here,
so a client sees the same shape and language whether a value failed a schema or a service rule. The
Chinese names of the fields come from the apps' ``api_field_labels`` declarations (gonghui.core.registry)."""

import logging
import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import Http404
from django.http.multipartparser import MultiPartParserError
from ninja import Field, NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError, Throttled
from ninja.errors import ValidationError as SchemaValidationError

from gonghui.core import health
from gonghui.core.audit import refusal_recorded
from gonghui.core.errors import ConflictError

logger = logging.getLogger(__name__)


class ErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")
    errors: dict[str, list[str]] | None = Field(None, description="按字段列出的错误（仅 400）")


ERRORS = {400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut}

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


def install_error_handlers(api: NinjaAPI, field_labels: dict[str, str]) -> None:
    """Every exception an endpoint may raise becomes the one error shape, in Chinese."""

    def respond(request, body: dict, status: int):
        return api.create_response(request, body, status=status)

    @api.exception_handler(ValidationError)
    def on_validation_error(request, exc: ValidationError):
        errors = _messages(exc)
        return respond(request, {"detail": next(iter(errors.values()))[0], "errors": errors}, 400)

    @api.exception_handler(SchemaValidationError)
    def on_schema_error(request, exc: SchemaValidationError):
        errors: dict[str, list[str]] = {}
        for error in exc.errors:
            messages = errors.setdefault(schema_field(error), [])
            if (message := schema_message(error)) not in messages:
                messages.append(message)
        field, messages = next(iter(errors.items()))
        detail = messages[0] if field == "__all__" else f"{field_labels.get(field, field)}：{messages[0]}"
        return respond(request, {"detail": detail, "errors": errors}, 400)

    @api.exception_handler(Http404)
    def on_not_found(request, exc):
        return respond(request, {"detail": "资源不存在。"}, 404)

    @api.exception_handler(PermissionDenied)
    def on_denied(request, exc):
        refusal_recorded(exc)  # a refusal rolled back with its service's transaction is recorded again
        return respond(request, {"detail": str(exc) or "没有权限。"}, 403)

    @api.exception_handler(ConflictError)
    def on_conflict(request, exc: ConflictError):
        return respond(request, {"detail": exc.message}, 409)

    @api.exception_handler(AuthenticationError)
    def on_unauthenticated(request, exc):
        return respond(request, {"detail": "未登录或令牌无效、已过期，请重新获取令牌。"}, 401)

    @api.exception_handler(Throttled)
    def on_throttled(request, exc: Throttled):
        response = respond(request, {"detail": "请求过于频繁，请稍后再试。"}, 429)
        if exc.wait:
            response["Retry-After"] = str(max(1, int(exc.wait)))
        return response

    @api.exception_handler(MultiPartParserError)
    def on_bad_multipart(request, exc):
        return respond(request, {"detail": "上传的请求体不是有效的 multipart/form-data。"}, 400)

    @api.exception_handler(HttpError)
    def on_http_error(request, exc: HttpError):
        message = exc.message
        if exc.status_code == 400 and message.startswith("Cannot parse request body"):
            message = "请求体不是有效的 JSON。"
        return respond(request, {"detail": message}, exc.status_code)

    @api.exception_handler(DatabaseError)
    def on_database_error(request, exc: DatabaseError):
        if not isinstance(exc, OperationalError | InterfaceError):
            return on_server_error(request, exc)
        response = respond(request, {"detail": health.database_dropped(request, exc)}, 503)
        response["Retry-After"] = "30"
        return response

    @api.exception_handler(Exception)
    def on_server_error(request, exc: Exception):
        logger.exception("API 请求出错：%s %s", request.method, request.path)
        return respond(request, {"detail": "服务器内部错误，请稍后重试。"}, 500)
