from gonghui.core.registry import DailyJob, Figure, GonghuiAppConfig, NavItem, PiplExemption

_ACCOUNT_ONLY = "只记录经办干部的账号（制单、登记、结账），不含职工的个人信息。"


class FinanceConfig(GonghuiAppConfig):
    name = "gonghui.finance"
    verbose_name = "工会财务"
    urls, url_prefix = "gonghui.finance.urls", "finance/"
    api_router, api_prefix = "gonghui.finance.api.router", "/finance"
    nav = (NavItem("财务", "finance:home", "finance", "gonghui.accounts.audiences.cadre", order=48),)
    daily_jobs = (
        DailyJob("会费收入记账（上月和本月）", "gonghui.finance.services.dues_post_last_month", order=45),
        DailyJob("固定资产计提折旧（上月）", "gonghui.finance.services.depreciation_monthly", order=46),
    )
    pipl_exempt = tuple(
        PiplExemption(f"finance.{model}", _ACCOUNT_ONLY)
        for model in ("Period", "Entry", "SharingRule", "FundDeclaration", "Collection", "Budget", "FixedAsset")
    )
    demo, demo_after = "gonghui.finance.demo.demo_load", ("members", "dues")
    permission_matrix = "gonghui.finance.tests.test_permissions"
    overview_figures = (
        Figure("finance_collected", "本年经费收缴", "元", "gonghui.finance.selectors.year_collected_yuan", order=50),
        Figure("finance_arrears", "欠缴经费", "元", "gonghui.finance.selectors.arrears_yuan", order=51),
    )
