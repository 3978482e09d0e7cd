from gonghui.core.registry import DailyJob, Figure, GonghuiAppConfig, NavItem, PiplExemption


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
    permission_matrix = "gonghui.cases.tests.test_permissions"
    overview_figures = (Figure("cases_overdue", "超期事项", "件", "gonghui.cases.selectors.overdue_total", order=25),)
