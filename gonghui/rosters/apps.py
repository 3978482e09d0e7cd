from gonghui.core.registry import DailyJob, GonghuiAppConfig, NavItem, PiplExemption

KEPT_BRIEFLY = (
    "花名册文件和导入问题行是干部的工作文件，按花名册保存期限到期自动删除；其中的会员信息已在个人信息和会籍中给出。"
)


class RostersConfig(GonghuiAppConfig):
    name = "gonghui.rosters"
    verbose_name = "花名册"
    audit_actions = {
        "roster.import.upload": "上传花名册", "roster.import.batch": "导入花名册（一批）",
        "roster.import.commit": "确认导入花名册", "roster.import.done": "花名册导入完成",
        "roster.import.errors_download": "下载花名册错误行", "roster.export": "导出会员花名册",
        "roster.imports.export": "导出花名册导入记录", "roster.import.remap": "调整花名册列对应",
    }  # fmt: skip
    urls, url_prefix = "gonghui.rosters.urls", "rosters/"
    api_router, api_prefix = "gonghui.rosters.api.router", "/rosters"
    nav = (
        NavItem(
            "花名册", "rosters:imports", "rosters", "gonghui.accounts.audiences.cadre", order=50, group="组织与会员"
        ),
    )
    daily_jobs = (DailyJob("花名册文件到期删除", "gonghui.rosters.services.roster_files_expire_daily", order=50),)
    pipl_exempt = tuple(PiplExemption(f"rosters.{model}", KEPT_BRIEFLY) for model in ("ImportJob", "ImportIssue"))
    pipl_exempt += (PiplExemption("rosters.ColumnMapping", "工会自己的花名册表头名称及其对应项目，不含个人信息。"),)
    demo, demo_after = "gonghui.rosters.demo.demo_load", ("members",)
    permission_matrix = "gonghui.rosters.tests.test_permissions"
