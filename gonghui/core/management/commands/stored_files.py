"""`manage.py stored_files --list | --check`: the stored files the database names, for the files backup and its
check (docs/backup.md §5).

Each ``PrivateFileField`` column of every model is found by type (as key rotation finds them). ``--list`` prints
their paths, relative to ``GONGHUI_VAR_DIR``, one a line: the input of ``tar --files-from``, so the backup holds
exactly the files the database needs and never the keys, the SQLite file or the static files that share the
folder. ``--check``, on a restored copy (its database, its files folder, the production keys), reads each file
through, so a file missing from the backup, or changed, cut short or encrypted under a key that is not
configured, is named by table, row and reason; it exits 1 if any is."""

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError

from gonghui.core import files


def _stored():
    """(model, pk, field, relative path) of every stored file the database names."""
    for label, fields in files.file_fields():
        model = apps.get_model(label)
        for field in fields:
            rows = model.objects.exclude(**{field: ""}).values_list("pk", field).order_by("pk")
            for pk, relative in rows.iterator(chunk_size=500):
                yield model, pk, field, relative


class Command(BaseCommand):
    help = "列出数据库记录的存储文件（供文件备份），或检查每个文件都存在且能解密（备份恢复后的核对）。"

    def add_arguments(self, parser) -> None:
        action = parser.add_mutually_exclusive_group(required=True)
        action.add_argument("--list", action="store_true", help="每行输出一个文件路径（相对于 GONGHUI_VAR_DIR）")
        action.add_argument("--check", action="store_true", help="逐个读取并解密，列出缺失或损坏的文件")

    def handle(self, *args, list, check, **options) -> None:
        if list:
            for *_, relative in _stored():
                self.stdout.write(relative)
            return
        checked, problems = 0, []
        for model, pk, field, relative in _stored():
            checked += 1
            if reason := files.problem(relative):
                problems.append(f"{model._meta.verbose_name}（{model._meta.label} #{pk}，{field}）：{reason}")
        for line in problems:
            self.stderr.write(line)
        if problems:
            raise CommandError(f"共检查 {checked} 个存储文件，{len(problems)} 个有问题（见上）。")
        self.stdout.write(f"存储文件完好：共检查 {checked} 个，全部存在且能解密。")
