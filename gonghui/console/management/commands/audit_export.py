import datetime as dt

from django.core.management.base import BaseCommand, CommandError

from gonghui.console import selectors
from gonghui.console.services import audit_export_begin


def _date(value: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise CommandError(f"日期应为 YYYY-MM-DD：{value}") from None


class Command(BaseCommand):
    help = "导出审计日志（JSON Lines，含链序号与 SM3 哈希），供异地保存；日期按北京时间，首尾两天都包含。"

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="起始日期 YYYY-MM-DD")
        parser.add_argument("--until", required=True, help="截止日期 YYYY-MM-DD")
        parser.add_argument("--out", required=True, help="输出文件")

    def handle(self, *args, since: str, until: str, out: str, **options):
        first, last = _date(since), _date(until)
        if first > last:
            raise CommandError("截止日期不能早于起始日期。")
        start, end = selectors.day_bounds(first, last)
        count = selectors.export_count(start=start, end=end)
        audit_export_begin(actor=None, since=first, until=last, count=count, via="command")
        written = 0
        with open(out, "w", encoding="utf-8") as stream:
            for line in selectors.export_lines(start=start, end=end):
                stream.write(line)
                written += 1
        self.stdout.write(f"已导出 {written} 条审计事件到 {out}。")
