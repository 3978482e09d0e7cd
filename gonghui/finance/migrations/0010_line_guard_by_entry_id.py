"""The line guard (0002) looks its entry up by id alone, then compares the org, month and posted flag in the
function: the old single query (id, posted, org, month in one WHERE) let PostgreSQL's generic plan for the
trigger pick the (org, month) index, which scans every entry of that union and month for each line inserted —
quadratic at a province or the national federation, where thousands of collections land each month (found by
the batch bench, docs/bench.md). SQLite's guard is unchanged (its trigger query plans per statement)."""

from django.db import migrations

GUARD = """CREATE OR REPLACE FUNCTION finance_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      entry_row record;
    BEGIN
      IF TG_OP = 'INSERT' THEN
        SELECT posted, org_id, month INTO entry_row FROM finance_entry WHERE id = NEW.entry_id;
        IF NOT FOUND OR entry_row.posted OR entry_row.org_id <> NEW.org_id OR entry_row.month <> NEW.month THEN
          RAISE EXCEPTION 'finance: lines are added only to an unposted entry, with its org and month'
            USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'finance: a line is never changed or deleted' USING ERRCODE = '23514';
    END $$"""

OLD = """CREATE OR REPLACE FUNCTION finance_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        IF NOT EXISTS (SELECT 1 FROM finance_entry e WHERE e.id = NEW.entry_id AND NOT e.posted
                       AND e.org_id = NEW.org_id AND e.month = NEW.month) THEN
          RAISE EXCEPTION 'finance: lines are added only to an unposted entry, with its org and month'
            USING ERRCODE = '23514';
        END IF;
        RETURN NEW;
      END IF;
      RAISE EXCEPTION 'finance: a line is never changed or deleted' USING ERRCODE = '23514';
    END $$"""


def _run(statement):
    def apply(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement, params=None)

    return apply


class Migration(migrations.Migration):
    dependencies = [("finance", "0009_batch_import_counterparty_asset_use")]

    operations = [migrations.RunPython(_run(GUARD), _run(OLD))]
