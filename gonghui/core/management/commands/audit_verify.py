from django.core.management.base import BaseCommand, CommandError

from gonghui.core.audit import audit_verify, checkpoints_from_export


class Command(BaseCommand):
    help = "校验审计哈希链（HMAC-SM3）及每日签名检查点，报告第一处断裂和未能入链的事件；只读，不封存任何事件。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--export", action="append", default=[], metavar="FILE",
            help="同时核对异地保存的审计导出文件（audit_export 的输出）中的签名检查点；可多次给出",
        )  # fmt: skip

    def handle(self, *args, export: list[str], **options):
        kept = []
        for path in export:
            try:
                with open(path, encoding="utf-8") as stream:
                    kept += checkpoints_from_export(stream)
            except (OSError, ValueError, TypeError) as error:
                raise CommandError(f"无法读取审计导出文件 {path}：{error}") from None
        report = audit_verify(kept_checkpoints=kept)
        if report.broken_seq is not None:
            where = f"序号 {report.broken_seq}" + (f"（事件编号 {report.broken_id}）" if report.broken_id else "")
            raise CommandError(f"审计哈希链在{where}处断裂：{report.reason}。此前 {report.checked} 条完好。")
        if report.out_of_order:
            ids = "、".join(str(pk) for pk in report.out_of_order)
            raise CommandError(
                f"发现 {len(report.out_of_order)} 条未入链的审计事件早于链头（插入或倒填的可疑记录），"
                f"事件编号：{ids}。链上 {report.checked} 条完好。"
            )
        self.stdout.write(
            f"审计哈希链完好：共 {report.checked} 条事件，{report.checkpoints} 个签名检查点相符"
            f"（另有 {report.pending} 条新事件等待封存）。"
        )
