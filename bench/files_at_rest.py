"""Files at rest benchmark: writing and reading a 50 MB file (default) as a plain file and as a stored file
(core.files: SM4-GCM in 64 KiB chunks), in one run on the same machine. A measurement, not a test.

    .venv/bin/python bench/files_at_rest.py [--mb 50] [--runs 3]

Writes go in 1 MiB pieces (as an upload is copied) and end with fsync on both sides (the stored file always
syncs); reads go in 64 KiB and in 4 KiB pieces (Django's FileResponse reads 4 KiB at a time). Also SM4-GCM of
the whole file in memory in one call: the cipher's own speed, the floor. The files live in a temporary folder
that is removed afterwards. Results: docs/bench.md."""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")

import django  # noqa: E402

django.setup()

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes  # noqa: E402
from django.conf import settings  # noqa: E402

from gonghui.core import files  # noqa: E402

PIECE = 1 << 20


def write_plain(path: Path, data: bytes) -> None:
    with open(path, "wb") as out:
        for start in range(0, len(data), PIECE):
            out.write(data[start : start + PIECE])
        out.flush()
        os.fsync(out.fileno())


def write_stored(relative: str, data: bytes) -> None:
    with files.create(relative) as out:
        for start in range(0, len(data), PIECE):
            out.write(data[start : start + PIECE])


def sm4_gcm_one_shot(data: bytes) -> None:
    """The floor: the whole file in one SM4-GCM call in memory (OpenSSL's SM4 through ``cryptography``)."""
    encryptor = Cipher(algorithms.SM4(os.urandom(16)), modes.GCM(os.urandom(12))).encryptor()
    encryptor.update(data)
    encryptor.finalize()


def read_all(reader, block: int) -> int:
    total = 0
    while chunk := reader.read(block):
        total += len(chunk)
    return total


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--mb", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    data = os.urandom(args.mb << 20)
    with tempfile.TemporaryDirectory(prefix="gonghui-bench-files-") as folder:
        settings.VAR_DIR = Path(folder)
        plain_path = Path(folder) / "plain.bin"
        results: dict[str, list[float]] = {}
        for run in range(args.runs):
            plain_path.unlink(missing_ok=True)
            files.remove(f"stored/{run}.bin")
            results.setdefault("write, plain", []).append(timed(lambda: write_plain(plain_path, data)))
            results.setdefault("write, encrypted", []).append(
                timed(lambda r=run: write_stored(f"stored/{r}.bin", data))
            )
            results.setdefault("SM4-GCM in memory", []).append(timed(lambda: sm4_gcm_one_shot(data)))
            for block in (1 << 16, 1 << 12):
                label = f"{block // 1024} KiB"
                with open(plain_path, "rb") as reader:
                    results.setdefault(f"read {label}, plain", []).append(
                        timed(lambda b=block, f=reader: read_all(f, b))
                    )
                with files.open_private(f"stored/{run}.bin") as reader:
                    results.setdefault(f"read {label}, encrypted", []).append(
                        timed(lambda b=block, f=reader: read_all(f, b))
                    )
        tracemalloc.start()
        write_stored("stored/memory.bin", data)  # the data itself is allocated before tracing starts
        _, write_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        with files.open_private("stored/memory.bin") as reader:
            read_all(reader, 1 << 16)
        _, read_peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = os.path.getsize(files.path_of("stored/0.bin"))
    print(f"{args.mb} MiB, {args.runs} runs, median (min) seconds and MiB/s")
    for label, times in results.items():
        median = statistics.median(times)
        print(f"{label:<24} {median:7.3f} s ({min(times):.3f})  {args.mb / median:8.1f} MiB/s")
    print(f"stored size {size} bytes for {args.mb << 20} (+{size - (args.mb << 20)} bytes)")
    print(f"peak Python memory beyond the data: write {write_peak / 1024:.0f} KiB, read {read_peak / 1024:.0f} KiB")


if __name__ == "__main__":
    main()
