from django.core.management.base import BaseCommand, CommandError

from gonghui.members import partitioning


class Command(BaseCommand):
    help = (
        "把会员表（members_person、members_membership）和各应用声明的大表（会费缴纳记录、缴费基数）转换为按省份 "
        "LIST 分区的表（仅 PostgreSQL；可重复执行，已转换的表跳过）。之后设置 GONGHUI_PARTITION_BY_PROVINCE=1。"
        "见 docs/deploy.md 和决定 0052、0055。"
    )
    requires_system_checks = []  # the check that asks for this conversion must not stop it

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="只检查是否已转换、行数与定位表是否一致，不做修改")

    def handle(self, *args, check: bool, **options):
        try:
            if check:
                self._report()
                problems = partitioning.check()
                if problems:
                    raise CommandError("按省分区检查未通过：" + " ".join(problems))
                self.stdout.write("按省分区检查通过。")
                return
            done = partitioning.convert(log=self.stdout.write)
        except partitioning.PartitioningRefused as refused:
            raise CommandError(str(refused)) from None
        self.stdout.write(f"已转换 {len(done)} 个表。" if done else "会员表和各应用声明的表均已按省分区，无需转换。")
        self._report()

    def _report(self) -> None:
        for table in partitioning.tables():
            s = partitioning.state(table)
            if not s.partitioned:
                self.stdout.write(f"{table}：普通表，{s.rows} 行。")
                continue
            largest = ", ".join(f"{p} {n}" for p, n in partitioning.partition_rows(table)[:3])
            self.stdout.write(
                f"{table}：{s.partitions} 个分区，{s.rows} 行（最大：{largest}），定位表 {s.locator_rows} 行。"
            )
