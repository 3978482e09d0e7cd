from gonghui.core.registry import (
    Figure,
    GonghuiAppConfig,
    MessageEvent,
    NavItem,
    PiplExemption,
    PiplSection,
    WorkerTile,
)


class JoiningConfig(GonghuiAppConfig):
    name = "gonghui.joining"
    verbose_name = "网上入会"
    audit_actions = {
        "join.submit": "提交入会申请", "join.withdraw": "撤回入会申请", "join.accept": "受理入会",
        "join.reject": "退回入会申请", "join.reassign": "改派入会申请", "join.phone_view": "查看入会申请人电话",
        "join.code_send": "发送入会验证码", "join.code_verify": "核对入会验证码", "join.code_create": "生成入会二维码",
        "join.code_deactivate": "停用入会二维码", "join.todo.export": "导出入会审核待办",
        "join.codes.export": "导出入会二维码", "account.password_reset_sms": "凭短信验证码重设密码",
        "auth.login_sms": "短信验证码登录",
    }  # fmt: skip
    urls, url_prefix = "gonghui.joining.urls", "join/"
    api_router, api_prefix = "gonghui.joining.api.router", "/join"
    api_field_labels = {"verification": "验证令牌", "join_code": "入会二维码"}
    nav = (
        NavItem(
            "入会审核", "joining:todo", "joining", "gonghui.accounts.audiences.cadre", order=30, group="组织与会员"
        ),
        NavItem("我的入会申请", "joining:mine", "me", "gonghui.accounts.audiences.applicant", order=71),
    )
    worker_tiles = (
        WorkerTile("入会申请", "joining:mine", order=1, audience="gonghui.accounts.audiences.applicant",
                   hint="办理进度和结果", icon="入"),
        WorkerTile("再次申请入会", "joining:again", order=2, audience="gonghui.joining.selectors.can_apply_again",
                   hint="修改工作信息后重新提交", icon="申"),
    )  # fmt: skip
    message_events = (
        MessageEvent("joining.accepted", "入会申请通过", True, "入会申请已通过",
                     "{org}已受理您的入会申请，您已成为工会会员，会员证号 {card}。点“我的”可出示电子会员证。",
                     "【智慧工会】{org}已通过您的入会申请，会员证号 {card}。登录智慧工会即可出示电子会员证。", order=1),
        MessageEvent("joining.rejected", "入会申请退回", True, "入会申请被退回",
                     "{org}退回了您的入会申请，原因：{reason}。您可以修改工作信息后再次申请。",
                     "【智慧工会】{org}退回了您的入会申请，原因：{reason}。可登录智慧工会再次申请。", order=2),
    )  # fmt: skip
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
        Figure(
            "join_pending",
            "待办入会申请",
            "份",
            "gonghui.joining.selectors.open_application_count",
            order=20,
            subtree="gonghui.joining.selectors.open_application_count_under",
            per_org="gonghui.joining.selectors.open_application_count_by_org",
            url_name="joining:todo",
        ),
    )
