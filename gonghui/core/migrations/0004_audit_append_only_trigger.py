"""PostgreSQL refuses UPDATE and DELETE of audit events (docs/security.md §9).

The one UPDATE allowed is sealing: setting seq, prev_hash and hash of an event not sealed yet, with
every other column unchanged. SQLite has no such trigger; the ORM refuses there (AppendOnlyQuerySet)."""

from django.db import migrations

CREATE = """
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
CREATE TRIGGER core_auditevent_append_only BEFORE UPDATE OR DELETE ON core_auditevent
    FOR EACH ROW EXECUTE FUNCTION gonghui_audit_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS core_auditevent_append_only ON core_auditevent;
DROP FUNCTION IF EXISTS gonghui_audit_append_only();
"""


def _on_postgresql(sql):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(sql)

    return run


class Migration(migrations.Migration):
    dependencies = [("core", "0003_audit_chain")]
    operations = [migrations.RunPython(_on_postgresql(CREATE), _on_postgresql(DROP))]
