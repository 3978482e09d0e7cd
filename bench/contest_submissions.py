"""1,000 knowledge-contest submissions at the same moment (issue 20): no attempt lost, p95 reported. A measurement,
not a test (never run by CI or pytest).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/gonghui_bench_contest \
        .venv/bin/python bench/contest_submissions.py [--entrants 1000 --workers 4 --threads 4]

It prepares the database named by DATABASE_URL (created if missing, migrated; the test cast of unions, then
``--entrants`` members of 浙江's company union, each with an account and an API token, and an open contest of
the provincial federation: 5 questions drawn from 10, 30 minutes, one attempt), serves the site with gunicorn
on 127.0.0.1:8766 (``--workers`` processes of ``--threads`` threads, development settings with DEBUG=0), starts
every entrant's attempt, then releases all the submissions at once from as many client threads (a barrier) and
times each until its answer. The trivial endpoint /healthz is hit by the same number of threads at once, in the
same run, as the baseline. Afterwards the database must hold exactly one submitted, scored attempt per entrant;
anything else (a refused sign-in, a non-200 answer, a lost or doubled attempt) fails the run with exit 1.
Results and the machine's caveats: docs/bench.md.
"""

import argparse
import os
import statistics
import sys
import threading
import time
from pathlib import Path

import server  # bench/server.py

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/gonghui_bench_contest")
os.environ["DATABASE_URL"] = DATABASE_URL
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
TOKEN_NAME = "竞赛压测"


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def ensure_database() -> None:
    """The bench database exists, with the C collation production uses (docs/deploy.md)."""
    import psycopg
    from psycopg import sql

    name = DATABASE_URL.rsplit("/", 1)[1]
    with psycopg.connect(DATABASE_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {} TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' "
                                 "LC_CTYPE 'C.UTF-8'").format(sql.Identifier(name)))  # fmt: skip


def prepare(entrants: int) -> tuple[int, list[str]]:
    """The contest's id and one API token per entrant (made through the services; the accounts' passwords, which
    nobody uses here, are hashed with a fast hasher to keep the set-up short)."""
    import datetime as dt

    import django
    from django.conf import settings

    django.setup()
    from django.contrib.auth.hashers import get_hashers
    from django.core.management import call_command
    from django.utils import timezone

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    get_hashers.cache_clear()
    from gonghui.accounts.models import ApiToken, User
    from gonghui.accounts.services import token_create, user_create
    from gonghui.members.services import member_create
    from gonghui.news import contest_services
    from gonghui.news.models import Attempt, Contest, Question
    from gonghui.orgs.models import Org
    from gonghui.testing.cast import build_cast, valid_id

    call_command("migrate", verbosity=0)
    if not Org.objects.exists():
        build_cast()
    province = Org.objects.get(name="浙江省总工会")
    company = Org.objects.get(name="杭州示例科技有限公司工会")
    have = User.objects.filter(username__startswith="bench-entrant-").count()
    for n in range(have, entrants):
        membership = member_create(actor=None, org=company, name=f"参赛职工{n}",
                                   id_number=valid_id(f"330106{1960 + n // 1000:04d}0101{n % 1000:03d}"))  # fmt: skip
        user_create(actor=None, username=f"bench-entrant-{n}", password="Bench-entrant-2026", check_password=False,
                    display_name=membership.person.name, person=membership.person)  # fmt: skip
        if n and n % 200 == 0:
            print(f"  {n} entrants", flush=True)
    ApiToken.objects.filter(name=TOKEN_NAME).delete()
    tokens = [
        token_create(actor=user, name=TOKEN_NAME)[1]
        for user in User.objects.filter(username__startswith="bench-entrant-").order_by("pk")[:entrants]
    ]
    if len(tokens) < entrants:
        raise SystemExit(f"only {len(tokens)} entrants could be prepared")
    Attempt.objects.filter(contest__title="压测知识竞赛").delete()
    Contest.objects.filter(title="压测知识竞赛").delete()
    kinds = [("single", ["甲", "乙", "丙", "丁"], "B"), ("multiple", ["甲", "乙", "丙"], "AC"), ("judge", [], "正确")]

    for i in range(Question.objects.filter(org=province, text__startswith="压测第").count(), 10):
        kind, options, answer = kinds[i % 3]
        contest_services.question_create(actor=None, org=province, kind=kind, text=f"压测第{i + 1}题",
                                         options=options, answer=answer, category="工会法")  # fmt: skip
    now = timezone.now()
    contest = contest_services.contest_create(
        actor=None, org=province, title="压测知识竞赛", starts_at=now - dt.timedelta(hours=1),
        ends_at=now + dt.timedelta(days=1), question_count=5, time_limit_minutes=30, attempts_allowed=1,
    )  # fmt: skip
    from django.db import connections

    connections.close_all()
    return contest.pk, tokens


def at_once(calls: list) -> tuple[list[float], list[str], float]:
    """Runs every ``call`` (returns an error text or "") in its own thread, all released together: the seconds
    each took, the errors, the wall time from release to the last answer."""
    barrier = threading.Barrier(len(calls) + 1)
    times, errors = [0.0] * len(calls), []

    def run(i: int) -> None:
        barrier.wait()
        started = time.perf_counter()
        try:
            error = calls[i]()
        except Exception as exc:  # a refused connection, a timeout: an error of the run, counted
            error = f"{exc.__class__.__name__}: {exc}"
        times[i] = time.perf_counter() - started
        if error:
            errors.append(error)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    barrier.wait()
    released = time.perf_counter()
    for thread in threads:
        thread.join()
    return times, errors, time.perf_counter() - released


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--entrants", type=int, default=1000)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn worker processes")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    parser.add_argument("--port", type=int, default=8766)
    args = parser.parse_args()
    import requests

    if not DATABASE_URL.startswith("postgres"):
        raise SystemExit("this bench runs on PostgreSQL (DATABASE_URL=postgres://…): SQLite takes one writer at once")
    ensure_database()
    print(f"preparing {args.entrants} entrants and the contest …", flush=True)
    contest_id, tokens = prepare(args.entrants)
    gunicorn = server.start(
        port=args.port,
        workers=args.workers,
        threads=args.threads,
        database_url=DATABASE_URL,
        env={"LOG_LEVEL": "WARNING"},
    )  # no line per request
    base = f"http://127.0.0.1:{args.port}/api/v1/news"
    try:
        attempts: list[tuple[int, list[int]]] = []
        with requests.Session() as session:
            for token in tokens:  # each entrant starts an attempt (the questions drawn and fixed now)
                r = session.post(f"{base}/contests/{contest_id}/attempts", json={},
                                 headers={"Authorization": f"Bearer {token}"}, timeout=60)  # fmt: skip
                if r.status_code != 200:
                    raise SystemExit(f"starting an attempt failed: {r.status_code} {r.text[:300]}")
                body = r.json()
                attempts.append((body["id"], [q["position"] for q in body["questions"]]))

        def submit(token: str, attempt_id: int, questions: list[int]):
            def call() -> str:
                r = requests.post(f"{base}/attempts/{attempt_id}/submit", timeout=120,
                                  headers={"Authorization": f"Bearer {token}"},
                                  json={"answers": {str(q): ["A"] for q in questions}})  # fmt: skip
                return (
                    "" if r.status_code == 200 and r.json().get("submitted_at") else f"{r.status_code} {r.text[:120]}"
                )

            return call

        def health() -> str:
            r = requests.get(f"http://127.0.0.1:{args.port}/healthz", timeout=120)
            return "" if r.status_code == 200 else str(r.status_code)

        base_times, base_errors, base_wall = at_once([health] * len(tokens))
        times, errors, wall = at_once([submit(t, a, q) for t, (a, q) in zip(tokens, attempts, strict=True)])
    finally:
        server.stop(gunicorn)

    from gonghui.news.models import Attempt

    stored = Attempt.objects.filter(contest_id=contest_id)
    submitted, scored = stored.exclude(submitted_at=None).count(), stored.exclude(score=None).count()
    people = stored.values("person").distinct().count()

    def row(label, values, errs, seconds):
        ms = [v * 1000 for v in values]
        return (
            f"| {label} | {len(values):,} | {len(errs)} | {statistics.median(ms):,.0f} | {percentile(ms, 95):,.0f}"
            f" | {percentile(ms, 99):,.0f} | {max(ms):,.0f} | {seconds:.1f} s | {len(values) / seconds:,.0f}/s |"
        )

    print(
        f"\ngunicorn {args.workers} workers × {args.threads} threads, DEBUG=0, PostgreSQL; "
        f"{len(tokens):,} client threads released together (one barrier)\n"
    )
    print("| request | sent | errors | p50 ms | p95 ms | p99 ms | max ms | all answered in | throughput |")
    print("|---|---|---|---|---|---|---|---|---|")
    print(row("POST …/attempts/{id}/submit (scored on the server)", times, errors, wall))
    print(row("GET /healthz (baseline, same run)", base_times, base_errors, base_wall))
    print(
        f"\nattempts in the database: {stored.count():,} ({submitted:,} submitted, {scored:,} scored, "
        f"{people:,} entrants)"
    )
    for error in sorted(set(errors + base_errors))[:10]:
        print("error:", error)
    if errors or base_errors or not (submitted == scored == people == stored.count() == len(tokens)):
        raise SystemExit("FAILED: errors, or attempts lost or doubled (see above)")


if __name__ == "__main__":
    main()
