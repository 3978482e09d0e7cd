from gonghui.core.registry import DailyJob, GonghuiAppConfig, NavItem


class GovernanceConfig(GonghuiAppConfig):
    name = "gonghui.governance"
    verbose_name = "智慧治理"
    audit_actions = {
        "governance.target_create": "设定规划目标", "governance.target_split": "分解规划目标",
        "governance.risk_weights_set": "设定劳动关系风险权重",
    }  # fmt: skip
    urls, url_prefix = "gonghui.governance.urls", "governance/"
    api_router, api_prefix = "gonghui.governance.api.router", "/governance"
    nav = (NavItem("一屏总览", "governance:home", "governance", "gonghui.accounts.audiences.cadre", order=5),)
    daily_jobs = (DailyJob("一屏总览月度汇总", "gonghui.governance.rollup.daily_rollup", order=90),)
    demo, demo_after = "gonghui.governance.demo.demo_load", ("*",)  # the rollups sum every app's demo
    permission_matrix = "gonghui.governance.tests.test_permissions"
