"""manage.py governance_rollup [--month YYYY-MM] [--verify]: (re)compute this month's rollup of the overview's
figures for every org; with --verify, recount every org and report each difference (exit code 1 on any)."""

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from gonghui.governance import rollup


class Command(BaseCommand):
    help = "一屏总览月度汇总：重算本月各级工会的指标；--verify 逐级重新计数并报告差异"

    def add_arguments(self, parser):
        parser.add_argument("--month", help="月份 YYYY-MM（只能是本月：过去的月份保留当时的数值）")
        parser.add_argument("--verify", action="store_true", help="重新计数并与汇总表比对，有差异时退出码为 1")

    def handle(self, *args, month=None, verify=False, **options):
        today = timezone.localdate()
        if month:
            try:
                asked = dt.date.fromisoformat(f"{month}-01")
            except ValueError:
                raise CommandError("月份格式应为 YYYY-MM，例如 2026-11。") from None
            if (asked.year, asked.month) != (today.year, today.month):
                raise CommandError("只能重算本月：过去月份的数值是当时记录的趋势，不能用今天的数据改写。")
        if verify:
            differences = rollup.verify_month(today=today)
            for d in differences:
                self.stdout.write(f"差异：{d.org_name}（{d.org_id}）{d.key} 汇总 {d.stored} ≠ 重新计数 {d.recounted}")
            if differences:
                raise CommandError(f"发现 {len(differences)} 处差异。", returncode=1)
            self.stdout.write("核对完成：汇总与重新计数一致。")
            return
        written = rollup.rollup_month(today=today)
        self.stdout.write(f"已汇总 {today:%Y-%m}：{written} 条。")
