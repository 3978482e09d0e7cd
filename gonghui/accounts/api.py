"""Bearer-token authentication for /api/v1 and the endpoint that issues tokens."""

import datetime as dt

from django.contrib.auth import authenticate
from django.utils import timezone
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from gonghui.accounts import lockout, policy, services, two_factor
from gonghui.accounts.models import ApiToken
from gonghui.core.api import ErrorOut
from gonghui.core.ratelimit import rate_limit

LAST_USED_PRECISION = dt.timedelta(minutes=1)


class TokenAuth(HttpBearer):
    def authenticate(self, request, token: str):
        row = (
            ApiToken.objects.select_related("user")
            .filter(digest=ApiToken.digest_of(token), expires_at__gt=timezone.now(), user__is_active=True)
            .first()
        )
        if row is None:
            return None
        now = timezone.now()
        if row.last_used_at is None or now - row.last_used_at > LAST_USED_PRECISION:  # not a write per call
            ApiToken.objects.filter(pk=row.pk).update(last_used_at=now)
        request.user = row.user
        return row.user


router = Router(tags=["认证"])


class TokenIn(Schema):
    username: str
    password: str
    name: str = "API"
    otp: str = ""  # TOTP code or recovery code, required for accounts with two-factor sign-in


class TokenOut(Schema):
    token: str
    expires_at: str


@router.post(
    "/token",
    auth=None,
    response={200: TokenOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 429: ErrorOut},
    summary="用账号密码换取 API 令牌",
)
@rate_limit(scope="login", limit=policy.LOGIN_RATE_LIMIT, window_seconds=60)  # shared with the sign-in page, per IP
def issue_token(request, payload: TokenIn):
    user = authenticate(request, username=payload.username, password=payload.password)
    if user is None:
        if lockout.is_locked(payload.username):  # the same answer whether or not the account exists
            raise HttpError(401, lockout.locked_message())
        raise HttpError(401, "用户名或密码错误。")
    if policy.password_expired(user):  # 等保 mode: no new token until the password is changed
        raise HttpError(403, "密码已过期，请先登录网站修改密码后再申请令牌。")
    if two_factor.device_of(user) is not None:  # two-factor sign-in (docs/security.md §5)
        if not payload.otp.strip():
            two_factor.verify_failure_record(user=user, channel="api")
            raise HttpError(401, "此账号已启用两步验证，请在 otp 字段提供动态口令或恢复码。")
        if two_factor.code_verify(user=user, code=payload.otp, channel="api") is None:
            raise HttpError(401, "动态口令或恢复码不正确，或已被使用。")
    elif two_factor.required_for(user):
        raise HttpError(403, "此账号必须使用两步验证，请先登录网站完成动态口令绑定后再申请令牌。")
    token, raw = services.token_create(actor=user, name=payload.name)
    return TokenOut(token=raw, expires_at=token.expires_at.isoformat())
