"""Point-in-time recovery, run for real (docs/backup.md §6, docs/security.md §20): a scratch PostgreSQL cluster with
WAL archiving as docs/backup.md configures it, a base backup, writes, a mistake (every row deleted), then the
documented restore to the moment before the mistake: the rows written before it are back, the mistake is not.

It needs the PostgreSQL server programs (initdb, pg_ctl, pg_basebackup), which the PostgreSQL test run has; it runs
there only, beside the pg_dump drill. As root (CI) the cluster runs as the ``postgres`` account, as a server must."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import pytest
from django.db import connection

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the point-in-time recovery drill runs in the PostgreSQL test run"
)


def _bin(name: str) -> str:
    """A server program: on PATH, or in Debian's versioned folder (not on PATH by default)."""
    found = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    assert found, f"{name} is not installed (the PostgreSQL server package)"
    return found


class Cluster:
    """A scratch cluster in ``folder`` on ``port``, reached by its Unix socket in ``folder``."""

    def __init__(self, folder: Path, port: int, *, as_root: bool):
        self.folder, self.port, self.as_root = folder, port, as_root

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if self.as_root else []
        result = subprocess.run(  # noqa: S603 — the server programs, arguments made here
            [*prefix, *command], capture_output=True, text=True, timeout=120, cwd=self.folder.parent
        )
        assert not check or result.returncode == 0, f"{command[0]} failed: {result.stderr}{result.stdout}"
        return result

    def sql(self, statement: str, database: str = "drill") -> str:
        psql = [_bin("psql"), "-h", str(self.folder.parent), "-p", str(self.port), "-U", "postgres"]
        return self.run(*psql, "-d", database, "-Atqc", statement).stdout.strip()

    def start(self) -> None:
        self.run(_bin("pg_ctl"), "-D", str(self.folder), "-l", str(self.folder.parent / f"{self.port}.log"),
                 "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        self.run(_bin("pg_ctl"), "-D", str(self.folder), "-m", "fast", "-w", "stop", check=False)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def workdir():
    """A folder of its own under the system's temporary folder (pytest's is private to the test's account), owned
    by the server account: as root the cluster runs as ``postgres``."""
    as_root = os.geteuid() == 0
    folder = Path(tempfile.mkdtemp(prefix="gonghui-pitr-"))
    if as_root:
        shutil.chown(folder, "postgres")
    yield folder, as_root
    shutil.rmtree(folder, ignore_errors=True)


def test_restore_to_a_timestamp_undoes_a_mistake(workdir):
    folder, as_root = workdir
    archive, base = folder / "wal-archive", folder / "base"
    primary = Cluster(folder / "primary", _free_port(), as_root=as_root)
    primary.run(_bin("initdb"), "-D", str(primary.folder), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                "--locale=C.UTF-8")  # fmt: skip
    primary.run("mkdir", "-m", "700", str(archive))
    settings = {  # docs/backup.md §6: the settings of the production server, with folders of this drill
        "port": primary.port, "listen_addresses": "''", "unix_socket_directories": f"'{folder}'",
        "wal_level": "replica", "archive_mode": "on",
        "archive_command": f"'test ! -f {archive}/%f && cp %p {archive}/%f'",
    }  # fmt: skip
    primary.run("sh", "-c", f"cat >> {primary.folder}/postgresql.conf <<'EOF'\n"
                + "".join(f"{key} = {value}\n" for key, value in settings.items()) + "EOF")  # fmt: skip
    primary.start()
    try:
        primary.sql("CREATE DATABASE drill", database="postgres")
        primary.sql("CREATE TABLE member (id int PRIMARY KEY, name text NOT NULL)")
        primary.sql("INSERT INTO member SELECT n, '会员' || n FROM generate_series(1, 100) n")
        primary.run(_bin("pg_basebackup"), "-h", str(folder), "-p", str(primary.port), "-U", "postgres",
                    "-D", str(base), "--checkpoint=fast", "--wal-method=none")  # fmt: skip
        primary.sql("INSERT INTO member SELECT n, '会员' || n FROM generate_series(101, 150) n")  # after the backup
        time.sleep(1.1)  # the target is a moment between two commits, so they must not share a timestamp
        target = primary.sql("SELECT now()")
        time.sleep(1.1)
        primary.sql("DELETE FROM member")  # the mistake
        # Close the segment holding the mistake, so that it is archived, and wait for the archiver.
        segment = primary.sql("SELECT pg_walfile_name(pg_switch_wal())")
        for _ in range(300):
            if primary.sql("SELECT last_archived_wal FROM pg_stat_archiver", database="postgres") >= segment:
                break
            time.sleep(0.1)
        assert (archive / segment).exists()
        assert primary.sql("SELECT count(*) FROM member") == "0"
    finally:
        primary.stop()  # the server is lost: only the base backup and the archive remain

    restored = Cluster(base, _free_port(), as_root=as_root)
    recovery = {  # docs/backup.md §6: restore to the moment before the mistake
        "port": restored.port, "restore_command": f"'cp {archive}/%f %p'",
        "recovery_target_time": f"'{target}'", "recovery_target_action": "'promote'", "archive_mode": "off",
    }  # fmt: skip
    restored.run("sh", "-c", f"cat >> {base}/postgresql.conf <<'EOF'\n"
                 + "".join(f"{key} = {value}\n" for key, value in recovery.items()) + "EOF")  # fmt: skip
    restored.run("touch", str(base / "recovery.signal"))
    restored.start()
    try:
        for _ in range(300):
            if restored.sql("SELECT pg_is_in_recovery()", database="postgres") == "f":
                break
            time.sleep(0.1)
        assert restored.sql("SELECT pg_is_in_recovery()", database="postgres") == "f"
        assert restored.sql("SELECT count(*), min(id), max(id) FROM member") == "150|1|150"  # the mistake undone
    finally:
        restored.stop()
