from django.core.management.base import BaseCommand

from gonghui.core import registry
from gonghui.privacy.tasks import enforce_retention_task


class Command(BaseCommand):
    help = "按保存期限规则清除或删除到期的个人信息（手机号码、登录失败记录、导出文件）。"

    def handle(self, *args, **options):
        summary = enforce_retention_task.call()
        labels = dict(registry.retention_choices())
        for category, count in summary.items():
            self.stdout.write(f"{labels[category]}：处理 {count} 条")
