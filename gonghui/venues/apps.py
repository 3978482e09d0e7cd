from gonghui.core.registry import Figure, GonghuiAppConfig, NavItem, PiplExemption, PiplSection, Retention, WorkerTile

_SEL = "gonghui.venues.selectors"


class VenuesConfig(GonghuiAppConfig):
    name = "gonghui.venues"
    verbose_name = "服务阵地"
    audit_actions = {
        "venues.venue_create": "登记服务阵地", "venues.venue_update": "修改服务阵地",
        "venues.recognition_add": "登记阵地荣誉", "venues.qr_renew": "更换阵地签到二维码",
        "venues.checkin": "扫码签到", "venues.venues.export": "导出服务阵地",
        "venues.photo_add": "上传阵地照片", "venues.photo_delete": "删除阵地照片",
    }  # fmt: skip
    urls, url_prefix = "gonghui.venues.urls", "venues/"
    api_router, api_prefix = "gonghui.venues.api.router", "/venues"
    api_field_labels = {"lat": "纬度", "lng": "经度", "token": "二维码"}
    nav = (
        NavItem("服务阵地", "venues:list", "venues", "gonghui.accounts.audiences.cadre", order=48, group="服务职工"),
    )
    worker_tiles = (WorkerTile("附近驿站", "venues:nearby", order=15, hint="休息、喝水、充电的地方", icon="驿"),)
    pipl_sections = (
        PiplSection("扫码签到", "gonghui.venues.pipl.checkins_section", order=60, models=("venues.CheckIn",)),
    )
    pipl_exempt = (
        PiplExemption("venues.Venue", "驿站管理员是岗位职责的登记（谁负责这个阵地），不是关于管理员本人的个人信息。"),
    )
    retention = (
        Retention("venue_checkin", "扫码签到记录（谁在何时到访哪个阵地）", "delete",
                  "gonghui.venues.services.checkins_delete", order=60,
                  days_setting="gonghui.venues.policy.checkin_keep_days"),
    )  # fmt: skip
    demo, demo_after = "gonghui.venues.demo.demo_load", ("members",)
    permission_matrix = "gonghui.venues.tests.test_permissions"
    overview_figures = tuple(
        Figure(key, label, unit, f"{_SEL}.{name}", order=order, subtree=f"{_SEL}.{name}_under",
               per_org=f"{_SEL}.{name}_by_org", url_name="venues:list")
        for key, label, unit, name, order in (
            ("venues_stations", "工会驿站", "个", "stations_count", 50),
            ("venues_best_stations", "最美工会驿站", "个", "best_stations_count", 51),
            ("venues_demo_libraries", "示范职工书屋", "家", "demo_libraries_count", 52),
            ("venues_self_built_libraries", "自建职工书屋", "家", "self_built_libraries_count", 53),
            ("venues_nursing_rooms", "女职工休息哺乳室", "间", "nursing_rooms_count", 54),
        )
    )  # fmt: skip
