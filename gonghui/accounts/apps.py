from gonghui.core.registry import GonghuiAppConfig, PiplExemption, Retention


class AccountsConfig(GonghuiAppConfig):
    name = "gonghui.accounts"
    verbose_name = "账号"
    audit_actions = {
        "auth.login": "登录", "auth.logout": "退出登录", "auth.locked": "登录失败次数过多，账号锁定",
        "account.create": "开设账号", "account.disable": "停用账号", "account.enable": "重新启用账号",
        "account.unlock": "解除账号锁定", "account.password_change": "修改密码",
        "account.reset": "重置账号（安全管理员）",
        "grant.set": "授予组织角色", "grant.revoke": "撤销组织授权", "policy.update": "修改安全策略",
        "token.create": "创建 API 令牌", "2fa.enrol_start": "开始绑定动态口令", "2fa.enrol": "启用两步验证",
        "2fa.verify": "两步验证", "2fa.recovery_used": "使用恢复码登录", "2fa.recovery_regenerate": "重新生成恢复码",
        "2fa.disable": "停用两步验证",
    }  # fmt: skip
    urls = "gonghui.accounts.urls"  # the sign-in and account pages, at the site's root
    permission_matrix = "gonghui.accounts.tests.test_permissions"
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
