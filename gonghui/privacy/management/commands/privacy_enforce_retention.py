from django.core.management.base import BaseCommand

from gonghui.privacy.models import RetentionCategory
from gonghui.privacy.tasks import enforce_retention_task


class Command(BaseCommand):
    help = "按保存期限规则清除或删除到期的个人信息（手机号码、登录失败记录、导出文件）。"

    def handle(self, *args, **options):
        summary = enforce_retention_task.call()
        for category, count in summary.items():
            self.stdout.write(f"{RetentionCategory(category).label}：处理 {count} 条")
