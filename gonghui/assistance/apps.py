from gonghui.core.registry import (
    DailyJob,
    Figure,
    GonghuiAppConfig,
    NavItem,
    PersonGroup,
    PiplExemption,
    PiplSection,
    Retention,
    WorkerTile,
)


class AssistanceConfig(GonghuiAppConfig):
    name = "gonghui.assistance"
    verbose_name = "困难职工帮扶"
    audit_actions = {
        "assistance.file_create": "建立困难职工档案", "assistance.file_step": "办理困难职工档案",
        "assistance.file_unmask": "查看帮扶档案完整信息", "assistance.files.export": "导出困难职工档案",
        "assistance.file_apply": "职工申请困难帮扶", "assistance.file_update": "修改困难职工档案",
        "assistance.report_export": "导出帮扶统计", "assistance.review_open": "发起档案复核",
        "assistance.review_decide": "作出复核结论", "assistance.allowance_set": "设定帮扶标准",
        "assistance.aid_pay": "登记帮扶发放",
    }  # fmt: skip
    urls, url_prefix = "gonghui.assistance.urls", "assistance/"
    api_router, api_prefix = "gonghui.assistance.api.router", "/assistance"
    nav = (
        NavItem(
            "困难帮扶", "assistance:list", "assistance", "gonghui.accounts.audiences.cadre", order=45, group="服务职工"
        ),
    )
    worker_tiles = (
        WorkerTile("困难帮扶", "assistance:mine", order=25, audience="gonghui.accounts.audiences.member",
                   hint="申请帮扶，查看进度", icon="帮"),
    )  # fmt: skip
    case_kinds = "gonghui.assistance.cases"
    daily_jobs = (DailyJob("困难职工档案年度复核", "gonghui.assistance.services.reviews_open", order=60),)
    pipl_sections = (
        PiplSection("困难帮扶档案", "gonghui.assistance.pipl.files_section", order=45,
                    models=("assistance.HardshipFile", "assistance.HouseholdMember", "assistance.IncomeLine",
                            "assistance.RigidExpense", "assistance.AidPayment")),
    )  # fmt: skip
    pipl_exempt = (
        PiplExemption("assistance.MinimumAllowance", "低保标准是地区的公开数据，只记录设置它的管理员账号。"),
    )
    retention = (
        # Five years after the exit (our choice, as for closed union case files): long enough for a re-entry
        # and for the audit of the aid paid.
        Retention("exited_hardship_file", "解困脱困档案中的健康、收入和账户信息", "erase",
                  "gonghui.assistance.services.exited_files_erase", order=40, default_days=1825),
    )  # fmt: skip
    demo, demo_after = "gonghui.assistance.demo.demo_load", ("members",)
    permission_matrix = "gonghui.assistance.tests.test_permissions"
    person_groups = (
        PersonGroup("hardship", "在档困难职工", "gonghui.assistance.selectors.in_file_person_ids", order=20),
        PersonGroup("hardship_deep", "深度困难职工", "gonghui.assistance.selectors.deep_person_ids", order=21),
        PersonGroup("hardship_relative", "相对困难职工", "gonghui.assistance.selectors.relative_person_ids", order=22),
        PersonGroup("hardship_accident", "意外致困职工", "gonghui.assistance.selectors.accident_person_ids", order=23),
    )
    overview_figures = (
        Figure(
            "hardship_open",
            "在档困难职工",
            "人",
            "gonghui.assistance.selectors.open_count",
            order=40,
            subtree="gonghui.assistance.selectors.open_count_under",
            per_org="gonghui.assistance.selectors.open_count_by_org",
            url_name="assistance:list",
        ),
    )
