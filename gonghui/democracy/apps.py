from gonghui.core.registry import Figure, GonghuiAppConfig, NavItem, PiplExemption, PiplSection, WorkerTile


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
    }  # fmt: skip
    urls, url_prefix = "gonghui.democracy.urls", "democracy/"
    api_router, api_prefix = "gonghui.democracy.api.router", "/democracy"
    api_field_labels = {"choices": "选择"}
    nav = (
        NavItem(
            "民主管理", "democracy:list", "democracy", "gonghui.accounts.audiences.cadre", order=46, group="维权与民主"
        ),
    )
    worker_tiles = (
        WorkerTile("职代会", "democracy:mine", order=27, audience="gonghui.democracy.selectors.is_representative",
                   hint="签到、表决、查看回执", icon="代"),
    )  # fmt: skip
    case_kinds = "gonghui.democracy.cases"
    pipl_sections = (
        PiplSection("职工代表", "gonghui.democracy.pipl.representative_section", order=47,
                    models=("democracy.Representative", "democracy.CheckIn", "democracy.VoteCast")),
    )  # fmt: skip
    pipl_exempt = (PiplExemption("democracy.SecretBallot", "匿名选票与投票人没有任何关联，不属于任何人的个人信息。"),)
    demo, demo_after = "gonghui.democracy.demo.demo_load", ("members",)
    permission_matrix = "gonghui.democracy.tests.test_permissions"
    overview_figures = (
        Figure("democracy_sittings", "本年召开职代会", "次", "gonghui.democracy.selectors.sittings_held_this_year",
               order=55, subtree="gonghui.democracy.selectors.sittings_held_this_year_under",
               url_name="democracy:list"),
        Figure("democracy_reports_pending", "待报送职代会决议", "件", "gonghui.democracy.selectors.reports_pending",
               order=56, subtree="gonghui.democracy.selectors.reports_pending_under", url_name="democracy:list"),
    )  # fmt: skip
