from gonghui.core.registry import GonghuiAppConfig, NavItem, WorkerTile


class PortalConfig(GonghuiAppConfig):
    name = "gonghui.portal"
    verbose_name = "职工服务"
    urls, url_prefix = "gonghui.portal.urls", "me/"
    api_router, api_prefix = "gonghui.portal.api.router", "/me"
    nav = (NavItem("我的", "portal:me", "me", "gonghui.accounts.audiences.member", order=70),)
    worker_tiles = (WorkerTile("转会：换工作后转到新的工会", "portal:transfer", order=10),)
