"""Load benchmark runner (docs/security.md §21, issue 19): the production stack at 50 concurrent users.

A measurement, not a test (never run by CI or pytest). Needs a bench database loaded with the members (the
loader of bench/members_search.py, ``demo_data``, with the development settings of this checkout: the server gets
the same keys) and locust, which is deliberately not in requirements*.txt — in a virtualenv of its own:

    python3.11 -m venv var/locust-venv && var/locust-venv/bin/pip install locust 'psycopg[binary]' pyotp
    DATABASE_URL=postgres://root@127.0.0.1:5432/gonghui_bench_load .venv/bin/python bench/load.py

It makes the bench accounts once through the services (members of 浙江 with accounts, city admins, province
admins; every other cadre and every leader with an authenticator, enrolled through the two-factor services) and
twenty events of 浙江省总工会 to sign up for, then starts the production mode as ``make prod`` does:
``GONGHUI_ENV=production`` with every setting from the environment (the keys the database was loaded with,
Redis for the cache and the task queue), collectstatic, one RQ task worker and gunicorn with gunicorn.conf.py
(``--workers`` sync workers), DEBUG off. Then bench/locustfile.py, headless, in phases:

1. warm-up (discarded);
2. throughput: ``--throughput-users`` clients without think time on GET /healthz (the trivial endpoint), then on
   GET /api/v1/members/{id}, each for ``--throughput-duration`` seconds, in ``--throughput-rounds`` rounds pooled
   (the two in turn, so that a slower minute of a shared machine falls on both);
3. a baseline: one user of each kind alone, in turn;
4. the load: ``--users`` concurrent users (workers 4 : cadres 3 : API clients 2 : leaders 1), measured from the
   moment the last one has signed in.

It prints throughput and p50/p95/p99 per request type and per group against the targets (p95 < 1 s for pages and
writes, < 300 ms for API reads, 0 errors, member API detail ≥ 50 % of /healthz's throughput) and exits non-zero
when a user could not sign in, a request failed (a missing page included) or the task worker died. Locust's CSVs,
the raw records and the server's logs go to var/bench/. Results and machine caveats: docs/bench.md.
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path

import server  # bench/server.py

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "var" / "bench"
ACCOUNTS = OUT / "accounts.json"
VENV_BIN = Path(sys.executable).parent
LOCUST = Path(os.environ.get("LOCUST", ROOT / "var" / "locust-venv" / "bin" / "locust"))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/gonghui_bench")
TARGETS_MS = {"page": 1000, "write": 1000, "api": 300}
LABELS = {"page": "pages", "write": "writes (pages)", "api": "API reads"}
KINDS = {"worker": "WorkerUser", "cadre": "CadreUser", "api": "ApiUser", "leader": "LeaderUser"}
WEIGHTS = {"worker": 4, "cadre": 3, "api": 2, "leader": 1}  # as the classes' weights in the locustfile
BENCH_EVENTS = 20
DETAIL_SHARE_GOAL = 0.5


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
                " OR c.relname LIKE 'membership_%' OR c.relname LIKE 'org_%' OR c.relname LIKE 'accounts_%'"
                " OR c.relname LIKE 'governance_%' OR c.relname LIKE 'activities_%')"
            )
            return f"prewarmed {cur.fetchone()[0] * 8 // 1024:,} MB"
    except Exception as exc:  # no pg_prewarm: the first requests include cold reads
        return f"not prewarmed ({exc.__class__.__name__}: {exc})"


def django_setup() -> None:
    """Django in this process with the development settings the database was loaded with (its keys)."""
    os.environ.update(DATABASE_URL=DATABASE_URL, DJANGO_SETTINGS_MODULE="gonghui.settings", DEBUG="0")
    os.environ.pop("GONGHUI_ENV", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def bench_accounts(users: int) -> dict:
    """The bench accounts, made once per database through the services and kept in var/bench/accounts.json:
    ``worker`` (members of 浙江 with an account of their own), ``cadre`` (admins of 浙江's cities; every other one
    may unmask and so has an authenticator), ``leader`` (admins of a province each, with an authenticator), and
    the events the workers sign up for."""
    from django.db import transaction
    from django.utils import timezone

    from gonghui.accounts import services as account_services
    from gonghui.accounts import totp, two_factor
    from gonghui.accounts.models import Grant, User
    from gonghui.activities import services as activities
    from gonghui.members.models import Membership
    from gonghui.orgs.models import Org, OrgType

    need = {kind: users * w // sum(WEIGHTS.values()) + 2 for kind, w in WEIGHTS.items() if kind != "api"}
    if ACCOUNTS.exists():
        kept = json.loads(ACCOUNTS.read_text())
        enough = kept["database"] == DATABASE_URL and all(len(kept[k]) >= n for k, n in need.items())
        if enough and User.objects.filter(username=kept["worker"][0]["username"]).exists():
            return kept
    tag = secrets.token_hex(2)
    password = secrets.token_urlsafe(16)
    province = Grant.objects.select_related("org").get(user__username="zhejiang").org
    cities = list(Org.objects.filter(parent=province, org_type=OrgType.CITY).order_by("-subtree_member_count"))
    provinces = list(Org.objects.filter(org_type=OrgType.PROVINCE).order_by("-subtree_member_count"))

    def made(username, *, person=None, org=None, unmask=False) -> dict:
        with transaction.atomic():
            user = account_services.user_create(actor=None, username=username, password=password, person=person,
                                                display_name=username, check_password=False)  # fmt: skip
            if org is not None:
                account_services.grant_create(actor=None, user=user, org=org, role=Grant.Role.ADMIN,
                                              can_unmask=unmask)  # fmt: skip
        account = {"username": username, "org": org.pk if org else None, "path": org.path if org else None}
        if unmask:
            with transaction.atomic():
                _, secret = two_factor.totp_enrol_start(actor=user)
            two_factor.totp_enrol_confirm(actor=user, code=totp.code_for(secret))
            account["totp"] = secret
        return account

    memberships = (Membership.objects.filter(org__path__startswith=province.path, status=Membership.Status.ACTIVE,
                                             person__account__isnull=True)
                   .select_related("person").order_by("pk"))  # fmt: skip
    step = max(1, memberships.count() // need["worker"])
    workers = [made(f"bench{tag}-w{i}", person=m.person) for i, m in enumerate(memberships[::step][: need["worker"]])]
    cadres = [made(f"bench{tag}-c{i}", org=cities[i % len(cities)], unmask=i % 2 == 0) for i in range(need["cadre"])]
    leaders = [made(f"bench{tag}-l{i}", org=provinces[i % len(provinces)], unmask=True) for i in range(need["leader"])]
    starts = timezone.now() + timezone.timedelta(days=30)
    for i in range(BENCH_EVENTS):
        activities.activity_create(
            actor=None, org=province, title=f"压测活动 {tag}-{i + 1}", place="市职工服务中心", capacity=100_000,
            starts_at=starts, ends_at=starts + timezone.timedelta(hours=3),
            signup_deadline=starts - timezone.timedelta(days=1),
        )  # fmt: skip
    accounts = {"database": DATABASE_URL, "password": password, "worker": workers, "cadre": cadres, "leader": leaders}
    OUT.mkdir(parents=True, exist_ok=True)
    fd = os.open(ACCOUNTS, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(accounts, out)
    return accounts


def production_env(args) -> dict[str, str]:
    """What ``make prod`` puts in var/prod.env, with the keys of this database and the bench's address."""
    from django.conf import settings

    return {
        "GONGHUI_ENV": "production", "DEBUG": "0",
        **{name: getattr(settings, name) for name in
           ("SECRET_KEY", "GONGHUI_DATA_KEYS", "GONGHUI_INDEX_KEY", "GONGHUI_AUDIT_KEYS")},
        "DATABASE_URL": DATABASE_URL, "REDIS_URL": args.redis_url,
        "ALLOWED_HOSTS": "127.0.0.1,localhost", "CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{args.port}",
        "SECURE_SSL_REDIRECT": "false", "SECURE_HSTS_SECONDS": "0",
        "GONGHUI_VAR_DIR": str(OUT / "prod"), "GONGHUI_BIND": f"127.0.0.1:{args.port}",
        "WEB_CONCURRENCY": str(args.workers), "DB_CONN_MAX_AGE": "600", "DJANGO_SETTINGS_MODULE": "gonghui.settings",
    }  # fmt: skip


def start_stack(args, env: dict) -> tuple[subprocess.Popen, subprocess.Popen]:
    """migrate (the production settings install the RQ apps too), collectstatic, the RQ task worker and gunicorn
    (gunicorn.conf.py), as ``make prod``."""
    full = {**os.environ, **env}
    for command in (["migrate", "--no-input", "-v0"], ["collectstatic", "--no-input", "-v0"]):
        subprocess.run([sys.executable, "manage.py", *command], cwd=ROOT, env=full, check=True)
    worker = subprocess.Popen([sys.executable, "manage.py", "task_worker"], cwd=ROOT, env=full,
                              stdout=open(OUT / "task_worker.log", "w"), stderr=subprocess.STDOUT,  # noqa: SIM115
                              start_new_session=True)  # fmt: skip
    try:
        web = server.start(port=args.port, workers=args.workers, database_url=DATABASE_URL, probe="/readyz",
                           log=open(OUT / "gunicorn.log", "w"), production_env=env)  # noqa: SIM115  # fmt: skip
    except BaseException:
        server.stop(worker)
        raise
    return worker, web


def run_locust(args, tag: str, users: int, seconds: int, classes: list[str], spawn_rate: float | None = None) -> list:
    records = OUT / f"{tag}-records.json"
    records.unlink(missing_ok=True)
    env = {**os.environ, "BENCH_OUT": str(records), "DATABASE_URL": DATABASE_URL, "BENCH_ACCOUNTS": str(ACCOUNTS)}
    cmd = [str(LOCUST), "-f", str(ROOT / "bench" / "locustfile.py"), "--headless",
           "--host", f"http://127.0.0.1:{args.port}", "--users", str(users),
           "--spawn-rate", str(spawn_rate or min(args.spawn_rate, users)), "--run-time", f"{seconds}s",
           "--stop-timeout", "10", "--csv", str(OUT / tag), "--only-summary", "--loglevel", "WARNING",
           *classes]  # fmt: skip
    print(f"{tag}: {users} user(s) {' '.join(classes)} for {seconds} s ...", flush=True)
    start = time.time()
    done = subprocess.run(cmd, cwd=ROOT, env=env, capture_output=True, text=True)
    (OUT / f"{tag}-locust.log").write_text(done.stdout + done.stderr)
    if not records.exists():
        print(done.stdout[-3000:], done.stderr[-3000:], sep="\n")
        raise SystemExit(f"locust wrote no records (exit {done.returncode})")
    rows = json.loads(records.read_text())
    failed = [r for r in rows if r[0] == "setup" and not r[3]]
    ready = sum(1 for r in rows if r[:2] == ["setup", "ready"])
    if failed or (classes[0] in KINDS.values() and ready < users):
        print(done.stderr[-3000:])
        raise SystemExit(f"{tag}: {len(failed)} sign-in(s) failed, {ready} of {users} users signed in — "
                         f"see {OUT / (tag + '-locust.log')}")  # fmt: skip
    print(f"  {len(rows):,} requests in {time.time() - start:.0f} s", flush=True)
    return rows


def measured(rows: list) -> tuple[list, float]:
    """The requests completed after the last user had signed in, and that window's length in seconds."""
    ready = [r[4] for r in rows if r[:2] == ["setup", "ready"]]
    begin = max(ready) if ready else min(r[4] for r in rows)
    kept = [r for r in rows if r[0] != "setup" and r[4] > begin]
    return kept, max(r[4] for r in kept) - begin


def pooled(measurements: list[tuple[list, float]]) -> tuple[list, float]:
    """Several measured runs as one: their requests and the sum of their windows."""
    return [row for rows, _ in measurements for row in rows], sum(seconds for _, seconds in measurements)


def stats(rows: list, seconds: float) -> dict:
    times = [r[2] for r in rows]
    errors = sum(1 for r in rows if not r[3])
    return {"n": len(times), "errors": errors, "rps": len(times) / seconds if seconds else float("nan"),
            "p50": statistics.median(times) if times else float("nan"), "p95": percentile(times, 95),
            "p99": percentile(times, 99), "max": max(times, default=float("nan"))}  # fmt: skip


def line(label: str, s: dict, target: str = "") -> str:
    return (f"{label:<38} {s['n']:>7,} {s['rps']:>7.1f} {s['p50']:>6.0f}ms {s['p95']:>6.0f}ms {s['p99']:>6.0f}ms "
            f"{s['max']:>6.0f}ms {s['errors']:>6}  {target}")  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent simulated users in the load phase")
    parser.add_argument("--spawn-rate", type=float, default=5)
    parser.add_argument("--duration", type=int, default=180, help="seconds of load (the sign-ins included)")
    parser.add_argument("--baseline-duration", type=int, default=20, help="seconds per kind of user alone")
    parser.add_argument("--throughput-users", type=int, default=16, help="clients without think time")
    parser.add_argument("--throughput-duration", type=int, default=20, help="seconds per endpoint and round")
    parser.add_argument(
        "--throughput-rounds",
        type=int,
        default=3,
        help="rounds of /healthz then the member detail, pooled: a drift of the machine hits both",
    )
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--redis-url", default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/12"))
    args = parser.parse_args()
    if not LOCUST.exists():
        raise SystemExit(f"no locust at {LOCUST}: see the first lines of this file (or set LOCUST=)")
    OUT.mkdir(parents=True, exist_ok=True)
    os.environ.setdefault("BENCH_WAIT_MIN", "0.5")
    os.environ.setdefault("BENCH_WAIT_MAX", "2.0")
    django_setup()
    started = time.time()
    accounts = bench_accounts(args.users)
    print(f"bench accounts: {len(accounts['worker'])} workers, {len(accounts['cadre'])} cadres, "
          f"{len(accounts['leader'])} leaders ({time.time() - started:.0f} s)", flush=True)  # fmt: skip
    print(f"{os.cpu_count()} CPUs, load average {os.getloadavg()[0]:.1f}; {prewarm()}", flush=True)
    worker, web = start_stack(args, production_env(args))
    loads = []
    try:
        run_locust(args, "warmup", 4, 20, list(KINDS.values()), spawn_rate=4)  # discarded
        rounds = [(measured(run_locust(args, f"healthz-{i}", args.throughput_users, args.throughput_duration,
                                       ["HealthzUser"], spawn_rate=args.throughput_users)),
                   measured(run_locust(args, f"member-detail-{i}", args.throughput_users,
                                       args.throughput_duration + 5, ["MemberDetailUser"],
                                       spawn_rate=args.throughput_users)))
                  for i in range(args.throughput_rounds)]  # fmt: skip
        base = {kind: measured(run_locust(args, f"baseline-{kind}", 1, args.baseline_duration, [cls]))
                for kind, cls in KINDS.items()}  # fmt: skip
        loads.append(os.getloadavg())
        load_rows, window = measured(run_locust(args, "load", args.users, args.duration, list(KINDS.values())))
        loads.append(os.getloadavg())
        worker_alive = worker.poll() is None
    finally:
        server.stop(web)
        server.stop(worker)

    problems = []
    print(f"\nproduction mode: gunicorn (gunicorn.conf.py) {args.workers} sync workers, one RQ task worker, Redis "
          f"{args.redis_url}, DEBUG off; think time {os.environ['BENCH_WAIT_MIN']}-{os.environ['BENCH_WAIT_MAX']} s; "
          f"load average (1/5/15 min) {' / '.join(f'{x:.1f}' for x in loads[0])} before the load run, "
          f"{' / '.join(f'{x:.1f}' for x in loads[1])} after")  # fmt: skip
    head = f"{'request':<38} {'n':>7} {'req/s':>7} {'p50':>8} {'p95':>8} {'p99':>8} {'max':>8} {'errors':>6}"
    print(f"\n{args.users} users, measured for {window:.0f} s after the last sign-in\n{head}")
    by_group = {}
    for group in ("page", "write", "api"):
        rows = [r for r in load_rows if r[0] == group]
        for name in sorted({r[1] for r in rows}):
            print(line(name, stats([r for r in rows if r[1] == name], window)))
        s = by_group[group] = stats(rows, window)
        ok = s["p95"] < TARGETS_MS[group] and s["errors"] == 0
        print(line(f"= {LABELS[group]}", s, f"p95 < {TARGETS_MS[group]} ms, 0 errors: {'met' if ok else 'MISSED'}"))
        if not ok:
            problems.append(f"{LABELS[group]} p95 {s['p95']:.0f} ms, {s['errors']} errors")
    total = stats(load_rows, window)
    print(line("= all", total, f"error rate {total['errors'] / max(total['n'], 1):.2%}"))

    print(f"\nbaseline: one user of each kind alone, {args.baseline_duration} s each\n{head}")
    for kind, (rows, seconds) in base.items():
        print(line(f"{kind} alone", stats(rows, seconds)))
    trivial, detail = (pooled([r[k] for r in rounds]) for k in (0, 1))
    t, d = stats(*trivial), stats(*detail)
    share = d["rps"] / t["rps"]
    print(f"\nthroughput, {args.throughput_users} clients without think time, {args.throughput_rounds} rounds of "
          f"{args.throughput_duration} s each, the two endpoints in turn")  # fmt: skip
    print("rounds (detail share of /healthz): " + ", ".join(
        f"{stats(*b)['rps'] / stats(*a)['rps']:.0%} ({stats(*b)['rps']:.0f} / {stats(*a)['rps']:.0f} req/s)"
        for a, b in rounds))  # fmt: skip
    print(head)
    print(line("GET /healthz (trivial)", t))
    print(line("GET /api/v1/members/[id]", d, f"{share:.0%} of /healthz (goal ≥ {DETAIL_SHARE_GOAL:.0%}): "
                                                f"{'met' if share >= DETAIL_SHARE_GOAL else 'MISSED'}"))  # fmt: skip
    if share < DETAIL_SHARE_GOAL:
        problems.append(f"member API detail at {share:.0%} of the trivial endpoint")
    summary = {"args": vars(args), "load_average": loads, "window_s": window, "groups": by_group, "all": total,
               "healthz": t, "member_detail": d, "detail_share": share}  # fmt: skip
    (OUT / "load-summary.json").write_text(json.dumps(summary, indent=1))
    failures = total["errors"] + t["errors"] + d["errors"] + sum(stats(*b)["errors"] for b in base.values())
    if not worker_alive:
        raise SystemExit("the task worker died during the run: see var/bench/task_worker.log")
    if failures:
        raise SystemExit(f"{failures} requests failed (see var/bench/*_failures.csv): the goal is 0")
    print("\n" + ("every goal met" if not problems else "missed: " + "; ".join(problems)))


if __name__ == "__main__":
    main()
