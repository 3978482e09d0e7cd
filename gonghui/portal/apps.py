from gonghui.core.registry import GonghuiAppConfig, NavItem, WorkerTile


class PortalConfig(GonghuiAppConfig):
    name = "gonghui.portal"
    verbose_name = "职工服务"
    urls, url_prefix = "gonghui.portal.urls", "me/"
    permission_matrix = "gonghui.portal.tests.test_permissions"
    api_router, api_prefix = "gonghui.portal.api.router", "/me"
    nav = (NavItem("我的", "portal:me", "me", "gonghui.accounts.audiences.worker", order=70),)
    worker_tiles = (
        WorkerTile("会员证", "portal:card", order=5, audience="gonghui.members.selectors.has_active_membership",
                   hint="电子证和核验二维码", icon="证"),
        WorkerTile("转会", "portal:transfer", order=10, audience="gonghui.members.selectors.has_active_membership",
                   hint="换工作后转到新的工会"),
    )  # fmt: skip
