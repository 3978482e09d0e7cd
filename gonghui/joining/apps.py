from gonghui.core.registry import Figure, GonghuiAppConfig, NavItem, PiplExemption, PiplSection


class JoiningConfig(GonghuiAppConfig):
    name = "gonghui.joining"
    verbose_name = "网上入会"
    audit_actions = {
        "join.submit": "提交入会申请", "join.withdraw": "撤回入会申请", "join.accept": "受理入会",
        "join.reject": "退回入会申请", "join.reassign": "改派入会申请", "join.phone_view": "查看入会申请人电话",
        "join.code_send": "发送入会验证码", "join.code_verify": "核对入会验证码", "join.code_create": "生成入会二维码",
        "join.code_deactivate": "停用入会二维码", "join.todo.export": "导出入会审核待办",
        "join.codes.export": "导出入会二维码",
    }  # fmt: skip
    urls, url_prefix = "gonghui.joining.urls", "join/"
    api_router, api_prefix = "gonghui.joining.api.router", "/join"
    api_field_labels = {"verification": "验证令牌", "join_code": "入会二维码"}
    nav = (
        NavItem("入会审核", "joining:todo", "joining", "gonghui.accounts.audiences.cadre", order=30),
        NavItem("我的入会申请", "joining:mine", "me", "gonghui.accounts.audiences.applicant", order=71),
    )
    case_kinds = "gonghui.joining.cases"  # overdue applications escalate through the cases' daily job
    pipl_sections = (
        PiplSection(
            "入会申请", "gonghui.joining.pipl.applications_section", order=30, models=("joining.JoinApplication",)
        ),
    )
    pipl_exempt = (
        PiplExemption("joining.JoinCode", "入会二维码只记录生成它的工会干部账号，不含职工的个人信息。"),
        PiplExemption(
            "joining.PhoneVerification", "短信验证码的一次性记录（手机号加密），几分钟内失效，验证后不再使用。"
        ),
        PiplExemption("joining.PhoneLogin", "手机号登录的账号绑定，手机号已在个人信息和入会申请中给出。"),
    )
    demo = "gonghui.joining.demo.demo_load"
    demo_after = ("members",)
    permission_matrix = "gonghui.joining.tests.test_permissions"
    overview_figures = (
        Figure("join_pending", "待办入会申请", "份", "gonghui.joining.selectors.open_application_count", order=20),
    )
