from gonghui.core.registry import (
    DailyJob,
    Figure,
    GonghuiAppConfig,
    MessageEvent,
    NavItem,
    PiplSection,
    Retention,
    WorkerTile,
)

_SEL = "gonghui.activities.selectors"


class ActivitiesConfig(GonghuiAppConfig):
    name = "gonghui.activities"
    verbose_name = "活动"
    audit_actions = {
        "activities.activity_create": "发布活动", "activities.signup_create": "活动报名",
        "activities.signup_cancel": "取消活动报名", "activities.activities.export": "导出活动",
        "activities.checkin": "活动现场签到", "activities.feedback": "活动评价",
        "activities.report.export": "导出活动统计",
    }  # fmt: skip
    message_events = (
        MessageEvent("activities.promoted", "活动候补转为正式报名", True, "您已从候补转为正式报名",
                     "您报名的“{title}”有人取消，您已从候补转为正式报名。时间：{starts}，地点：{place}。"
                     "如不能参加，请及时取消，把名额留给其他职工。",
                     "【智慧工会】您报名的“{title}”已从候补转为正式报名，时间：{starts}，地点：{place}。"
                     "如不能参加请登录智慧工会取消。", order=50),
        MessageEvent("activities.feedback", "活动结束后邀请评价", False, "请评价您参加的活动",
                     "您参加的“{title}”已经结束，欢迎为本次活动打分（1-5 分）并留下意见建议，帮助工会把活动办得更好。",
                     "【智慧工会】您参加的“{title}”已结束，欢迎登录智慧工会为活动评分。", order=51),
    )  # fmt: skip
    daily_jobs = (DailyJob("活动结束后邀请评价", "gonghui.activities.services.feedback_invite", order=64),)
    overview_figures = (
        Figure("activities_events", "活动场次", "场", f"{_SEL}.events_count", order=55,
               subtree=f"{_SEL}.events_count_under", per_org=f"{_SEL}.events_count_by_org",
               url_name="activities:report"),
        Figure("activities_checkins", "活动签到人次", "人次", f"{_SEL}.checkins_count", order=56,
               subtree=f"{_SEL}.checkins_count_under", per_org=f"{_SEL}.checkins_count_by_org",
               url_name="activities:report"),
        # an average: it does not add up over the tree, so no per-org shares (the rollup asks each org's subtree)
        Figure("activities_satisfaction", "活动平均满意度", "分", f"{_SEL}.satisfaction", order=57,
               subtree=f"{_SEL}.satisfaction_under", held_by="activities.Activity",
               url_name="activities:report"),
    )  # fmt: skip
    urls, url_prefix = "gonghui.activities.urls", "activities/"
    api_router, api_prefix = "gonghui.activities.api.router", "/activities"
    api_field_labels = {"token": "二维码", "rating": "满意度", "comment": "评价意见"}
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
