from gonghui.core.registry import DailyJob, GonghuiAppConfig, PiplExemption


class CoreConfig(GonghuiAppConfig):
    name = "gonghui.core"
    verbose_name = "基础"
    audit_actions = {"access.denied": "拒绝访问", "job.resume": "后台任务中断后恢复"}  # fmt: skip
    urls, url_prefix = "gonghui.core.urls", "exports/"  # 导出: the one list export's pages
    permission_matrix = "gonghui.core.tests.test_permissions"
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
    daily_jobs = (
        DailyJob("审计链签名检查点", "gonghui.core.audit.audit_checkpoint_daily", order=90),
        DailyJob("继续停滞的后台任务", "gonghui.core.jobs.resume_stalled_daily", order=95),
    )
    pipl_exempt = (
        PiplExemption(
            "core.AuditEvent",
            "审计日志是安全记录，只存操作人账号和对象编号，不存个人信息的内容；"
            "其保存期限由网络安全法规定（不少于六个月），不属于个人的信息副本。",
        ),
        PiplExemption(
            "core.ExportJob",
            "列表导出是干部的工作文件，只记录申请人和筛选条件，按花名册保存期限到期自动删除；其中的会员信息已在个人信息和会籍中给出。",
        ),
    )

    def ready(self):
        from gonghui.core import checks  # noqa: F401
