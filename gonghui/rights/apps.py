from gonghui.core.registry import (
    DailyJob,
    Figure,
    GonghuiAppConfig,
    MessageEvent,
    NavItem,
    PiplExemption,
    PiplSection,
    Retention,
    WorkerTile,
)


class RightsConfig(GonghuiAppConfig):
    name = "gonghui.rights"
    verbose_name = "职工诉求与法律援助"
    audit_actions = {
        "rights.request_file": "提交职工诉求", "rights.request_accept": "受理职工诉求",
        "rights.request_reply": "答复职工诉求", "rights.request_close": "办结职工诉求",
        "rights.request_reassign": "改派职工诉求", "rights.request_rate": "职工评价诉求办理",
        "rights.request_follow_up": "职工继续反映诉求", "rights.request_reopen": "职工申请重新办理诉求",
        "rights.group_form": "形成群体诉求", "rights.group_representatives": "确定群体诉求代表",
        "rights.requests.export": "导出职工诉求", "rights.legal.export": "导出法律援助案件",
        "rights.legal_open": "法律援助案件立案", "rights.legal_milestone": "记录案件进展",
        "rights.legal_close": "法律援助案件结案", "rights.legal_view": "查看案件当事人和案情",
    }  # fmt: skip
    urls, url_prefix = "gonghui.rights.urls", "rights/"
    api_router, api_prefix = "gonghui.rights.api.router", "/rights"
    api_field_labels = {"category": "诉求类别", "description": "诉求内容", "anonymous": "匿名"}  # fmt: skip
    nav = (
        NavItem("职工诉求", "rights:list", "rights", "gonghui.accounts.audiences.cadre", order=47, group="维权与民主"),
    )
    worker_tiles = (
        WorkerTile("我要维权", "rights:mine", order=22, audience="gonghui.accounts.audiences.member",
                   hint="欠薪、合同、工伤等诉求，工会答复", icon="权"),
    )  # fmt: skip
    message_events = (
        MessageEvent("rights.accepted", "诉求已受理", False, "您的诉求已受理",
                     "{org}已受理您关于“{category}”的诉求，将于 {deadline} 前答复。",
                     "【智慧工会】{org}已受理您的诉求，请登录智慧工会查看进展。", order=70),
        MessageEvent("rights.replied", "诉求答复", True, "工会答复了您的诉求",
                     "{org}答复了您关于“{category}”的诉求：{text}",
                     "【智慧工会】{org}已答复您的诉求，请登录智慧工会查看。", order=71),
        MessageEvent("rights.closed", "诉求办结", False, "您的诉求已办结",
                     "{org}已办结您关于“{category}”的诉求。如仍有问题，可在办结后规定期限内申请重新办理。", order=72),
        MessageEvent("rights.legal_assigned", "法律援助案件指派", True, "您被指派承办一件案件",
                     "{org}指派您承办{kind}案件（{employer}），请及时联系当事人。",
                     "【智慧工会】{org}指派您承办一件{kind}案件，请登录智慧工会查看。", order=73),
        MessageEvent("rights.clock_near", "法定时限临近", True, "案件法定时限临近",
                     "{employer}案件的{clock}将于 {due} 届满（还有 {days} 日），请及时办理。",
                     "【智慧工会】您承办的案件{clock}将于 {due} 届满，请登录智慧工会查看。", order=74),
    )  # fmt: skip
    case_kinds = "gonghui.rights.cases"
    daily_jobs = (DailyJob("法律援助案件时限提醒", "gonghui.rights.services.clocks_remind", order=65),)
    pipl_sections = (
        PiplSection("职工诉求与法律援助", "gonghui.rights.pipl.requests_section", order=47,
                    models=("rights.RightsRequest", "rights.RequestReply", "rights.LegalCase")),
    )  # fmt: skip
    pipl_exempt = (
        PiplExemption("rights.LegalMilestone", "记录人是承办案件的工作人员的工作记录，不含当事人的个人信息。"),
    )
    retention = (
        # Five years after closure (our choice, as for the union's other closed case files).
        Retention("closed_rights_request", "已办结职工诉求的内容、答复和来电人", "erase",
                  "gonghui.rights.services.closed_requests_erase", order=47, default_days=1825),
        # Ten years after closure: legal aid files are kept as the lawyers' case files are (our choice).
        Retention("closed_legal_case", "已结案法律援助案件的当事人、请求事项和案情", "erase",
                  "gonghui.rights.services.closed_legal_erase", order=48, default_days=3650),
    )  # fmt: skip
    demo, demo_after = "gonghui.rights.demo.demo_load", ("members",)
    permission_matrix = "gonghui.rights.tests.test_permissions"
    overview_figures = (
        Figure(
            "rights_open",
            "未办结职工诉求",
            "件",
            "gonghui.rights.selectors.open_requests",
            order=60,
            subtree="gonghui.rights.selectors.open_requests_under",
            per_org="gonghui.rights.selectors.open_requests_by_org",
            url_name="rights:list",
        ),
        Figure(
            "rights_overdue",
            "超期未答复诉求",
            "件",
            "gonghui.rights.selectors.overdue_requests",
            order=61,
            subtree="gonghui.rights.selectors.overdue_requests_under",
            per_org="gonghui.rights.selectors.overdue_requests_by_org",
            url_name="rights:list",
        ),
        Figure(
            "rights_legal_open",
            "在办法律援助案件",
            "件",
            "gonghui.rights.selectors.open_legal_cases",
            order=62,
            subtree="gonghui.rights.selectors.open_legal_cases_under",
            per_org="gonghui.rights.selectors.open_legal_cases_by_org",
            url_name="rights:legal_list",
        ),
    )
