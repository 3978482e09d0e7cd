from gonghui.core.registry import (
    DailyJob,
    Figure,
    GonghuiAppConfig,
    MessageEvent,
    NavItem,
    PiplExemption,
    PiplSection,
    Retention,
    WorkerTile,
)


class DemocracyConfig(GonghuiAppConfig):
    name = "gonghui.democracy"
    verbose_name = "民主管理"
    audit_actions = {
        "democracy.congress_create": "建立职代会", "democracy.term_create": "建立职代会届次",
        "democracy.representative_add": "登记职工代表", "democracy.sitting_create": "筹备职代会会议",
        "democracy.sitting_open": "职代会开幕", "democracy.sitting_close": "职代会闭会",
        "democracy.checkin": "代表签到", "democracy.ballot_create": "提出表决事项",
        "democracy.ballot_open": "开始表决", "democracy.vote": "代表无记名投票",
        "democracy.ballot_close": "无记名投票计票", "democracy.hands_record": "登记举手表决结果",
        "democracy.ballot_publish": "公布表决结果", "democracy.congresses.export": "导出职代会名单",
        "democracy.proposal_submit": "代表提出提案", "democracy.proposal_cosign": "代表确认附议提案",
        "democracy.proposal_review": "审查职代会提案", "democracy.proposal_assign": "交办职代会提案",
        "democracy.proposal_handled": "登记提案办理情况", "democracy.proposal_reply": "答复提案人",
        "democracy.proposal_rate": "提案人评价办理结果", "democracy.proposal_carry": "提案结转下次会议",
        "democracy.proposals.export": "导出职代会提案",
        "democracy.election_create": "发起工会选举", "democracy.elector_add": "登记会员代表（选举人）",
        "democracy.candidate_add": "确定选举候选人", "democracy.election_open": "工会选举开始投票",
        "democracy.election_count": "工会选举计票", "democracy.election_submit": "选举结果报上级审批",
        "democracy.election_decide": "上级工会批复选举结果", "democracy.terms_due.export": "导出换届提醒",
        "democracy.materials_send": "职代会材料送达代表", "democracy.board_create": "建立厂务公开栏",
        "democracy.disclosure_post": "厂务公开", "democracy.question_ask": "职工就厂务公开提问",
        "democracy.question_answer": "答复厂务公开提问",
    }  # fmt: skip
    urls, url_prefix = "gonghui.democracy.urls", "democracy/"
    api_router, api_prefix = "gonghui.democracy.api.router", "/democracy"
    api_field_labels = {"choices": "选择"}
    nav = (
        NavItem(
            "民主管理", "democracy:list", "democracy", "gonghui.accounts.audiences.cadre", order=46, group="维权与民主"
        ),
        NavItem("职代会提案", "democracy:proposals", "proposals", "gonghui.accounts.audiences.cadre", order=46,
                group="维权与民主"),
        NavItem("厂务公开", "democracy:boards", "boards", "gonghui.accounts.audiences.cadre", order=46,
                group="维权与民主"),
        NavItem("换届选举", "democracy:elections", "elections", "gonghui.accounts.audiences.cadre", order=47,
                group="组织与会员"),
    )  # fmt: skip
    message_events = (
        MessageEvent(
            "democracy.cosign_requested",
            "提案附议邀请",
            False,
            "请确认附议提案",
            "{proposer}在{sitting}提出提案“{title}”，请您确认附议。",
            order=75,
        ),
        MessageEvent(
            "democracy.proposal_reviewed",
            "提案审查结果",
            True,
            "您的提案已审查",
            "{org}提案委员会审查了您的提案“{title}”：{outcome}。{note}",
            "【智慧工会】您的职代会提案已审查，请登录智慧工会查看。",
            order=76,
        ),
        MessageEvent(
            "democracy.proposal_replied",
            "提案答复",
            True,
            "您的提案已答复",
            "{org}答复了您的提案“{title}”：{text} 请对办理结果作出评价。",
            "【智慧工会】您的职代会提案已答复，请登录智慧工会查看并评价。",
            order=77,
        ),
        MessageEvent(
            "democracy.materials_sent",
            "职代会会议材料",
            False,
            "职代会会议材料已送达",
            "{congress}{sitting}将于{date}在{place}召开，会议材料已送达，请在会前审阅。",
            order=78,
        ),
        MessageEvent(
            "democracy.sitting_opened",
            "职代会开幕",
            False,
            "职代会已开幕，请签到",
            "{congress}{sitting}已开幕（{place}），请到会场扫描签到二维码签到。",
            order=79,
        ),
        MessageEvent(
            "democracy.question_answered",
            "厂务公开提问答复",
            False,
            "您的提问已答复",
            "{org}答复了您对“{title}”的提问：{answer}",
            order=80,
        ),
        MessageEvent(
            "democracy.question_due",
            "厂务公开提问待答复",
            False,
            "职工提问即将到期",
            "职工对厂务公开事项“{title}”的提问须在{due}前答复。",
            order=81,
        ),
        MessageEvent(
            "democracy.agenda_due",
            "职代会议程待公开",
            False,
            "职代会议程须在会前公开",
            "{sitting}定于{date}召开，会议议程须在会前{days}日公开。",
            order=82,
        ),
    )
    daily_jobs = (
        DailyJob("厂务公开提问和议程提醒", "gonghui.democracy.services.disclosures_remind", order=64),
    )  # fmt: skip
    worker_tiles = (
        WorkerTile("职代会", "democracy:mine", order=27, audience="gonghui.democracy.selectors.is_representative",
                   hint="签到、表决、查看回执", icon="代"),
        WorkerTile("厂务公开", "democracy:open_affairs", order=29, audience="gonghui.democracy.selectors.has_board",
                   hint="查看单位公开事项、提问", icon="公"),
        WorkerTile("工会选举", "democracy:mine", order=28, audience="gonghui.democracy.selectors.has_open_election",
                   hint="无记名投票选举工会委员会", icon="选"),
    )  # fmt: skip
    case_kinds = "gonghui.democracy.cases"
    pipl_sections = (
        PiplSection("职工代表", "gonghui.democracy.pipl.representative_section", order=47,
                    models=("democracy.Representative", "democracy.CheckIn", "democracy.VoteCast", "democracy.Proposal",
                            "democracy.CoSigner")),
        PiplSection("工会选举", "gonghui.democracy.pipl.election_section", order=48,
                    models=("democracy.Elector", "democracy.Candidate")),
        PiplSection("厂务公开提问", "gonghui.democracy.pipl.question_section", order=49,
                    models=("democracy.Question",)),
    )  # fmt: skip
    retention = (
        Retention("democracy_question", "厂务公开中职工的提问及答复", "delete",
                  "gonghui.democracy.services.questions_delete", order=49,
                  days_setting="gonghui.democracy.policy.question_keep_days"),
    )  # fmt: skip
    pipl_exempt = (PiplExemption("democracy.SecretBallot", "匿名选票与投票人没有任何关联，不属于任何人的个人信息。"),)
    demo, demo_after = "gonghui.democracy.demo.demo_load", ("members",)
    permission_matrix = "gonghui.democracy.tests.test_permissions"
    overview_figures = (
        Figure("democracy_sittings", "本年召开职代会", "次", "gonghui.democracy.selectors.sittings_held_this_year",
               order=55, subtree="gonghui.democracy.selectors.sittings_held_this_year_under",
               url_name="democracy:list", held_by="democracy.Sitting"),
        Figure("democracy_reports_pending", "待报送职代会决议", "件", "gonghui.democracy.selectors.reports_pending",
               order=56, subtree="gonghui.democracy.selectors.reports_pending_under", url_name="democracy:list",
               held_by="democracy.Ballot"),
        Figure("democracy_proposals_open", "未办结职代会提案", "件", "gonghui.democracy.selectors.open_proposals",
               order=57, subtree="gonghui.democracy.selectors.open_proposals_under",
               per_org="gonghui.democracy.selectors.open_proposals_by_org", url_name="democracy:proposals"),
        Figure("democracy_terms_due", "待换届工会", "个", "gonghui.democracy.selectors.terms_due_count",
               order=58, subtree="gonghui.democracy.selectors.terms_due_under",
               per_org="gonghui.democracy.selectors.terms_due_by_org", url_name="democracy:elections"),
        Figure("democracy_disclosure_completeness", "厂务公开完整率", "%",
               "gonghui.democracy.selectors.disclosure_completeness", order=59,
               subtree="gonghui.democracy.selectors.disclosure_completeness_under", url_name="democracy:boards",
               held_by="democracy.Board"),
    )  # fmt: skip
