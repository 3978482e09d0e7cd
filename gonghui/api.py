"""The NinjaAPI at /api/v1: mounts each app's router; bearer-token auth; errors in Chinese."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI

from gonghui.accounts.api import TokenAuth, router as accounts_router
from gonghui.core.errors import ConflictError
from gonghui.members.api import router as members_router
from gonghui.orgs.api import router as orgs_router

api = NinjaAPI(
    title="工会 Gonghui API",
    version="1.0.0",
    description="智慧工会平台开放接口。使用 `Authorization: Bearer <令牌>` 认证；超出授权范围的数据一律返回 404。",
    auth=TokenAuth(),
    urls_namespace="api",
)


def _messages(exc: ValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return {field: [m for e in errors for m in e.messages] for field, errors in exc.error_dict.items()}
    return {"__all__": exc.messages}


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    errors = _messages(exc)
    first = next(iter(errors.values()))[0]
    return api.create_response(request, {"detail": first, "errors": errors}, status=400)


@api.exception_handler(Http404)
def on_not_found(request, exc):
    return api.create_response(request, {"detail": "资源不存在。"}, status=404)


@api.exception_handler(PermissionDenied)
def on_denied(request, exc):
    return api.create_response(request, {"detail": str(exc) or "没有权限。"}, status=403)


@api.exception_handler(ConflictError)
def on_conflict(request, exc: ConflictError):
    return api.create_response(request, {"detail": exc.message}, status=409)


api.add_router("/auth", accounts_router)
api.add_router("/orgs", orgs_router)
api.add_router("/members", members_router)
