from gonghui.core.registry import GonghuiAppConfig, NavItem

AUDIENCES = "gonghui.accounts.audiences"


class ConsoleConfig(GonghuiAppConfig):
    name = "gonghui.console"
    verbose_name = "三员管理台"
    audit_actions = {
        "audit.export": "导出审计日志", "calendar.set": "设置节假日调整", "calendar.delete": "删除节假日调整",
    }  # fmt: skip
    urls, url_prefix = "gonghui.console.urls", "console/"
    permission_matrix = "gonghui.console.tests.test_console_permissions"
    nav = (
        NavItem("账号管理", "console:accounts", "console", f"{AUDIENCES}.system_admin", order=80),
        NavItem("授权与安全策略", "console:grants", "console", f"{AUDIENCES}.security_admin", order=81),
        NavItem("审计日志", "console:audit", "console", f"{AUDIENCES}.audit_admin", order=82),
    )
