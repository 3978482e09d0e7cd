from gonghui.core.registry import GonghuiAppConfig, PiplExemption, Retention


class AccountsConfig(GonghuiAppConfig):
    name = "gonghui.accounts"
    verbose_name = "账号"
    urls = "gonghui.accounts.urls"  # the sign-in and account pages, at the site's root
    api_router, api_prefix = "gonghui.accounts.api.router", "/auth"
    api_field_labels = {"username": "用户名", "password": "密码", "code": "验证码"}
    retention = (
        # Lockout only looks back 30 minutes; the audit log (≥ 184 days) keeps the security record.
        Retention(
            "login_failure",
            "登录失败记录",
            "delete",
            "gonghui.accounts.lockout.login_failures_delete",
            order=20,
            default_days=180,
        ),
    )
    pipl_exempt = tuple(
        PiplExemption(
            f"accounts.{model}",
            "账号的登录和安全数据（授权、令牌、会话、两步验证），由账号本人在账号页面管理，不属于会员个人信息副本。",
        )
        for model in ("User", "Grant", "ApiToken", "UserSession", "TotpDevice", "RecoveryCode")
    )

    def ready(self):
        from gonghui.accounts import signals  # noqa: F401
