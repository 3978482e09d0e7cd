from gonghui.core.registry import GonghuiAppConfig, MessageEvent, NavItem, PiplSection, Retention, WorkerTile


class ActivitiesConfig(GonghuiAppConfig):
    name = "gonghui.activities"
    verbose_name = "活动"
    audit_actions = {
        "activities.activity_create": "发布活动", "activities.signup_create": "活动报名",
        "activities.signup_cancel": "取消活动报名", "activities.activities.export": "导出活动",
    }  # fmt: skip
    message_events = (
        MessageEvent("activities.promoted", "活动候补转为正式报名", True, "您已从候补转为正式报名",
                     "您报名的“{title}”有人取消，您已从候补转为正式报名。时间：{starts}，地点：{place}。"
                     "如不能参加，请及时取消，把名额留给其他职工。",
                     "【智慧工会】您报名的“{title}”已从候补转为正式报名，时间：{starts}，地点：{place}。"
                     "如不能参加请登录智慧工会取消。", order=50),
    )  # fmt: skip
    urls, url_prefix = "gonghui.activities.urls", "activities/"
    api_router, api_prefix = "gonghui.activities.api.router", "/activities"
    nav = (
        NavItem(
            "活动", "activities:list", "activities", "gonghui.accounts.audiences.cadre", order=49, group="服务职工"
        ),
    )
    worker_tiles = (
        WorkerTile(
            "活动报名",
            "activities:mine",
            order=16,
            audience="gonghui.accounts.audiences.member",
            hint="春送岗位、夏送清凉、金秋助学、冬送温暖",
            icon="活",
        ),
    )
    pipl_sections = (
        PiplSection("活动报名", "gonghui.activities.pipl.signups_section", order=61, models=("activities.SignUp",)),
    )
    retention = (
        Retention("activity_signup", "活动报名记录（谁参加了什么活动）", "delete",
                  "gonghui.activities.services.signups_delete", order=61,
                  days_setting="gonghui.activities.policy.signup_keep_days"),
    )  # fmt: skip
    demo, demo_after = "gonghui.activities.demo.demo_load", ("members", "venues")
    permission_matrix = "gonghui.activities.tests.test_permissions"
