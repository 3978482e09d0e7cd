"""Load benchmark runner (docs/security.md §21): p95 < 1 s for pages, < 300 ms for API reads, error rate 0.

A measurement, not a test (never run by CI or pytest). Needs the 1,000,000-member database of
bench/members_search.py and two packages that are deliberately not in requirements*.txt:

    .venv/bin/pip install locust gunicorn
    .venv/bin/python bench/load.py [--users 20 --spawn-rate 5 --duration 60 --workers 4]

It starts gunicorn (gonghui.wsgi, development settings with DEBUG=0) on 127.0.0.1:8765, warms it up, runs
bench/locustfile.py headless twice — a baseline with one concurrent user of each kind in turn, then the load
with ``--users`` concurrent users — stops the server and prints p95 per group (pages, API reads) and the error
rate beside the targets and the baseline. Locust's CSV files and the raw response times go to var/bench/.
Static files are not requested. Results and machine caveats: docs/bench.md.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

import server  # bench/server.py

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
VENV_BIN = Path(sys.executable).parent
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/gonghui_bench")
TARGETS_MS = {"page": 1000, "api": 300}
LABELS = {"page": "pages", "api": "API reads"}
LOGIN_LIMIT = 20  # sign-ins per IP per minute (gonghui.accounts.policy.LOGIN_RATE_LIMIT)


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else float("nan")


def prewarm() -> str:
    """Member, org and session tables into the OS cache, as on a server that has been running (as members_search)."""
    import psycopg

    try:
        with psycopg.connect(DATABASE_URL, autocommit=True) as conn, conn.cursor() as cur:
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cur.execute(
                "SELECT sum(pg_prewarm(c.oid, 'read')) FROM pg_class c WHERE c.relkind IN ('r', 'i')"
                " AND (c.relname LIKE 'members_%' OR c.relname LIKE 'orgs_%' OR c.relname LIKE 'person_%'"
                " OR c.relname LIKE 'membership_%' OR c.relname LIKE 'org_%' OR c.relname LIKE 'accounts_%')"
            )
            return f"prewarmed {cur.fetchone()[0] * 8 // 1024:,} MB"
    except Exception as exc:  # no pg_prewarm: the first requests include cold reads
        return f"not prewarmed ({exc.__class__.__name__}: {exc})"


def start_server(args) -> subprocess.Popen:
    log = open(OUT / "gunicorn.log", "w")  # noqa: SIM115  (closed with the process)
    return server.start(port=args.port, workers=args.workers, database_url=DATABASE_URL, probe="/login/", log=log)


def fresh_login_window(logins: int) -> None:
    """Sleep into a new rate-limit window (fixed, 60 s) when ``logins`` more sign-ins might not fit this one."""
    if logins >= LOGIN_LIMIT // 2:
        left = 60 - time.time() % 60
        print(f"waiting {left:.0f} s for a fresh sign-in rate-limit window ({logins} sign-ins ahead)", flush=True)
        time.sleep(left + 1)


def run_locust(args, tag: str, users: int, seconds: int, classes: list[str]) -> list:
    fresh_login_window(users)
    records = OUT / f"{tag}-records.json"
    env = {**os.environ, "BENCH_OUT": str(records), "DATABASE_URL": DATABASE_URL}
    cmd = [str(VENV_BIN / "locust"), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
           "--host", f"http://127.0.0.1:{args.port}", "--users", str(users),
           "--spawn-rate", str(min(args.spawn_rate, users)), "--run-time", f"{seconds}s", "--stop-timeout", "10",
           "--csv", str(OUT / tag), "--only-summary", "--loglevel", "WARNING", *classes]  # fmt: skip
    print(f"{tag}: {users} user(s) {' '.join(classes) or '(all kinds)'} for {seconds} s ...", flush=True)
    start = time.time()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    (OUT / f"{tag}-locust.log").write_text(done.stdout + done.stderr)
    if not records.exists():
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        raise SystemExit(f"locust wrote no records (exit {done.returncode})")
    rows = json.loads(records.read_text())
    print(f"  {len(rows):,} requests in {time.time() - start:.0f} s", flush=True)
    return rows


def summarize(rows: list, seconds: float) -> dict:
    out = {}
    for group in ("page", "api"):
        times = [r[2] for r in rows if r[0] == group]
        errors = sum(1 for r in rows if r[0] == group and not r[3])
        out[group] = {
            "n": len(times), "errors": errors, "error_rate": errors / len(times) if times else float("nan"),
            "p50": statistics.median(times) if times else float("nan"), "p95": percentile(times, 95),
            "p99": percentile(times, 99), "max": max(times, default=float("nan")), "rps": len(times) / seconds,
        }  # fmt: skip
    out["setup_errors"] = sum(1 for r in rows if r[0] == "setup" and not r[3])
    names = sorted({(r[0], r[1]) for r in rows if r[0] in ("page", "api")})
    out["endpoints"] = {
        name: {"n": len(t), "p50": statistics.median(t), "p95": percentile(t, 95),
               "errors": sum(1 for r in rows if r[1] == name and not r[3])}
        for group, name in names
        for t in [[r[2] for r in rows if r[1] == name]]
    }  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=20, help="concurrent simulated users (half cadres, half API)")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=60, help="seconds of load")
    parser.add_argument("--baseline-duration", type=int, default=30, help="seconds per kind of user at 1 user")
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    if args.users > LOGIN_LIMIT:
        raise SystemExit(f"at most {LOGIN_LIMIT} users: each signs in once and sign-in is limited per IP per minute")
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("BENCH_WAIT_MIN", "0.5")
    os.environ.setdefault("BENCH_WAIT_MAX", "2.0")
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {prewarm()}", flush=True)
    gunicorn = start_server(args)
    try:
        run_locust(args, "warmup", 2, 10, [])  # templates, connections, caches in every worker; discarded
        base_rows = []
        for kind in ("CadreUser", "ApiUser"):
            base_rows += run_locust(args, f"baseline-{kind}", 1, args.baseline_duration, [kind])
        load_avg_before = os.getloadavg()[0]
        load_rows = run_locust(args, "load", args.users, args.duration, [])
        load_avg_after = os.getloadavg()[0]
    finally:
        server.stop(gunicorn)
    base = summarize(base_rows, args.baseline_duration)
    load = summarize(load_rows, args.duration)

    print(f"\nserver: gunicorn, {args.workers} sync workers, DEBUG=0; think time "
          f"{os.environ['BENCH_WAIT_MIN']}-{os.environ['BENCH_WAIT_MAX']} s per user; load average "
          f"{load_avg_before:.1f} → {load_avg_after:.1f} over the load run")  # fmt: skip
    print(f"\n{'group':<10} {'run':<22} {'requests':>8} {'req/s':>6} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} "
          f"{'errors':>7}  target")  # fmt: skip
    missed = []
    for group in ("page", "api"):
        for label, s in ((f"{args.users} users", load[group]), ("1 user (baseline)", base[group])):
            print(f"{LABELS[group]:<10} {label:<22} {s['n']:>8,} {s['rps']:>6.1f} {s['p50']:>6.0f}ms "
                  f"{s['p95']:>6.0f}ms {s['p99']:>6.0f}ms {s['max']:>6.0f}ms {s['error_rate']:>7.2%}  "
                  + (f"p95 < {TARGETS_MS[group]} ms, errors 0" if "baseline" not in label else ""))  # fmt: skip
        s = load[group]
        ratio = s["p95"] / base[group]["p95"] if base[group]["p95"] else float("nan")
        ok = s["p95"] < TARGETS_MS[group] and s["errors"] == 0
        print(f"{'':<10} → p95 {s['p95']:.0f} ms vs target {TARGETS_MS[group]} ms, {s['errors']} errors: "
              f"{'OK' if ok else 'MISSED'} (p95 {ratio:.1f}× the 1-user baseline)")  # fmt: skip
        if not ok:
            missed.append(LABELS[group])
    if load["setup_errors"] or base["setup_errors"]:
        print(f"sign-in errors: {load['setup_errors'] + base['setup_errors']}")
    print(f"\n{'endpoint':<36} {'n':>6} {'p50':>8} {'p95':>8} {'1-user p95':>11} {'errors':>7}")
    for name, s in load["endpoints"].items():
        b = base["endpoints"].get(name, {})
        print(f"{name:<36} {s['n']:>6} {s['p50']:>6.0f}ms {s['p95']:>6.0f}ms {b.get('p95', float('nan')):>9.0f}ms "
              f"{s['errors']:>7}")  # fmt: skip
    (OUT / "load-summary.json").write_text(json.dumps({"args": vars(args), "load": load, "baseline": base}, indent=1))
    print("\n" + ("both targets met" if not missed else "missed: " + ", ".join(missed)))


if __name__ == "__main__":
    main()
