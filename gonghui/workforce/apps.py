from gonghui.core.registry import (
    DailyJob,
    Figure,
    GonghuiAppConfig,
    NavItem,
    PersonGroup,
    PiplExemption,
    PiplSection,
    WorkerTile,
)


class WorkforceConfig(GonghuiAppConfig):
    name = "gonghui.workforce"
    verbose_name = "产业工人队伍建设"
    audit_actions = {
        "workforce.competition_create": "登记技能竞赛", "workforce.competition_update": "修改技能竞赛",
        "workforce.event_add": "增加竞赛项目",
        "workforce.entry_register": "竞赛报名", "workforce.theory_record": "登记理论成绩和用时",
        "workforce.judge_appoint": "聘任裁判", "workforce.recusal_declare": "裁判声明回避",
        "workforce.score_set": "裁判评分", "workforce.score_change": "签字后修改评分",
        "workforce.sheet_sign": "裁判签字确认评分", "workforce.event_end": "结束比赛",
        "workforce.appeal_lodge": "提出竞赛申诉", "workforce.appeal_rule": "仲裁竞赛申诉",
        "workforce.certificates_issue": "颁发竞赛证书", "workforce.certificate_download": "下载竞赛证书",
        "workforce.model_worker_add": "登记劳模", "workforce.honour_add": "登记荣誉称号",
        "workforce.care_year_open": "生成年度劳模关爱计划", "workforce.care_done": "登记劳模关爱落实",
        "workforce.round_create": "发布评选", "workforce.nomination_add": "添加推荐人选",
        "workforce.list_submit": "报送推荐名单", "workforce.nomination_advance": "办理评选推荐",
        "workforce.studio_create": "命名创新工作室", "workforce.studio_update": "修改创新工作室",
        "workforce.achievement_add": "登记工作室成果",
        "workforce.competitions.export": "导出技能竞赛", "workforce.model_workers.export": "导出劳模名册",
        "workforce.care.export": "导出劳模关爱计划", "workforce.studios.export": "导出创新工作室",
        "workforce.innovation_submit": "提交五小创新或合理化建议",
        "workforce.innovation_advance": "办理五小创新或合理化建议",
        "workforce.innovations.export": "导出五小创新和合理化建议",
        "workforce.alliance_create": "组建创新工作室联盟", "workforce.studio_evaluate": "登记工作室年度考核",
        "workforce.rest_batch_create": "组织劳模疗休养", "workforce.rest_enrol": "报名劳模疗休养",
        "workforce.rest_attendance": "登记疗休养参加情况", "workforce.rest_batches.export": "导出劳模疗休养",
        "workforce.hardship_flag": "标记劳模生活困难",
        "workforce.publicity_add": "登记先进典型宣传", "workforce.publicity_remove": "删除先进典型宣传",
        "workforce.unit_check": "核查推荐单位排除情形", "workforce.unit_check_download": "下载排除情形证明材料",
    }  # fmt: skip
    urls, url_prefix = "gonghui.workforce.urls", "workforce/"
    api_router, api_prefix = "gonghui.workforce.api.router", "/workforce"
    api_field_labels = {"theory_weight": "理论权重", "award_shares": "获奖比例", "person_ids": "选手",
                        "value": "评分", "reason": "原因", "relation": "关系", "ruling": "仲裁结论",
                        "notice_days": "公示期", "share_rules": "比例要求", "level": "层级",
                        "problem": "现状和问题", "proposal": "建议或方案"}  # fmt: skip
    nav = (NavItem("产业工人", "workforce:competitions", "workforce", "gonghui.accounts.audiences.cadre", order=55),)
    worker_tiles = (
        WorkerTile("裁判评分", "workforce:judging", order=40, audience="gonghui.workforce.audiences.judge",
                   hint="为选手评分、签字确认", icon="评"),
        WorkerTile("五小创新", "workforce:my_innovations", order=41, audience="gonghui.accounts.audiences.member",
                   hint="提交小发明小革新、合理化建议", icon="创"),
    )  # fmt: skip
    case_kinds = "gonghui.workforce.cases"
    daily_jobs = (DailyJob("劳模年度关爱计划", "gonghui.workforce.services.care_daily", order=70),)
    pipl_sections = (
        PiplSection("技能竞赛与劳模荣誉", "gonghui.workforce.pipl.workforce_section", order=70,
                    models=("workforce.Competitor", "workforce.ModelWorker", "workforce.Publicity",
                            "workforce.Nomination", "workforce.Innovation", "workforce.RestEnrolment")),
    )  # fmt: skip
    pipl_exempt = (
        PiplExemption("workforce.Judge", "裁判聘任是竞赛的岗位记录，不是裁判本人的个人信息。"),
        PiplExemption("workforce.ScoreChange", "改分记录只记下修改评分的裁判账号，是竞赛的审计记录。"),
        PiplExemption("workforce.Appeal", "申诉只记下登记和仲裁的账号，申诉人的成绩在其竞赛部分中。"),
        PiplExemption("workforce.StudioEvaluation", "工作室年度考核是对工作室的考核，只记下登记人账号。"),
        PiplExemption("workforce.UnitCheck", "排除情形核查是对推荐单位的核查，只记下核查人账号。"),
        PiplExemption("workforce.CareItem", "关爱记录只记下经办人账号；劳模本人的关爱在其劳模部分中。"),
    )  # fmt: skip
    demo, demo_after = "gonghui.workforce.demo.demo_load", ("members",)
    permission_matrix = "gonghui.workforce.tests.test_permissions"
    person_groups = (
        PersonGroup("model_workers", "劳模", "gonghui.workforce.selectors.model_worker_person_ids", order=10),
    )
    overview_figures = (
        Figure("workforce_model_workers", "劳模", "人", "gonghui.workforce.selectors.model_workers_count", order=60,
               subtree="gonghui.workforce.selectors.model_workers_count_under",
               per_org="gonghui.workforce.selectors.model_workers_per_org", url_name="workforce:model_workers"),
        Figure("workforce_studios", "创新工作室", "个", "gonghui.workforce.selectors.studios_count", order=61,
               subtree="gonghui.workforce.selectors.studios_count_under",
               per_org="gonghui.workforce.selectors.studios_per_org", url_name="workforce:studios"),
        Figure("workforce_national_studios", "全国示范性创新工作室", "个",
               "gonghui.workforce.selectors.national_studios_count", order=62,
               subtree="gonghui.workforce.selectors.national_studios_count_under",
               per_org="gonghui.workforce.selectors.national_studios_per_org", url_name="workforce:studios"),
        Figure("workforce_innovations_adopted", "本年采纳五小创新和合理化建议", "项",
               "gonghui.workforce.selectors.innovations_adopted_count", order=63,
               subtree="gonghui.workforce.selectors.innovations_adopted_count_under",
               per_org="gonghui.workforce.selectors.innovations_adopted_per_org", url_name="workforce:innovations"),
        Figure("workforce_innovations_benefit", "本年采纳建议核定年效益", "元",
               "gonghui.workforce.selectors.innovations_benefit", order=64,
               subtree="gonghui.workforce.selectors.innovations_benefit_under",
               per_org="gonghui.workforce.selectors.innovations_benefit_per_org", url_name="workforce:innovations"),
        # the plan's 劳模工匠先进典型宣传: model workers publicised at national level in 2021-2025, each once
        Figure("workforce_publicised", "先进典型宣传（全国）", "人", "gonghui.workforce.selectors.publicised_count",
               order=65, subtree="gonghui.workforce.selectors.publicised_count_under",
               per_org="gonghui.workforce.selectors.publicised_per_org",
               url_name="workforce:model_workers", url_query="publicised=on"),
    )  # fmt: skip
