from gonghui.core.registry import GonghuiAppConfig, PiplExemption


class CoreConfig(GonghuiAppConfig):
    name = "gonghui.core"
    verbose_name = "基础"
    # Fields that many apps' APIs share.
    api_field_labels = {
        "name": "姓名或名称",
        "status": "状态",
        "version": "版本号",
        "q": "查询词",
        "limit": "每页条数",
        "offset": "跳过条数",
        "reason": "原因",
        "label": "名称",
    }
    pipl_exempt = (
        PiplExemption(
            "core.AuditEvent",
            "审计日志是安全记录，只存操作人账号和对象编号，不存个人信息的内容；"
            "其保存期限由网络安全法规定（不少于六个月），不属于个人的信息副本。",
        ),
    )

    def ready(self):
        from gonghui.core import checks  # noqa: F401
