from gonghui.core.registry import DailyJob, Figure, GonghuiAppConfig, MessageEvent, NavItem, PiplExemption, PiplSection


class FundReviewConfig(GonghuiAppConfig):
    name = "gonghui.fundreview"
    label = "fundreview"
    verbose_name = "经费审查"
    audit_actions = {
        "fundreview.officer.record": "登记工会负责人或财务人员", "fundreview.committee.create": "组建经费审查委员会",
        "fundreview.member.add": "增补经费审查委员会委员", "fundreview.member.remove": "经费审查委员会委员退出",
        "fundreview.plan.create": "制定审查计划", "fundreview.plan.complete": "完成审查",
        "fundreview.finding.record": "记录审查发现的问题", "fundreview.rectification.respond": "报送整改情况",
        "fundreview.rectification.close": "整改销号或退回", "fundreview.rectification.overdue": "整改逾期提醒",
        "fundreview.report.issue": "签发年度审查工作报告",
        "fundreview.report.download": "下载年度审查工作报告", "fundreview.findings.export": "导出审查发现的问题",
        "fundreview.plans.export": "导出审查计划",
    }  # fmt: skip
    case_kinds = "gonghui.fundreview.cases"  # 经费审查问题整改
    urls, url_prefix = "gonghui.fundreview.urls", "fundreview/"
    api_router, api_prefix = "gonghui.fundreview.api.router", "/fundreview"
    nav = (NavItem("经费审查", "fundreview:home", "fundreview", "gonghui.accounts.audiences.cadre", order=48),)
    message_events = (
        MessageEvent("fundreview.overdue", "经费审查整改逾期", False, "经费审查问题整改已逾期",
                     "{org}的审查问题“{title}”整改期限为{deadline}，现已逾期，请尽快整改并报送整改情况。", order=80),
    )  # fmt: skip
    daily_jobs = (
        DailyJob("经费审查整改逾期提醒", "gonghui.fundreview.services.rectifications_overdue_remind", order=47),
    )
    pipl_sections = (
        PiplSection("经费审查委员会任职", "gonghui.fundreview.pipl.posts_section", order=48,
                    models=("fundreview.CommitteeMember", "fundreview.Officer")),
    )  # fmt: skip
    pipl_exempt = tuple(
        PiplExemption(f"fundreview.{model}", "只记录经办干部的账号（登记、报送、确认、签发），不含职工的个人信息。")
        for model in ("Committee", "Plan", "Finding", "Report")
    )
    demo, demo_after = "gonghui.fundreview.demo.demo_load", ("finance",)
    permission_matrix = "gonghui.fundreview.tests.test_permissions"
    overview_figures = (
        Figure("fundreview_open", "未销号整改问题", "个", "gonghui.fundreview.selectors.open_rectifications", order=52,
               subtree="gonghui.fundreview.selectors.open_rectifications_under",
               per_org="gonghui.fundreview.selectors.open_rectifications_by_org", url_name="fundreview:findings",
               org_param="org"),
        Figure("fundreview_closure", "本年整改销号率", "%", "gonghui.fundreview.selectors.closure_rate", order=53,
               subtree="gonghui.fundreview.selectors.closure_rate_under", url_name="fundreview:findings",
               held_by="fundreview.Finding",
               org_param="org"),
    )  # fmt: skip
