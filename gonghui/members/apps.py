from gonghui.core.registry import DailyJob, Figure, GonghuiAppConfig, MessageEvent, NavItem, PiplSection, Retention

SECTIONS = "gonghui.members.pipl"


class MembersConfig(GonghuiAppConfig):
    name = "gonghui.members"
    verbose_name = "会员"
    partitioned_models = ("members.Person", "members.Membership")  # the person first: the membership points at it
    audit_actions = {
        "member.create": "登记会员", "member.update": "更正会员信息", "member.unmask": "查看会员完整信息",
        "member.list.export": "导出会员名单", "member.transfers.export": "导出会员关系接转",
        "member.lapse.export": "导出会籍预警", "membership.retire": "登记为退休会员", "membership.end": "终止会籍",
        "transfer.start": "发起转会", "transfer.release": "转出工会办理转出", "transfer.accept": "转入工会接收",
        "transfer.reject": "拒绝转会", "transfer.cancel": "撤销转会", "lapse.raise": "发出会籍预警",
        "lapse.counsel": "登记预警谈话", "ecard.issue": "签发电子会员证", "ecard.revoke": "注销电子会员证",
        "org.employer_close": "登记用人单位注销", "demo.load": "载入演示数据",
    }  # fmt: skip
    urls, url_prefix = "gonghui.members.urls", "members/"
    permission_matrix = "gonghui.members.tests.test_permissions"
    case_kinds = "gonghui.members.cases"  # 会籍预警
    message_events = (
        MessageEvent("members.transfer_done", "转会完成", True, "转会已完成",
                     "您已从{from_org}转入{to_org}，会员证号和入会日期不变。",
                     "【智慧工会】您已从{from_org}转入{to_org}，会员证号和入会日期不变。", order=20),
        MessageEvent("members.transfer_refused", "转会未获同意", True, "转会申请未获同意",
                     "{org}没有同意您转入{to_org}，原因：{reason}。您的会籍不变。",
                     "【智慧工会】{org}没有同意您转入{to_org}，原因：{reason}。会籍不变，详情请登录智慧工会查看。",
                     order=21),
    )  # fmt: skip
    api_router, api_prefix = "gonghui.members.api.router", "/members"
    api_field_labels = {
        "id_number": "身份证号码",
        "phone": "手机号码",
        "ethnicity": "民族",
        "education": "学历",
        "employment_form": "就业形态",
        "gender": "性别",
        "is_migrant": "是否农民工",
        "job_title": "岗位",
        "joined_on": "入会日期",
        "card_number": "会员证号",
    }
    nav = (
        NavItem("会员", "members:list", "members", "gonghui.accounts.audiences.cadre", order=20, group="组织与会员"),
    )
    daily_jobs = (
        DailyJob("转会超期自动接收", "gonghui.members.services.transfers_auto_accept", order=10),
        DailyJob("会籍预警", "gonghui.members.services.lapse_warnings_raise", order=20),
    )
    pipl_sections = (
        PiplSection("个人信息", f"{SECTIONS}.person_section", order=10, models=("members.Person",)),
        PiplSection("会籍", f"{SECTIONS}.memberships_section", order=20, models=("members.Membership",)),
        PiplSection("转会记录", f"{SECTIONS}.transfers_section", order=21, models=("members.TransferRequest",)),
        PiplSection("会籍预警", f"{SECTIONS}.lapse_warnings_section", order=22, models=("members.LapseWarning",)),
    )
    retention = (
        # Three years after the last membership ended: long enough for a re-join, dues queries and appeals.
        Retention(
            "inactive_phone",
            "无有效会籍人员的手机号码",
            "erase",
            "gonghui.members.services.departed_phones_erase",
            order=10,
            default_days=1095,
        ),
    )
    demo = "gonghui.members.demo.demo_load"
    overview_figures = (
        Figure(
            "members",
            "会员数",
            "人",
            "gonghui.members.selectors.member_total",
            order=10,
            subtree="gonghui.members.selectors.member_total_under",
            per_org="gonghui.members.selectors.member_total_by_org",
            url_name="members:list",
            org_param="org",
        ),
    )

    def ready(self):
        from gonghui.members import partitioning  # noqa: F401 — registers its system check
