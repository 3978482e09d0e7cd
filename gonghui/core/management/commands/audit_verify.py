from django.core.management.base import BaseCommand, CommandError

from gonghui.core.audit import audit_seal, audit_verify


class Command(BaseCommand):
    help = "封存尚未入链的审计事件，然后校验整条 SM3 哈希链，报告第一处断裂。"

    def handle(self, *args, **options):
        sealed = audit_seal()
        report = audit_verify()
        if report.broken_seq is not None:
            where = f"序号 {report.broken_seq}" + (f"（事件编号 {report.broken_id}）" if report.broken_id else "")
            raise CommandError(f"审计哈希链在{where}处断裂：{report.reason}。此前 {report.checked} 条完好。")
        self.stdout.write(f"审计哈希链完好：共 {report.checked} 条事件（本次新封存 {sealed} 条）。")
