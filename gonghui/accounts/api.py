"""Bearer-token authentication for /api/v1 and the endpoint that issues tokens."""

from django.contrib.auth import authenticate
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from gonghui.accounts import services
from gonghui.accounts.models import ApiToken


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = "API"


class TokenOut(Schema):
    token: str
    expires_at: str


class ErrorOut(Schema):
    detail: str


@router.post("/token", auth=None, response={200: TokenOut, 401: ErrorOut}, summary="用账号密码换取 API 令牌")
def issue_token(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        raise HttpError(401, "用户名或密码错误。")
    token, raw = services.token_create(actor=user, name=payload.name)
    return {"token": raw, "expires_at": token.expires_at.isoformat()}
