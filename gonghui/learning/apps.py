from gonghui.core.registry import Figure, GonghuiAppConfig, NavItem, PiplExemption, PiplSection, Retention, WorkerTile


class LearningConfig(GonghuiAppConfig):
    name = "gonghui.learning"
    verbose_name = "学习积分"
    audit_actions = {
        "learning.course_create": "登记课程培训", "learning.completion_record": "登记结业记录",
        "learning.completions_import": "导入结业记录", "learning.checkin": "读书打卡",
        "learning.certificate_download": "下载结业证书",
        "learning.courses.export": "导出课程培训", "learning.completions.export": "导出结业记录",
        "learning.checkins.export": "导出读书打卡", "learning.report.export": "导出学习情况",
    }  # fmt: skip
    urls, url_prefix = "gonghui.learning.urls", "learning/"
    api_router, api_prefix = "gonghui.learning.api.router", "/learning"
    api_field_labels = {"minutes": "阅读时长", "venue_id": "职工书屋"}
    nav = (NavItem("学习积分", "learning:courses", "learning", "gonghui.accounts.audiences.cadre", order=56,
                   group="服务职工"),)  # fmt: skip
    worker_tiles = (
        WorkerTile("学习积分", "learning:me", order=14, audience="gonghui.accounts.audiences.member",
                   hint="我的课程、读书打卡和学分", icon="学"),
    )  # fmt: skip
    pipl_sections = (
        PiplSection("学习积分（结业记录和读书打卡）", "gonghui.learning.pipl.learning_section", order=65,
                    models=("learning.Completion", "learning.CheckIn")),
    )  # fmt: skip
    pipl_exempt = (PiplExemption("learning.Course", "课程培训是工会的工作记录，只记录登记课程的工作人员账号。"),)
    retention = (
        Retention("learning_checkin", "读书打卡记录（读了什么、多长时间、心得）", "delete",
                  "gonghui.learning.services.checkins_delete", order=65,
                  days_setting="gonghui.learning.policy.checkin_keep_days"),
    )  # fmt: skip
    demo, demo_after = "gonghui.learning.demo.demo_load", ("members", "venues")
    permission_matrix = "gonghui.learning.tests.test_permissions"
    overview_figures = (
        Figure("learning_learners", "本年参学职工", "人", "gonghui.learning.selectors.learners_this_year", order=75,
               subtree="gonghui.learning.selectors.learners_this_year_under", url_name="learning:report",
               held_by="learning.Completion"),
        Figure("learning_course_credits", "本年课程学分", "分", "gonghui.learning.selectors.course_credits_this_year",
               order=76, subtree="gonghui.learning.selectors.course_credits_this_year_under",
               per_org="gonghui.learning.selectors.course_credits_this_year_by_org", url_name="learning:report"),
        Figure("learning_reading_credits", "本年读书学分", "分", "gonghui.learning.selectors.reading_credits_this_year",
               order=77, subtree="gonghui.learning.selectors.reading_credits_this_year_under",
               per_org="gonghui.learning.selectors.reading_credits_this_year_by_org", url_name="learning:checkins"),
        Figure("learning_readers", "本年电子书屋读者", "人", "gonghui.learning.selectors.readers_this_year",
               order=78, subtree="gonghui.learning.selectors.readers_this_year_under", url_name="learning:checkins",
               held_by="learning.CheckIn"),
    )  # fmt: skip
