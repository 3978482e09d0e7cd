"""Roster exports become one use of core's list export (core.ExportJob): the existing rows move over with their
ids (the API's job ids and the download links keep working), then the roster table goes."""

import json

from django.core.management.color import no_style
from django.db import migrations

from gonghui.core import crypto


def move_exports(apps, schema_editor):
    old = apps.get_model("rosters", "ExportJob")
    new = apps.get_model("core", "ExportJob")
    for job in old.objects.order_by("id").iterator():
        params = crypto.encrypt(json.dumps({"org": [str(job.org_id)]}))
        new.objects.create(
            id=job.id, list_name="rosters.roster", title="花名册", params_enc=params, org_id=job.org_id,
            requested_by_id=job.requested_by_id, unmasked=job.unmasked, status=job.status, rows=job.rows,
            rows_total=job.rows, file_path=job.file_path, finished_at=job.finished_at,
        )  # fmt: skip
        new.objects.filter(id=job.id).update(created_at=job.created_at)  # auto_now_add set it to now
    connection = schema_editor.connection
    for sql in connection.ops.sequence_reset_sql(no_style(), [new]):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0007_export_job"),
        ("rosters", "0002_encrypted_text_field"),
    ]

    operations = [
        migrations.RunPython(move_exports, migrations.RunPython.noop),
        migrations.DeleteModel(name="ExportJob"),
    ]
