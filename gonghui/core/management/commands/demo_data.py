"""manage.py demo_data --members N --seed S [--keep-existing] [--provinces 33,32]: the demo data of every app
that declares a demo loader (gonghui.core.registry), each after the apps it names in ``demo_after``."""

import time

from django.core.management.base import BaseCommand, CommandError

from gonghui.core import registry
from gonghui.core.dbstats import planner_statistics_refresh
from gonghui.core.registry import DemoRefused, DemoRun


class Command(BaseCommand):
    help = "生成演示数据：全国工会组织树（按行政区划）、用人单位、会员和演示账号。同一随机种子生成相同的数据。"

    def add_arguments(self, parser):
        parser.add_argument("--members", type=int, default=20000, help="会员人数（默认 20000）")
        parser.add_argument("--seed", type=int, default=2021, help="随机种子（默认 2021）")
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help="数据库中已有数据时不报错，只列出已有的演示账号（make demo 用）",
        )
        parser.add_argument(
            "--provinces", default="", help="只生成这些省份，两位区划代码以逗号分隔，如 33,32（默认全国）"
        )
        parser.add_argument("--batch-size", type=int, default=20000, help="每批写入的会员数")

    def handle(self, *args, members, seed, keep_existing, provinces, batch_size, verbosity, **options):
        codes = {c.strip() for c in provinces.split(",") if c.strip()} or None
        if codes and any(len(c) != 2 or not c.isdigit() for c in codes):
            raise CommandError("--provinces 应为两位省级区划代码，如 33,32。")
        run = DemoRun(members=members, seed=seed, provinces=codes, batch_size=batch_size, keep_existing=keep_existing,
                      log=self.stdout.write if verbosity >= 1 else None)  # fmt: skip
        started = time.monotonic()
        for _label, loader in registry.demo_loaders():
            try:
                loader(run)
            except DemoRefused as exc:
                raise CommandError(str(exc)) from exc
            if run.existing:
                self.stdout.write("数据库中已有数据，未重新生成演示数据。")
                break
        else:
            planner_statistics_refresh()
            seconds = time.monotonic() - started
            summary = "，".join(run.summary)
            message = f"演示数据已生成：{summary}（随机种子 {seed}），用时 {seconds:.1f} 秒。"
            self.stdout.write(self.style.SUCCESS(message))
        self._accounts(run.accounts)

    def _accounts(self, accounts):
        out = self.stdout
        out.write("")
        out.write("演示账号（仅供试用，请勿用于生产环境）：")
        for a in accounts:
            out.write(f"  用户名：{a.username:<10} 密码：{a.password}  角色：{a.role}  所属组织：{a.org}")
        out.write("平台管理员和可查看完整个人信息的账号首次登录时，需用手机验证器应用扫码绑定两步验证（TOTP）。")
        out.write("")
