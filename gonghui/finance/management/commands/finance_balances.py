from django.core.management.base import BaseCommand, CommandError

from gonghui.finance import services


class Command(BaseCommand):
    help = (
        "核对月度发生额与记账分录是否一致（报表读月度发生额，docs/decisions/0051-monthly-balances.md）；"
        "--rebuild 按分录重新计算全部月度发生额（从备份恢复数据库之后运行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--rebuild", action="store_true", help="按分录重新计算全部月度发生额")

    def handle(self, *args, rebuild: bool, **options):
        if rebuild:
            count = services.balances_rebuild(actor=None)
            self.stdout.write(f"已按分录重算月度发生额：{count} 行。")
        wrong = services.balances_check()
        for (org, month, code, earmarked, party, counterparty), lines, stored in wrong[:20]:
            other = f" 往来工会{party}" if party else (f" 往来单位{counterparty}" if counterparty else "")
            self.stdout.write(
                f"工会{org} {month:%Y-%m} 科目{code}{' 专项' if earmarked else ''}{other}："
                f"分录合计 借{lines[0]} 贷{lines[1]}，月度发生额 借{stored[0]} 贷{stored[1]}（分）"
            )
        if wrong:
            raise CommandError(f"{len(wrong)} 个月度发生额与分录不一致；请运行 manage.py finance_balances --rebuild。")
        self.stdout.write("月度发生额与分录一致。")
