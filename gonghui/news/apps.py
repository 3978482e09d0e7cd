from gonghui.core.registry import (
    Figure,
    GonghuiAppConfig,
    NavItem,
    PiplExemption,
    PiplSection,
    Retention,
    WorkerTile,
)


class NewsConfig(GonghuiAppConfig):
    name = "gonghui.news"
    verbose_name = "资讯通知"
    audit_actions = {
        "news.article_create": "撰写资讯通知", "news.article_update": "修改资讯通知草稿",
        "news.article_step": "资讯通知审核发布（提交、通过、退回、撤回）", "news.article_pin": "资讯置顶或取消置顶",
        "news.receipt_confirm": "确认阅读通知", "news.articles.export": "导出资讯通知",
        "news.comment_create": "发表评论", "news.comment_moderate": "审核评论",
        "news.moderation_set": "设置评论审核方式",
        "news.word_add": "添加评论敏感词", "news.word_remove": "删除评论敏感词",
        "news.question_create": "录入竞赛题目", "news.question_import": "导入竞赛题目",
        "news.contest_create": "创建知识竞赛", "news.attempt_submit": "知识竞赛交卷",
        "news.contest_update": "修改知识竞赛（开始前）", "news.question_update": "修改竞赛题目",
        "news.contest_results.export": "导出知识竞赛成绩", "news.image_add": "资讯插入图片",
        "news.talk_create": "登记宣讲或班组学习", "news.talk_material_add": "上传宣讲材料",
        "news.talk_material_download": "下载宣讲材料", "news.talk_checkin": "宣讲签到",
        "news.talks.export": "导出宣讲与班组学习",
    }  # fmt: skip
    urls, url_prefix = "gonghui.news.urls", "news/"
    api_router, api_prefix = "gonghui.news.api.router", "/news"
    api_field_labels = {"publish_at": "定时发布时间", "receipt_required": "需要阅读回执", "targets": "选定的下属工会"}
    nav = (NavItem("资讯通知", "news:list", "news", "gonghui.accounts.audiences.cadre", order=55),)
    worker_tiles = (
        WorkerTile(
            "资讯通知",
            "news:feed",
            order=12,
            audience="gonghui.accounts.audiences.member",
            hint="各级工会的通知和资讯",
            icon="讯",
        ),
        WorkerTile(
            "知识竞赛",
            "news:quizzes",
            order=13,
            audience="gonghui.accounts.audiences.member",
            hint="答题赢排名，学法学规",
            icon="赛",
        ),
        WorkerTile(
            "宣讲学习",
            "news:my_talks",
            order=14,
            audience="gonghui.accounts.audiences.member",
            hint="送教到基层、班组学习，现场签到",
            icon="讲",
        ),
    )
    pipl_sections = (
        PiplSection("资讯通知阅读记录", "gonghui.news.pipl.readings_section", order=62, models=("news.Reading",)),
        PiplSection(
            "资讯评论和点赞", "gonghui.news.pipl.comments_section", order=63, models=("news.Comment", "news.Like")
        ),
        PiplSection(
            "知识竞赛答题记录",
            "gonghui.news.pipl.attempts_section",
            order=64,
            models=("news.Attempt", "news.AttemptQuestion"),
        ),
        PiplSection("宣讲签到记录", "gonghui.news.pipl.talks_section", order=65, models=("news.TalkAttendance",)),
    )
    pipl_exempt = (
        PiplExemption("news.Article", "资讯通知是工会的工作记录，只记录撰稿和审核的工作人员账号。"),
        PiplExemption(
            "news.ArticleImage",
            "资讯配图是工会发布的宣传素材，随资讯的发布范围公开；上传时去掉照片中的位置等元数据，加密保存。",
        ),
        PiplExemption("news.Talk", "宣讲和班组学习是工会的工作记录；主讲人（劳模或宣讲人）的姓名随宣讲向会员公开。"),
        PiplExemption("news.TalkMaterial", "宣讲材料是工会的宣传教育资料，加密保存，下载留痕。"),
        PiplExemption("news.Question", "竞赛题库是工会的工作资料，不含个人信息。"),
        PiplExemption("news.Contest", "知识竞赛是工会的工作记录，只记录创建竞赛的工作人员账号。"),
    )
    retention = (
        Retention("news_reading", "资讯通知阅读记录（谁读了哪条通知）", "delete",
                  "gonghui.news.services.readings_delete", order=62,
                  days_setting="gonghui.news.policy.reading_keep_days"),
        Retention("news_attempt", "知识竞赛答题记录（谁答了哪些题、得分）", "delete",
                  "gonghui.news.contest_services.attempts_delete", order=63,
                  days_setting="gonghui.news.policy.attempt_keep_days"),
        Retention("news_talk_attendance", "宣讲和班组学习签到记录", "delete",
                  "gonghui.news.talk_services.attendance_delete", order=64,
                  days_setting="gonghui.news.policy.attendance_keep_days"),
    )  # fmt: skip
    case_kinds = "gonghui.news.cases"
    demo, demo_after = "gonghui.news.demo.demo_load", ("members", "activities", "workforce")
    permission_matrix = "gonghui.news.tests.test_permissions"
    overview_figures = (
        Figure(
            "news_published",
            "本年发布资讯通知",
            "条",
            "gonghui.news.selectors.published_this_year",
            order=70,
            subtree="gonghui.news.selectors.published_this_year_under",
            per_org="gonghui.news.selectors.published_this_year_by_org",
            url_name="news:list",
        ),
        Figure(
            "news_read_rate",
            "通知阅读率",
            "%",
            "gonghui.news.selectors.read_rate",
            order=71,
            subtree="gonghui.news.selectors.read_rate_under",
            held_by="news.Article",
            url_name="news:list",
        ),
        Figure(
            "news_talks",
            "本年宣讲和班组学习",
            "场",
            "gonghui.news.talk_selectors.talks_this_year",
            order=72,
            subtree="gonghui.news.talk_selectors.talks_this_year_under",
            per_org="gonghui.news.talk_selectors.talks_this_year_by_org",
            url_name="news:talks",
        ),
    )
