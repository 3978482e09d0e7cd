"""Point-in-time recovery, run for real (docs/backup.md §6, docs/security.md §20): a scratch PostgreSQL cluster with
WAL archiving as docs/backup.md configures it, a base backup, writes, a mistake (every row deleted), then the
documented restore to the moment before the mistake: the rows written before it are back, the mistake is not.
It needs the PostgreSQL server programs, which the PostgreSQL test run has; it runs there, beside the pg_dump
drill."""

import time

import pytest
from django.db import connection

from gonghui.testing.pgcluster import Cluster, scratch_folder, server_program

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the point-in-time recovery drill runs in the PostgreSQL test run"
)


def test_restore_to_a_timestamp_undoes_a_mistake():
    with scratch_folder() as folder:
        archive, base = folder / "wal-archive", folder / "base"
        primary = Cluster(folder / "primary")
        primary.init()
        primary.run("mkdir", "-m", "700", str(archive))
        primary.configure(wal_level="replica", archive_mode="on",  # docs/backup.md §6, with this drill's folder
                          archive_command=f"'test ! -f {archive}/%f && cp %p {archive}/%f'")  # fmt: skip
        primary.start()
        try:
            primary.sql("CREATE DATABASE drill")
            primary.sql("CREATE TABLE member (id int PRIMARY KEY, name text NOT NULL)", "drill")
            primary.sql("INSERT INTO member SELECT n, '会员' || n FROM generate_series(1, 100) n", "drill")
            primary.run(server_program("pg_basebackup"), "-h", str(folder), "-p", str(primary.port), "-U",
                        "postgres", "-D", str(base), "--checkpoint=fast", "--wal-method=none")  # fmt: skip
            primary.sql("INSERT INTO member SELECT n, '会员' || n FROM generate_series(101, 150) n", "drill")
            time.sleep(1.1)  # the target is a moment between two commits: they must not share a timestamp
            target = primary.sql("SELECT now()")
            time.sleep(1.1)
            primary.sql("DELETE FROM member", "drill")  # the mistake
            # Close the segment holding the mistake, so that it is archived, and wait for the archiver.
            segment = primary.sql("SELECT pg_walfile_name(pg_switch_wal())")
            archived = "SELECT last_archived_wal >= %s FROM pg_stat_archiver".replace("%s", f"'{segment}'")
            primary.wait_for(archived, "t")  # a segment name is 24 hexadecimal digits
            assert (archive / segment).exists()
            assert primary.sql("SELECT count(*) FROM member", "drill") == "0"
        finally:
            primary.stop()  # the server is lost: only the base backup and the archive remain

        restored = Cluster(base)
        restored.configure(restore_command=f"'cp {archive}/%f %p'", recovery_target_time=f"'{target}'",
                           recovery_target_action="'promote'", archive_mode="off")  # docs/backup.md §6  # fmt: skip
        restored.run("touch", str(base / "recovery.signal"))
        restored.start()
        try:
            assert restored.wait_for("SELECT pg_is_in_recovery()", "f") == "f"
            assert restored.sql("SELECT count(*), min(id), max(id) FROM member", "drill") == "150|1|150"
        finally:
            restored.stop()
