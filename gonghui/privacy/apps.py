from gonghui.core.registry import GonghuiAppConfig, NavItem, PiplExemption, PiplSection, Retention, WorkerTile


class PrivacyConfig(GonghuiAppConfig):
    name = "gonghui.privacy"
    verbose_name = "个人信息保护"
    urls, url_prefix = "gonghui.privacy.urls", "privacy/"
    permission_matrix = "gonghui.privacy.tests.test_permissions"
    case_kinds = "gonghui.privacy.cases"
    nav = (NavItem("个人信息请求", "privacy:queue", "privacy", "gonghui.accounts.audiences.cadre", order=60),)
    worker_tiles = (
        WorkerTile("我的个人信息", "privacy:mine", order=30, audience="gonghui.accounts.audiences.member",
                   hint="同意记录、查阅、导出、更正、删除", icon="信"),
    )  # fmt: skip
    pipl_sections = (
        PiplSection("同意记录", "gonghui.privacy.pipl.consents_section", order=50, models=("privacy.ConsentRecord",)),
        PiplSection(
            "权利请求", "gonghui.privacy.pipl.requests_section", order=60, models=("privacy.DataSubjectRequest",)
        ),
    )
    pipl_exempt = (PiplExemption("privacy.DataExport", "个人信息副本本身（加密的导出文件），到期即删除。"),)
    retention = (
        Retention(
            "data_export",
            "个人信息导出文件",
            "delete",
            "gonghui.privacy.services.data_exports_delete",
            order=30,
            days_setting="gonghui.privacy.policy.export_keep_days",
        ),
    )
