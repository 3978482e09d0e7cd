"""The backup drill of docs/backup.md, run for real (docs/security.md §20).

pg_dump -Fc of the test database, pg_restore into a fresh C.UTF-8 database, then the checks an operator
makes: migrations all applied, row counts of every table equal to the source, the audit chain verifies,
the append-only trigger came along, and personal data decrypts with the keys kept apart from the backup.
"""

import os
import shutil
import subprocess
import uuid
from contextlib import contextmanager
from io import StringIO

import psycopg
import pytest
from django.core.management import call_command
from django.db import connection, connections
from psycopg import sql

from gonghui.core.audit import audit_record, audit_seal
from gonghui.core.crypto import DecryptionError, _parse_keys, decrypt
from gonghui.core.models import AuditEvent
from gonghui.testing.cast import ZHANG_WEI_ID

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the pg_dump/pg_restore drill needs PostgreSQL (set DATABASE_URL)"
)


def _libpq_args(settings_dict):
    args = []
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    return args


def _env(settings_dict):
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    return env


def _pg(tool, *args, settings_dict):
    """Run pg_dump or pg_restore against the server of ``settings_dict``; fail the test with its stderr."""
    executable = shutil.which(tool)
    assert executable, f"{tool} is not installed"
    result = subprocess.run(  # noqa: S603 — fixed executable, arguments from the test settings
        [executable, *args, *_libpq_args(settings_dict)],
        env=_env(settings_dict),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, f"{tool} failed: {result.stderr}"


def _connect(settings_dict, dbname):
    return psycopg.connect(
        dbname=dbname,
        host=settings_dict.get("HOST") or None,
        port=settings_dict.get("PORT") or None,
        user=settings_dict.get("USER") or None,
        password=settings_dict.get("PASSWORD") or None,
        autocommit=True,
    )


def _row_counts(conn) -> dict[str, int]:
    tables = [row[0] for row in conn.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")]
    return {
        table: conn.execute(sql.SQL("SELECT count(*) FROM {}").format(sql.Identifier(table))).fetchone()[0]
        for table in sorted(tables)
    }


@contextmanager
def _default_connection_to(dbname):
    """Point Django's default connection at another database, so commands run on the restored copy."""
    original = connections["default"]
    restored = original.__class__({**original.settings_dict, "NAME": dbname}, alias="default")
    connections["default"] = restored
    try:
        yield restored
    finally:
        restored.close()
        connections["default"] = original


def test_pg_dump_and_restore_drill(transactional_db, cast, tmp_path, settings):
    for i in range(5):
        audit_record(actor=cast.users.national_admin, action="backup.drill", obj=cast.members.zhang.person,
                     detail={"i": i})  # fmt: skip
    audit_seal()
    assert AuditEvent.objects.filter(seq__isnull=True).count() == 0
    person_id = cast.members.zhang.person.pk

    source = connection.settings_dict
    dump = tmp_path / "gonghui.dump"
    _pg("pg_dump", "-Fc", "--file", str(dump), "--dbname", source["NAME"], settings_dict=source)

    restored_name = f"gonghui_restore_{uuid.uuid4().hex[:12]}"
    with _connect(source, "postgres") as admin:
        admin.execute(
            sql.SQL(
                "CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            ).format(sql.Identifier(restored_name))
        )
        try:
            restore = ["--no-owner", "--exit-on-error", "--dbname", restored_name, str(dump)]
            _pg("pg_restore", *restore, settings_dict=source)
            with _connect(source, source["NAME"]) as src, _connect(source, restored_name) as dst:
                source_counts, restored_counts = _row_counts(src), _row_counts(dst)
                assert restored_counts == source_counts
                assert source_counts["members_person"] == 3
                assert source_counts["core_auditevent"] >= 5
                collation = dst.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
                assert collation.fetchone()[0] == "C.UTF-8"
                trigger = dst.execute(
                    "SELECT count(*) FROM pg_trigger WHERE tgname = 'core_auditevent_append_only'"
                    " AND tgrelid = 'core_auditevent'::regclass AND tgenabled <> 'D'"
                )
                assert trigger.fetchone()[0] == 1
                with pytest.raises(psycopg.errors.RaiseException, match="只能追加"):
                    dst.execute("DELETE FROM core_auditevent")
                token = dst.execute("SELECT id_number_enc FROM members_person WHERE id = %s", [person_id])
                token = token.fetchone()[0]

            assert decrypt(token) == ZHANG_WEI_ID

            with _default_connection_to(restored_name) as restored:
                call_command("migrate", check=True, verbosity=0)  # exits non-zero if a migration is missing
                out = StringIO()
                call_command("audit_verify", stdout=out)  # raises CommandError on a broken chain
                with restored.cursor() as cursor:
                    cursor.execute("SELECT current_database()")
                    assert cursor.fetchone()[0] == restored_name
            assert f"审计哈希链完好：共 {source_counts['core_auditevent']} 条事件，" in out.getvalue()
            # The same backup with other keys (same key id, different secret) is unreadable.
            key_id = _parse_keys(settings.GONGHUI_DATA_KEYS)[0]
            settings.GONGHUI_DATA_KEYS = f"{key_id}:{'00' * 16}"
            with pytest.raises(DecryptionError):
                decrypt(token)
        finally:
            admin.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(restored_name)))
