"""The database's own guards of the ledger
(docs/decisions/0023-finance-ledger.md): an entry is written unposted, its lines added, then posted by one
UPDATE that the database refuses unless it has two lines or more, debits equal credits and its month is not
closed; lines cannot be added to a posted entry nor changed, and a posted entry cannot be changed. On
PostgreSQL a posted entry and its lines cannot be deleted either, and a deferred constraint trigger refuses a
commit that leaves an entry unposted or unbalanced. (SQLite has no deferred triggers, and Django's test
flush deletes rows there, so SQLite relies on the posting check and on PROTECT for deletes.)"""

from django.db import migrations

SQLITE = [
    """CREATE TRIGGER finance_line_insert_guard BEFORE INSERT ON finance_line
    WHEN (SELECT posted FROM finance_entry WHERE id = NEW.entry_id)
      OR NOT EXISTS (SELECT 1 FROM finance_entry e WHERE e.id = NEW.entry_id AND e.org_id = NEW.org_id
                     AND e.month = NEW.month)
    BEGIN SELECT RAISE(ABORT, 'finance: lines are added only to an unposted entry, with its org and month'); END""",
    """CREATE TRIGGER finance_line_update_guard BEFORE UPDATE ON finance_line
    BEGIN SELECT RAISE(ABORT, 'finance: a line is never changed'); END""",
    """CREATE TRIGGER finance_entry_update_guard BEFORE UPDATE ON finance_entry WHEN OLD.posted
    BEGIN SELECT RAISE(ABORT, 'finance: a posted entry is never changed'); END""",
    """CREATE TRIGGER finance_entry_post_guard BEFORE UPDATE OF posted ON finance_entry
    WHEN NEW.posted AND NOT OLD.posted AND (
        (SELECT COUNT(*) FROM finance_line WHERE entry_id = NEW.id) < 2
        OR (SELECT SUM(debit_fen) - SUM(credit_fen) FROM finance_line WHERE entry_id = NEW.id) <> 0
        OR EXISTS (SELECT 1 FROM finance_period p WHERE p.org_id = NEW.org_id AND p.month = NEW.month
                   AND p.closed_at IS NOT NULL))
    BEGIN SELECT RAISE(ABORT, 'finance: an entry posts only balanced, with two lines or more, in an open month'); END""",
]
SQLITE_DROP = ["finance_line_insert_guard", "finance_line_update_guard", "finance_entry_update_guard",
               "finance_entry_post_guard"]  # fmt: skip

POSTGRES = [
    """CREATE FUNCTION finance_line_guard() RETURNS trigger LANGUAGE plpgsql AS $$
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
    END $$""",
    """CREATE TRIGGER finance_line_guard BEFORE INSERT OR UPDATE OR DELETE ON finance_line
    FOR EACH ROW EXECUTE FUNCTION finance_line_guard()""",
    """CREATE FUNCTION finance_entry_balanced(entry bigint) RETURNS boolean LANGUAGE sql STABLE AS $$
      SELECT COUNT(*) >= 2 AND COALESCE(SUM(debit_fen) - SUM(credit_fen), 0) = 0
      FROM finance_line WHERE entry_id = entry
    $$""",
    """CREATE FUNCTION finance_entry_guard() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.posted THEN
        RAISE EXCEPTION 'finance: a posted entry is never changed or deleted' USING ERRCODE = '23514';
      END IF;
      IF TG_OP = 'UPDATE' AND NEW.posted THEN
        IF NOT finance_entry_balanced(NEW.id) OR EXISTS (
            SELECT 1 FROM finance_period p WHERE p.org_id = NEW.org_id AND p.month = NEW.month
            AND p.closed_at IS NOT NULL) THEN
          RAISE EXCEPTION 'finance: an entry posts only balanced, with two lines or more, in an open month'
            USING ERRCODE = '23514';
        END IF;
      END IF;
      IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
      RETURN NEW;
    END $$""",
    """CREATE TRIGGER finance_entry_guard BEFORE UPDATE OR DELETE ON finance_entry
    FOR EACH ROW EXECUTE FUNCTION finance_entry_guard()""",
    """CREATE FUNCTION finance_entry_commit_check() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (SELECT 1 FROM finance_entry WHERE id = NEW.id AND posted) OR NOT finance_entry_balanced(NEW.id) THEN
        RAISE EXCEPTION 'finance: entry % is unposted or unbalanced at commit', NEW.id USING ERRCODE = '23514';
      END IF;
      RETURN NULL;
    END $$""",
    """CREATE CONSTRAINT TRIGGER finance_entry_commit_check AFTER INSERT ON finance_entry
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION finance_entry_commit_check()""",
]
POSTGRES_DROP = [
    "DROP TRIGGER finance_entry_commit_check ON finance_entry",
    "DROP FUNCTION finance_entry_commit_check()",
    "DROP TRIGGER finance_entry_guard ON finance_entry",
    "DROP FUNCTION finance_entry_guard()",
    "DROP FUNCTION finance_entry_balanced(bigint)",
    "DROP TRIGGER finance_line_guard ON finance_line",
    "DROP FUNCTION finance_line_guard()",
]


def guards_create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    statements = {"sqlite": SQLITE, "postgresql": POSTGRES}.get(vendor, [])
    for statement in statements:
        schema_editor.execute(statement, params=None)


def guards_drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in SQLITE_DROP:
            schema_editor.execute(f"DROP TRIGGER {name}", params=None)
    elif vendor == "postgresql":
        for statement in POSTGRES_DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [("finance", "0001_ledger_funds_budgets")]

    operations = [
        migrations.RunPython(guards_create, guards_drop),
    ]
