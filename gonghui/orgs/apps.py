from gonghui.core.registry import GonghuiAppConfig, NavItem


class OrgsConfig(GonghuiAppConfig):
    name = "gonghui.orgs"
    verbose_name = "组织"
    audit_actions = {
        "org.create": "成立工会组织", "org.update": "修改工会组织信息", "org.move": "调整隶属关系",
        "org.search.export": "导出工会名录",
    }  # fmt: skip
    urls, url_prefix = "gonghui.orgs.urls", "orgs/"
    permission_matrix = "gonghui.orgs.tests.test_permissions"
    api_router, api_prefix = "gonghui.orgs.api.router", "/orgs"
    api_field_labels = {
        "org_id": "工会",
        "parent_id": "上级工会",
        "parent": "上级",
        "org_type": "组织类型",
        "region_code": "所在地区",
        "employer_name": "单位名称",
        "employer_uscc": "单位统一社会信用代码",
        "uscc": "统一社会信用代码",
        "founded_on": "成立日期",
        "leadership": "领导机构",
        "term_years": "任期",
        "term_started_on": "任期开始日期",
    }
    nav = (NavItem("组织架构", "orgs:tree", "orgs", "gonghui.accounts.audiences.cadre", order=10, group="组织与会员"),)
