from gonghui.core.registry import GonghuiAppConfig, NavItem, PiplExemption, PiplSection, Retention, WorkerTile


class PrivacyConfig(GonghuiAppConfig):
    name = "gonghui.privacy"
    verbose_name = "个人信息保护"
    audit_actions = {
        "privacy.consent.give": "同意个人信息处理", "privacy.consent.withdraw": "撤回个人信息处理同意",
        "privacy.request.create": "提出个人信息请求", "privacy.request.start": "开始办理个人信息请求",
        "privacy.request.complete": "办结个人信息请求", "privacy.request.refuse": "拒绝个人信息请求",
        "privacy.requests.export": "导出个人信息请求", "privacy.export.download": "下载个人信息副本",
        "privacy.person.anonymise": "匿名化个人信息", "privacy.retention.rule": "设定保存期限",
        "privacy.retention.enforce": "按保存期限清除", "privacy.key_rotation.start": "开始轮换加密密钥",
        "privacy.key_rotation.complete": "完成加密密钥轮换",
    }  # fmt: skip
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
