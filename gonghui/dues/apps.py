from gonghui.core.registry import DailyJob, Figure, GonghuiAppConfig, NavItem, PiplExemption, PiplSection, WorkerTile


class DuesConfig(GonghuiAppConfig):
    name = "gonghui.dues"
    verbose_name = "会费"
    audit_actions = {
        "dues.base_set": "设定缴费基数", "dues.base_set_bulk": "批量设定缴费基数", "dues.rate_set": "设定会费比例",
        "dues.pay": "登记缴费", "dues.pay_batch": "批量登记缴费", "dues.reverse": "冲正缴费记录",
    }  # fmt: skip
    urls, url_prefix = "gonghui.dues.urls", "dues/"
    api_router, api_prefix = "gonghui.dues.api.router", "/dues"
    nav = (NavItem("会费", "dues:org", "dues", "gonghui.accounts.audiences.cadre", order=40, group="组织与会员"),)
    worker_tiles = (
        WorkerTile("会费", "dues:mine", order=20, audience="gonghui.accounts.audiences.member",
                   hint="每月缴纳明细和欠缴", icon="费"),
    )  # fmt: skip
    daily_jobs = (DailyJob("会费汇总（上月和本月）", "gonghui.dues.services.rollups_refresh_recent", order=40),)
    pipl_sections = (
        PiplSection("会费缴纳记录", "gonghui.dues.pipl.payments_section", order=40, models=("dues.DuesPayment",)),
        PiplSection("缴费基数", "gonghui.dues.pipl.wage_bases_section", order=41, models=("dues.WageBase",)),
    )
    pipl_exempt = (
        PiplExemption("dues.DuesRate", "会费比例是各省的规定，只记录设置它的干部账号，不含职工的个人信息。"),
    )
    partitioned_models = ("dues.DuesPayment", "dues.WageBase")  # a payment a member a month: the biggest table
    demo = "gonghui.dues.demo.demo_load"
    demo_after = ("members",)
    permission_matrix = "gonghui.dues.tests.test_permissions"
    overview_figures = (
        Figure(
            "dues_paid",
            "本月会费",
            "元",
            "gonghui.dues.selectors.month_paid_total",
            order=30,
            subtree="gonghui.dues.selectors.month_paid_total_under",
            per_org="gonghui.dues.selectors.month_paid_total_by_org",
            url_name="dues:org",
            org_param="org",
        ),
        Figure(
            "dues_arrears",
            "欠缴会费",
            "元",
            "gonghui.dues.selectors.month_arrears_total",
            order=31,
            subtree="gonghui.dues.selectors.month_arrears_total_under",
            per_org="gonghui.dues.selectors.month_arrears_total_by_org",
            url_name="dues:org",
            org_param="org",
        ),
    )

    def ready(self):
        from gonghui.dues import services
        from gonghui.members import signals

        # a join, exit, transfer or retirement moves the rollup of the unions that held the member (decision 0046)
        signals.membership_changes.connect(services.membership_changes, dispatch_uid="dues.rollup")
