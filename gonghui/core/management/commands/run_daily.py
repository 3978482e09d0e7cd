import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gonghui.core import registry


class Command(BaseCommand):
    help = "每日定时任务（由 cron 每天运行一次）：转会超期自动接收、会籍预警、入会申请超期上报等；可重复运行。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按这一天运行（YYYY-MM-DD，默认今天），用于补跑")

    def handle(self, *args, date, **options):
        try:
            today = dt.date.fromisoformat(date) if date else timezone.localdate()
        except ValueError as exc:
            raise CommandError("--date 应为 YYYY-MM-DD 格式的日期。") from exc
        for job in registry.daily_jobs():
            self.stdout.write(f"{job.label}：{job.run(today=today)} 条")
