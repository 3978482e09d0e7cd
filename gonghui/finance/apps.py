from gonghui.core.registry import DailyJob, Figure, GonghuiAppConfig, MessageEvent, NavItem, PiplExemption, Retention

_ACCOUNT_ONLY = "只记录经办干部的账号（制单、登记、结账），不含职工的个人信息。"


class FinanceConfig(GonghuiAppConfig):
    name = "gonghui.finance"
    verbose_name = "工会财务"
    audit_actions = {
        "finance.account.add": "增设明细科目", "finance.entry.post": "记账", "finance.entry.reverse": "红字冲销凭证",
        "finance.period.close": "月末结账", "finance.year.close": "年终结转", "finance.rule.set": "设定经费分成比例",
        "finance.declaration.record": "登记工资总额申报", "finance.collection.record": "登记经费收缴",
        "finance.collection.reverse": "冲销经费收缴",
        "finance.collection.batch": "批量登记经费收缴", "finance.import.upload": "上传收缴明细",
        "finance.import.commit": "确认导入收缴明细", "finance.import.done": "收缴明细导入完成",
        "finance.dues.post": "会费收入记账",
        "finance.budget.set": "编制预算", "finance.asset.acquire": "登记固定资产",
        "finance.asset.use_set": "设置资产使用单位和阵地",
        "finance.depreciation.post": "计提折旧", "finance.entries.export": "导出记账凭证",
        "finance.collections.export": "导出经费收缴", "finance.arrears.export": "导出欠缴经费",
        "finance.assets.export": "导出固定资产", "finance.spending.submit": "提交经费支出",
        "finance.spending.decide": "审批经费支出", "finance.spending.export": "导出经费支出",
        "finance.asset.move_submit": "申请资产调拨或处置", "finance.asset.move_decide": "审批资产调拨或处置",
        "finance.reserve.return": "返还建会筹备金", "finance.arrears.remind": "提醒欠缴经费",
        "finance.payment_order.pdf": "生成支付令申请材料", "finance.balances.rebuild": "重算月度发生额",
        "finance.counterparties.export": "导出往来单位余额",
    }  # fmt: skip
    case_kinds = "gonghui.finance.cases"  # 经费支出审批
    urls, url_prefix = "gonghui.finance.urls", "finance/"
    api_router, api_prefix = "gonghui.finance.api.router", "/finance"
    nav = (NavItem("财务", "finance:home", "finance", "gonghui.accounts.audiences.cadre", order=47),)
    daily_jobs = (
        DailyJob("会费收入记账（上月和本月）", "gonghui.finance.services.dues_post_last_month", order=45),
        DailyJob("固定资产计提折旧（上月）", "gonghui.finance.services.depreciation_monthly", order=46),
        DailyJob("欠缴经费提醒（每月一次）", "gonghui.finance.services.arrears_remind", order=47),
    )
    retention = (
        # 90 days: long enough to look again at what a dry run refused and to resume a commit; the collections,
        # entries and the import's record stay.
        Retention("finance_import_file", "收缴导入上传的税务代收明细、收缴台账文件", "erase",
                  "gonghui.finance.imports.files_expire", order=55, default_days=90),
    )  # fmt: skip
    message_events = (
        MessageEvent(
            "finance.arrears",
            "欠缴工会经费提醒",
            False,
            "{org}有欠缴的工会经费",
            "{org}有 {employers} 家单位欠缴工会经费，合计 {owed} 元。请催缴；拒不缴纳的，"
            "可生成支付令申请材料向人民法院申请支付令（工会法第四十四条）。",
        ),
    )
    pipl_exempt = tuple(
        PiplExemption(f"finance.{model}", _ACCOUNT_ONLY)
        for model in (
            "Period",
            "Entry",
            "SharingRule",
            "FundDeclaration",
            "Collection",
            "Budget",
            "FixedAsset",
            "Spending",
            "AssetMove",
            "ReserveReturn",
            "ArrearsReminder",
            "CollectionImport",
        )
    )
    demo, demo_after = "gonghui.finance.demo.demo_load", ("members", "dues", "venues")
    permission_matrix = "gonghui.finance.tests.test_permissions"
    overview_figures = (
        Figure(
            "finance_collected",
            "本年经费收缴",
            "元",
            "gonghui.finance.selectors.year_collected_yuan",
            order=50,
            subtree="gonghui.finance.selectors.year_collected_yuan_under",
            per_org="gonghui.finance.selectors.year_collected_yuan_by_org",
            url_name="finance:collections",
            org_param="org",
        ),
        Figure(
            "finance_arrears",
            "欠缴经费",
            "元",
            "gonghui.finance.selectors.arrears_yuan",
            order=51,
            subtree="gonghui.finance.selectors.arrears_yuan_under",
            per_org="gonghui.finance.selectors.arrears_yuan_by_org",
            url_name="finance:arrears",
            org_param="org",
        ),
    )
