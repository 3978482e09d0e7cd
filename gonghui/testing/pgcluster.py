"""Scratch PostgreSQL clusters for the drills that need a server of their own (point-in-time recovery, a streaming
standby): made with the server programs the PostgreSQL test run has, in a temporary folder, reached by their Unix
socket. As root (CI) they run as the ``postgres`` account, as a server must."""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def server_program(name: str) -> str:
    """A server program: on PATH, or in Debian's versioned folder (not on PATH by default)."""
    found = shutil.which(name) or next(
        (str(p) for p in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)), None
    )
    assert found, f"{name} is not installed (the PostgreSQL server package)"
    return found


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def scratch_folder() -> Iterator[Path]:
    """A folder of its own under the system's temporary folder (pytest's is private to the test's account), owned
    by the account the servers run as; removed afterwards."""
    folder = Path(tempfile.mkdtemp(prefix="gonghui-pg-"))
    if os.geteuid() == 0:
        shutil.chown(folder, "postgres")
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


class Cluster:
    """A cluster's data folder ``folder`` served on ``port``; its socket is in the folder's parent."""

    def __init__(self, folder: Path, port: int | None = None):
        self.folder, self.port = folder, port or free_port()
        self.socket = folder.parent

    def run(self, *command: str, check: bool = True) -> subprocess.CompletedProcess:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        result = subprocess.run(  # noqa: S603 — the server programs, arguments made by the drills
            [*prefix, *command], capture_output=True, text=True, timeout=120, cwd=self.socket
        )
        assert not check or result.returncode == 0, f"{command[0]} failed: {result.stderr}{result.stdout}"
        return result

    def init(self) -> "Cluster":
        self.run(server_program("initdb"), "-D", str(self.folder), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                 "--locale=C.UTF-8")  # fmt: skip
        return self.configure(listen_addresses="''", unix_socket_directories=f"'{self.socket}'")

    def configure(self, **settings) -> "Cluster":
        """Settings appended to postgresql.conf (the last one of a name wins); the port always."""
        lines = "".join(f"{key} = {value}\n" for key, value in {**settings, "port": self.port}.items())
        with open(self.folder / "postgresql.conf", "a") as conf:
            conf.write(lines)
        return self

    def sql(self, statement: str, database: str = "postgres", check: bool = True) -> str:
        psql = [server_program("psql"), "-h", str(self.socket), "-p", str(self.port), "-U", "postgres", "-X"]
        result = self.run(*psql, "-d", database, "-v", "ON_ERROR_STOP=1", "-Atqc", statement, check=check)
        return result.stdout.strip() if result.returncode == 0 else result.stderr.strip()

    def start(self) -> None:
        self.run(server_program("pg_ctl"), "-D", str(self.folder), "-l", str(self.socket / f"{self.port}.log"),
                 "-w", "-t", "60", "start")  # fmt: skip

    def stop(self) -> None:
        self.run(server_program("pg_ctl"), "-D", str(self.folder), "-m", "fast", "-w", "stop", check=False)

    def wait_for(self, statement: str, expected: str, database: str = "postgres", seconds: float = 30) -> str:
        """Polls ``statement`` until it gives ``expected`` (or the time is up); its last answer."""
        deadline = time.monotonic() + seconds
        while (answer := self.sql(statement, database, check=False)) != expected and time.monotonic() < deadline:
            time.sleep(0.1)
        return answer
