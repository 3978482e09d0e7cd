from gonghui.core.registry import DailyJob, Figure, GonghuiAppConfig, MessageEvent, NavItem, PiplExemption


class CasesConfig(GonghuiAppConfig):
    name = "gonghui.cases"
    verbose_name = "事项办理"
    audit_actions = {
        "case.open": "立案", "case.open_bulk": "批量立案", "case.transition": "办理事项", "case.reassign": "改派事项",
        "case.remind": "到期提醒", "case.close_bulk": "批量结案", "case.notice_publish": "发布公示",
        "case.objection_submit": "提出公示异议", "case.objection_answer": "答复公示异议",
        "case.attachment_add": "上传材料", "case.attachment_download": "下载材料",
    }  # fmt: skip
    urls, url_prefix = "gonghui.cases.urls", "cases/"
    api_router, api_prefix = "gonghui.cases.api.router", "/cases"
    api_field_labels = {"to": "目标状态", "note": "说明", "audience": "公示范围", "person_name": "姓名",
                        "unit": "单位", "decision": "拟决定事项", "text": "异议内容", "answer": "答复"}  # fmt: skip
    nav = (NavItem("事项待办", "cases:todo", "cases", "gonghui.accounts.audiences.cadre", order=25),)
    daily_jobs = (DailyJob("事项到期提醒和超期上报", "gonghui.cases.services.cases_daily", order=35),)
    pipl_exempt = (
        PiplExemption(
            "cases.Objection", "公示异议人的姓名和电话加密保存、仅审核人员可见，不与会员档案关联，无法按人查找。"
        ),
        PiplExemption("cases.CaseAttachment", "事项的证明材料属于事项本身（如困难帮扶档案），随事项办理和保存。"),
        PiplExemption(
            "cases.Case",
            "事项只存办理工会、状态、期限和不含个人信息的事由；本人的事项内容由各业务应用的"
            "副本章节提供（如入会申请、个人信息请求）。",
        ),
        PiplExemption(
            "cases.CaseStep",
            "办理记录只存经办账号、时间和状态变化，是工会的办事记录；本人事项的进展见各业务应用的副本章节。",
        ),
        PiplExemption(
            "cases.PublicNotice", "公示是办理工会发布的公开信息，只含姓名、单位和拟决定事项，不含其他个人信息。"
        ),
    )
    message_events = (
        MessageEvent("cases.action_needed", "事项需要您办理", True, "{kind}需要您办理",
                     "您提交的{kind}现在“{status}”，需要您办理。{note}{deadline}",
                     "【智慧工会】您提交的{kind}需要您办理（{status}），请登录智慧工会查看。{deadline}", order=10),
        MessageEvent("cases.deadline_near", "事项办理期限将到", True, "{kind}的办理期限将到",
                     "您提交的{kind}正等待您办理（{status}），期限是 {deadline}。",
                     "【智慧工会】您提交的{kind}须在 {deadline} 前办理，请登录智慧工会查看。", order=11),
        MessageEvent("cases.closed", "事项办结", True, "{kind}已办结：{status}",
                     "{org}已办结您提交的{kind}，结果：{status}。{note}",
                     "【智慧工会】{org}已办结您提交的{kind}，结果：{status}。详情请登录智慧工会查看。", order=12),
        MessageEvent("cases.step", "事项进展", False, "{kind}：{status}",
                     "您提交的{kind}由{org}办理，现在的状态是“{status}”。{note}",
                     "【智慧工会】您提交的{kind}现在“{status}”。", order=40),
        MessageEvent("cases.deadline_near_handler", "经办事项期限将到（工会干部）", False, "{kind}将于 {deadline} 到期",
                     "您经办的{kind}（{org}，{status}）办理期限是 {deadline}，请及时办理。", order=50),
    )  # fmt: skip
    permission_matrix = "gonghui.cases.tests.test_permissions"
    overview_figures = (
        Figure(
            "cases_overdue",
            "超期事项",
            "件",
            "gonghui.cases.selectors.overdue_total",
            order=25,
            subtree="gonghui.cases.selectors.overdue_total_under",
            per_org="gonghui.cases.selectors.overdue_total_by_org",
            url_name="cases:todo",
        ),
    )
