"""The NinjaAPI at /api/v1: bearer-token auth, each Gonghui app's declared router at its prefix, and the
one error shape in Chinese (gonghui.core.api)."""

from ninja import NinjaAPI, Swagger

from gonghui.accounts.api import TokenAuth
from gonghui.core import registry
from gonghui.core.api import install_error_handlers

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
install_error_handlers(api, registry.api_field_labels())
for prefix, router in registry.api_routers():
    api.add_router(prefix, router)
