"""The keyed audit chain (docs/security.md §23, decision 0012).

Adds the key id of each link, the newest id and time sealed (a sweep never seals an older row), and the signed
checkpoints. A migration cannot know the audit key, so existing links stay plain SM3; the first seal under a key
continues the chain from the current head. The head's newest id and time are filled from the sealed events.
On PostgreSQL the append-only trigger lets sealing set the key id too, and checkpoints get the same refusal."""

from django.db import migrations, models
from django.db.models import Max

SEALABLE = """
CREATE OR REPLACE FUNCTION gonghui_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '审计日志只能追加，不能删除';
    END IF;
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash' - 'key_id')
           = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash' - 'key_id') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '审计日志只能追加，不能修改';
END
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION gonghui_audit_checkpoint_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '审计链检查点只能追加，不能修改或删除';
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER core_auditcheckpoint_append_only BEFORE UPDATE OR DELETE ON core_auditcheckpoint
    FOR EACH ROW EXECUTE FUNCTION gonghui_audit_checkpoint_append_only();
"""
UNSEALABLE = """
DROP TRIGGER IF EXISTS core_auditcheckpoint_append_only ON core_auditcheckpoint;
DROP FUNCTION IF EXISTS gonghui_audit_checkpoint_append_only();
CREATE OR REPLACE FUNCTION gonghui_audit_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        RAISE EXCEPTION '审计日志只能追加，不能删除';
    END IF;
    IF OLD.seq IS NULL AND NEW.seq IS NOT NULL
       AND (to_jsonb(NEW) - 'seq' - 'prev_hash' - 'hash') = (to_jsonb(OLD) - 'seq' - 'prev_hash' - 'hash') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '审计日志只能追加，不能修改';
END
$$ LANGUAGE plpgsql;
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


def head_newest_sealed(apps, schema_editor):
    sealed = apps.get_model("core", "AuditEvent").objects.filter(seq__isnull=False)
    newest = sealed.aggregate(event_id=Max("id"), at=Max("at"))
    apps.get_model("core", "AuditChainHead").objects.filter(pk=1).update(
        event_id=newest["event_id"] or 0, at=newest["at"]
    )


class Migration(migrations.Migration):
    dependencies = [("core", "0005_workday_overrides")]

    operations = [
        migrations.AddField(
            model_name="auditevent",
            name="key_id",
            field=models.CharField(blank=True, max_length=32, verbose_name="链密钥编号"),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="event_id",
            field=models.BigIntegerField(default=0, verbose_name="最新已封存事件编号"),
        ),
        migrations.AddField(
            model_name="auditchainhead",
            name="at",
            field=models.DateTimeField(blank=True, null=True, verbose_name="最新已封存事件时间"),
        ),
        migrations.CreateModel(
            name="AuditCheckpoint",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("seq", models.BigIntegerField(verbose_name="链序号")),
                ("hash", models.CharField(max_length=64, verbose_name="链头哈希")),
                ("at", models.DateTimeField(verbose_name="签发时间 (UTC)")),
                ("key_id", models.CharField(max_length=32, verbose_name="链密钥编号")),
                ("mac", models.CharField(max_length=64, verbose_name="签名")),
            ],
            options={"verbose_name": "审计链检查点", "verbose_name_plural": "审计链检查点", "ordering": ["seq", "at"]},
        ),
        migrations.RunPython(head_newest_sealed, migrations.RunPython.noop),
        migrations.RunPython(_on_postgresql(SEALABLE), _on_postgresql(UNSEALABLE)),
    ]
