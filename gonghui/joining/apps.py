from gonghui.core.registry import Figure, GonghuiAppConfig, NavItem, PiplExemption, PiplSection


class JoiningConfig(GonghuiAppConfig):
    name = "gonghui.joining"
    verbose_name = "网上入会"
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
