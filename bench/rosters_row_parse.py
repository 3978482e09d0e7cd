"""Micro-bench of the roster import's normalise-and-validate stage (``rosters.columns.row_parse``): CPU µs a
row over a messy generated roster (full-width digits, stray and zero-width spaces, lowercase x, 15-digit IDs,
IDs and phones stored as numbers, "+86" phones, dates in every usual form, Excel serials, a few invalid rows),
optionally beside an older revision of the code in the same run. A measurement, not a test (never run by CI).

    .venv/bin/python bench/rosters_row_parse.py [--rows 50000] [--rounds 5] [--passes 3] [--against REV]

The rows are generated once and handed to every measurement as a pickle, so both revisions read exactly the
same cells. ``--against REV`` extracts REV's ``gonghui`` package (``git archive``: nothing in the repository
changes) into a temporary directory; each round runs one child process per revision, in turn, and each child
times ``--passes`` passes over the rows (``time.process_time``). It prints the best and the median pass of each
revision and the load average, and checks that both revisions give the same result or the same error for every
row: a faster path that is not exactly as strict fails the bench. Goal (issue 11): ≤ 30 µs a row.
"""

import argparse
import contextlib
import hashlib
import json
import os
import pickle
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL_US = 30.0


def setup(root: Path) -> None:
    sys.path.insert(0, str(root))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
    os.environ.setdefault("GONGHUI_VAR_DIR", str(ROOT / "var"))  # the secrets of this checkout, for any revision
    os.environ["DEBUG"] = "0"
    import django

    django.setup()


FULL_WIDTH = {ord(c): ord(c) + 0xFEE0 for c in "0123456789Xx"}


def messy_rows(count: int) -> list[dict]:
    """``count`` rows of cells by column key as the readers yield them (str, int, float, datetime, None)."""
    import datetime as dt
    import random

    from gonghui.core.identifiers import USCC_CHARS, org_code_check_character, uscc_check_character
    from gonghui.members.demo.people import PeopleGenerator

    gen, pick = PeopleGenerator(2021), random.Random(11)
    first17 = "91330106" + "MA2H1234"
    org_code = first17[8:16] + org_code_check_character(first17[8:16])
    uscc = first17[:8] + org_code
    uscc += uscc_check_character(uscc)
    assert all(c in USCC_CHARS for c in uscc)
    rows = []
    for n in range(count):
        gender = "M" if n % 2 else "F"
        number, born = gen.id_number("330106", gender, young=n % 3 == 0)
        gen.next_person_id += 1
        name, phone = gen.name(gender, born.year), gen.phone()
        joined = dt.date(1990 + n % 34, 1 + n % 12, 1 + n % 28)
        roll = pick.random()
        if roll < 0.03:
            number = number[:6] + number[8:17]  # the old 15-digit form
        elif roll < 0.06:
            number = number[:17] + ("0" if number[17] != "0" else "1")  # a wrong check digit: invalid
        elif roll < 0.08:
            number = float(number[:17])  # Excel stored it as a number: invalid (mangled)
        elif roll < 0.15:
            number = int(number) if number.isdigit() else number.lower()
        elif roll < 0.25:
            number = f" {number[:6]} {number[6:14]} {number[14:]}\u200b".translate(FULL_WIDTH)
        elif roll < 0.30:
            number = number.lower()
        phone = pick.choice([phone, phone, phone, int(phone), float(phone), f"+86 {phone[:3]} {phone[3:7]} {phone[7:]}",
                             f"{phone[:3]}-{phone[3:7]}-{phone[7:]}", phone.translate(FULL_WIDTH), "", None,
                             phone[:10]])  # fmt: skip
        rows.append({
            "name": pick.choice([name, name, name, " ".join(name), f"{name}\u3000", f"\ufeff{name}"]),
            "id_number": number,
            "phone": phone,
            "ethnicity": pick.choice(["汉族", "汉族", "汉", "回族", "满", "", None]),
            "education": pick.choice(["本科", "大专", "高中", "初中", "硕士研究生", "", None]),
            "employment_form": pick.choice(["全日制", "劳务派遣工", "兼职", "外卖骑手", "", None]),
            "is_migrant": pick.choice(["是", "否", "Y", "n", "1", 0, "", None]),
            "employer_name": pick.choice(["杭州示例科技有限公司", " 杭州示例科技有限公司 ", "杭州　示例科技", None]),
            "employer_uscc": pick.choice([uscc, uscc.lower(), "", None]),
            "job_title": pick.choice(["操作工", "工程师 ", "", None]),
            "joined_on": pick.choice([f"{joined:%Y-%m-%d}", f"{joined.year}年{joined.month}月{joined.day}日",
                                      f"{joined.year}/{joined.month}/{joined.day}", f"{joined:%Y%m%d}",
                                      dt.datetime.combine(joined, dt.time()), (joined - dt.date(1899, 12, 30)).days,
                                      float((joined - dt.date(1899, 12, 30)).days), "", None]),  # fmt: skip
            "card_number": pick.choice(["", None, f"33010620{n:08d}"]),
            "status": pick.choice(["在职", "在职", "退休", "", None]),
        })  # fmt: skip
    return rows


def measure(rows_file: Path, passes: int) -> dict:
    """In a child process whose ``gonghui`` is the revision measured: the CPU seconds of each pass, and a
    fingerprint of every row's result (the RosterRow, or the error's messages)."""
    from django.core.exceptions import ValidationError

    from gonghui.rosters.columns import row_parse

    rows = pickle.loads(rows_file.read_bytes())
    seconds = []
    for _ in range(passes):
        start = time.process_time()
        for cells in rows:
            with contextlib.suppress(ValidationError):
                row_parse(cells)
        seconds.append(time.process_time() - start)
    fingerprint, invalid = hashlib.sha256(), 0
    for cells in rows:
        try:
            fingerprint.update(repr(row_parse(cells)).encode())
        except ValidationError as error:
            invalid += 1
            fingerprint.update(repr((error.code, error.messages)).encode())
    return {"seconds": seconds, "fingerprint": fingerprint.hexdigest(), "invalid": invalid}


def checkout(rev: str, into: Path) -> Path:
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "gonghui"], capture_output=True, check=False)
    if archive.returncode:
        sys.exit(f"git archive {rev}: {archive.stderr.decode().strip()}")
    with tarfile.open(fileobj=__import__("io").BytesIO(archive.stdout)) as tar:
        tar.extractall(into, filter="data")
    return into


def child(root: Path, rows_file: Path, passes: int) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--measure", str(rows_file), "--root", str(root), "--passes", str(passes)],
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode:
        sys.exit(f"measuring {root} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=50_000)
    parser.add_argument("--rounds", type=int, default=5, help="child processes per revision, run in turn")
    parser.add_argument("--passes", type=int, default=3, help="timed passes over the rows in each child")
    parser.add_argument("--against", metavar="REV", help="an older revision measured in the same run")
    parser.add_argument("--measure", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        setup(args.root)
        print(json.dumps(measure(args.measure, args.passes)))
        return
    setup(ROOT)
    with tempfile.TemporaryDirectory(prefix="rosters-row-parse-") as temp:
        rows_file = Path(temp, "rows.pickle")
        rows_file.write_bytes(pickle.dumps(messy_rows(args.rows)))
        revisions = {"this tree": ROOT}
        if args.against:
            revisions[args.against] = checkout(args.against, Path(temp, "against"))
        print(f"row_parse over {args.rows:,} messy rows; {args.rounds} rounds x {args.passes} passes per revision; "
              f"load average {load()}")  # fmt: skip
        results: dict[str, list[dict]] = {label: [] for label in revisions}
        for _ in range(args.rounds):
            for label, root in revisions.items():
                results[label].append(child(root, rows_file, args.passes))
        print(f"{'':<14}{'best µs/row':>12}{'median':>9}  invalid rows")
        best = {}
        for label, runs in results.items():
            per_row = [s / args.rows * 1e6 for run in runs for s in run["seconds"]]
            best[label] = min(per_row)
            print(f"{label:<14}{best[label]:12.1f}{statistics.median(per_row):9.1f}  {runs[0]['invalid']:,}")
        met = "met" if best["this tree"] <= GOAL_US else "NOT met"
        print(f"load average {load()}; goal ≤ {GOAL_US:.0f} µs/row: {met}")
        fingerprints = {run["fingerprint"] for runs in results.values() for run in runs}
        if args.against:
            print(f"{args.against} / this tree: {best[args.against] / best['this tree']:.2f}x")
        if len(fingerprints) != 1:
            sys.exit("the revisions do not give the same result or error for every row: not exactly as strict")
        print("every row: the same result or the same error in every run")


if __name__ == "__main__":
    main()
