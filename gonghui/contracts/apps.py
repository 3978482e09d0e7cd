from gonghui.core.registry import DailyJob, Figure, GonghuiAppConfig, MessageEvent, NavItem


class ContractsConfig(GonghuiAppConfig):
    name = "gonghui.contracts"
    verbose_name = "集体合同"
    audit_actions = {
        "contracts.contract_create": "登记集体合同",
        "contracts.contract_adopt": "记录职代会审议集体合同",
        "contracts.contract_sign": "记录集体合同签订",
        "contracts.contract_file": "记录集体合同报送审查",
        "contracts.contract_objection": "登记集体合同审查意见",
        "contracts.contract_end": "终止集体合同",
        "contracts.text_attach": "上传集体合同文本",
        "contracts.text_download": "下载集体合同文本",
        "contracts.contracts.export": "导出集体合同",
    }
    urls, url_prefix = "gonghui.contracts.urls", "contracts/"
    api_router, api_prefix = "gonghui.contracts.api.router", "/contracts"
    api_field_labels = {
        "level": "层级",
        "kind": "种类",
        "title": "名称",
        "union_party": "工会方",
        "union_rep": "工会方首席代表",
        "employer_party": "企业方",
        "employer_rep": "企业方首席代表",
        "employers_covered": "覆盖企业数",
        "workers_covered": "覆盖职工人数",
        "wage_increase_pct": "工资增长幅度",
        "minimum_wage": "最低工资标准",
        "renews_id": "续订的合同",
    }
    nav = (
        NavItem(
            "集体合同", "contracts:list", "contracts", "gonghui.accounts.audiences.cadre", order=46, group="维权与民主"
        ),
    )
    message_events = (
        MessageEvent(
            "contracts.renewal_due",
            "集体合同续订提醒",
            False,
            "集体合同将于三个月内期满",
            "{org}的《{title}》将于{expires}期满。请在期满前向对方提出续订要求，开展集体协商。",
            "【智慧工会】{org}的《{title}》将于{expires}期满，请及时开展续订协商。",
            order=55,
        ),
    )
    daily_jobs = (
        DailyJob("集体合同生效和期满", "gonghui.contracts.services.contracts_settle", order=62),
        DailyJob("集体合同续订提醒", "gonghui.contracts.services.renewals_remind", order=63),
    )
    demo, demo_after = "gonghui.contracts.demo.demo_load", ("members",)
    permission_matrix = "gonghui.contracts.tests.test_permissions"
    overview_figures = (
        Figure(
            "contracts_effective",
            "生效集体合同",
            "份",
            "gonghui.contracts.selectors.effective_count",
            order=60,
            subtree="gonghui.contracts.selectors.effective_count_under",
            per_org="gonghui.contracts.selectors.effective_count_by_org",
            url_name="contracts:list",
        ),
        Figure(
            "contracts_workers",
            "集体合同覆盖职工",
            "人",
            "gonghui.contracts.selectors.workers_covered",
            order=61,
            subtree="gonghui.contracts.selectors.workers_covered_under",
            held_by="contracts.Contract",
            url_name="contracts:coverage",
            org_param="org",
        ),
        Figure(
            "contracts_lapsed",
            "期满未续订集体合同",
            "份",
            "gonghui.contracts.selectors.lapsed_count",
            order=62,
            subtree="gonghui.contracts.selectors.lapsed_count_under",
            per_org="gonghui.contracts.selectors.lapsed_count_by_org",
            url_name="contracts:list",
        ),
    )
