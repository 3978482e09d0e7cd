from django.core.management.base import BaseCommand, CommandError

from gonghui.core.files import file_fields
from gonghui.privacy.models import KeyRotationRun
from gonghui.privacy.rotation import RotationBusy, encrypted_fields, file_progress_label
from gonghui.privacy.tasks import rotate_data_key_task


class Command(BaseCommand):
    help = "用当前密钥（GONGHUI_DATA_KEYS 的第一个）重新加密所有个人信息密文和存储的文件；可中断，再次运行从断点继续。"

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=None, help="每批处理的行数")
        parser.add_argument("--max-batches", type=int, default=None, help="最多处理这么多批后暂停（断点保留）")

    def handle(self, *args, **options):
        batches, limit = 0, options["max_batches"]
        while True:
            try:
                result = rotate_data_key_task.call(batch_size=options["batch_size"], max_batches=1)
            except RotationBusy as busy:
                raise CommandError(str(busy)) from None
            tables = "；".join(
                f"{label} 已检查 {p['scanned']} 行、重新加密 {p['rotated']} 个{unit}{'（完成）' if p['done'] else ''}"
                for label, unit in [(label, "字段") for label, _ in encrypted_fields()]
                + [(file_progress_label(label), "文件") for label, _ in file_fields()]
                if (p := result["progress"].get(label))
            )
            if result["status"] == KeyRotationRun.Status.COMPLETED:
                self.stdout.write(f"密钥轮换完成（目标密钥 {result['target']}）：共检查 {result['scanned']} 行，"
                                  f"重新加密 {result['rotated']} 个字段和文件。{tables}")  # fmt: skip
                return
            batches += 1
            self.stdout.write(f"进度：{tables}")
            if limit is not None and batches >= limit:
                self.stdout.write("已暂停；再次运行本命令从断点继续。")
                return
