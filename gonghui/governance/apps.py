from gonghui.core.registry import DailyJob, GonghuiAppConfig, MessageEvent, NavItem, PiplExemption, Retention


class GovernanceConfig(GonghuiAppConfig):
    name = "gonghui.governance"
    verbose_name = "智慧治理"
    audit_actions = {
        "governance.target_create": "设定规划目标", "governance.target_split": "分解规划目标",
        "governance.risk_weights_set": "设定劳动关系风险权重",
        "governance.opinion_push": "推送舆论条目", "governance.opinion_word_set": "设定舆论情感词",
        "governance.opinion_import": "导入舆论条目", "governance.year_report_generate": "生成统计年报",
        "governance.year_report_download": "下载统计年报",
    }  # fmt: skip
    urls, url_prefix = "gonghui.governance.urls", "governance/"
    api_router, api_prefix = "gonghui.governance.api.router", "/governance"
    nav = (NavItem("一屏总览", "governance:home", "governance", "gonghui.accounts.audiences.cadre", order=5),)
    message_events = (
        MessageEvent("governance.risk_alert", "劳动关系风险预警", True, "劳动关系风险预警：{name}",
                     "{name}的劳动关系风险分为 {score}，已达到预警阈值。原因：{reasons}。"
                     "请及时核查处置，处置后在事项中填写说明并关闭。"),
        MessageEvent("governance.opinion_spike", "负面舆情突增", True, "{org}负面舆情突增",
                     "{day} {org}的负面舆论条目 {count} 条，明显高于前 28 日平均（{mean} 条），请及时关注。"),
    )  # fmt: skip
    daily_jobs = (
        DailyJob("网上舆论采集与突增预警", "gonghui.governance.services.opinion_ingest", order=85),
        DailyJob("一屏总览月度汇总", "gonghui.governance.rollup.daily_rollup", order=90),
        DailyJob("劳动关系风险预警", "gonghui.governance.services.risk_alerts_raise", order=92),
    )
    case_kinds = "gonghui.governance.cases"
    pipl_exempt = (
        PiplExemption("governance.YearReport", "统计年报只含统计数字；生成人是岗位职责的记录（谁生成了年报），"
                      "不是关于其本人的个人信息。"),
        PiplExemption("governance.YearReportJob", "统计年报生成任务只记录申请人账号（岗位职责的记录）、进度和统计数字，"
                      "不是关于其本人的个人信息。"),
    )  # fmt: skip
    retention = (
        Retention("opinion_item", "网上舆论条目（已脱敏的诉求、评论、推送和导入文本）", "delete",
                  "gonghui.governance.services.opinion_items_delete", order=85,
                  days_setting="gonghui.governance.policy.opinion_keep_days"),
    )  # fmt: skip
    demo, demo_after = "gonghui.governance.demo.demo_load", ("*",)  # the rollups sum every app's demo
    permission_matrix = "gonghui.governance.tests.test_permissions"

    def ready(self):
        from gonghui.core import figures
        from gonghui.governance.rollup import mark_dirty

        figures.watch_sources()
        figures.figures_touched.connect(mark_dirty, dispatch_uid="governance.rollup")
