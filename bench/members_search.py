"""Member search benchmark: 1,000,000 members on PostgreSQL. A measurement, not a test (never run by CI).

Load the data once, into a database of its own so that the test database is untouched:

    psql -h 127.0.0.1 -U root test -c 'create database gonghui_bench'
    export DATABASE_URL=postgres://root@127.0.0.1:5432/gonghui_bench
    .venv/bin/python manage.py migrate
    .venv/bin/python manage.py demo_data --members 1000000 --seed 2021 --batch-size 50000

Then run (DATABASE_URL defaults to the database above):

    .venv/bin/python bench/members_search.py [--samples 200]

Each figure is printed beside a naive baseline measured in the same run, and against its target. The pages
are measured signed in as the national admin through the password and the two-factor step (the code comes
from the device's secret); the run stops with a non-zero exit if it cannot sign in or a page is not 200.
Results and machine caveats: docs/bench.md.
"""

import argparse
import json
import os
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DATABASE_URL", "postgres://root@127.0.0.1:5432/gonghui_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gonghui.settings")
os.environ["DEBUG"] = "0"  # no query log, templates as in production
os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.db.models import Q, Sum  # noqa: E402
from django.db.models.functions import Substr  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import reverse  # noqa: E402

from gonghui.accounts import totp, two_factor  # noqa: E402
from gonghui.accounts.models import TotpDevice, User  # noqa: E402
from gonghui.core import crypto  # noqa: E402
from gonghui.core.pagination import capped_count  # noqa: E402
from gonghui.members import selectors  # noqa: E402
from gonghui.members.demo import DEMO_PASSWORD  # noqa: E402
from gonghui.members.models import Membership, Person  # noqa: E402
from gonghui.orgs.models import Org  # noqa: E402
from gonghui.orgs.selectors import subtree_counts, subtree_member_count  # noqa: E402

PAGE = 20
TARGETS_MS = {"exact": 10, "prefix": 50, "count": 50, "page": 150, "org": 50}
RESULTS: list[tuple] = []


def ms(seconds: float) -> float:
    return seconds * 1000


def percentile(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def timed(fn, inputs) -> list[float]:
    out = []
    for value in inputs:
        start = time.perf_counter()
        fn(value)
        out.append(ms(time.perf_counter() - start))
    return out


def fresh(user: User) -> User:
    """A request loads the user's grants once; drop the cache so every call pays for it."""
    user.__dict__.pop("_gonghui_grants", None)
    return user


def fail(message: str) -> None:
    """Stop with a non-zero exit: a bench that cannot measure what it names must not measure something else."""
    sys.exit(f"bench/members_search.py: {message}")


def totp_code(user: User) -> str:
    """The code the user's authenticator shows now, from the device's secret; waits for a fresh time step
    when the last one was used (the replay guard refuses a code twice, e.g. two runs within 30 s)."""
    device = TotpDevice.objects.get(user=user)
    while totp.step_at(time.time()) <= device.last_step:
        time.sleep(1)
    return totp.code_for(two_factor.secret_of(device))


def sign_in(username: str) -> Client:
    """The real sign-in: the password, then the two-factor step (enrolling the authenticator on first use,
    as the user would with the QR code), each answered through the pages."""
    client = Client()
    answer = client.post(reverse("accounts:login"), {"username": username, "password": DEMO_PASSWORD})
    if answer.status_code != 302:
        fail(f"cannot sign in as {username} with the demo password (status {answer.status_code})")
    user = User.objects.get(username=username)
    if not two_factor.required_for(user):
        if client.get(reverse("members:list")).status_code != 200:
            fail(f"{username} signed in but the member list did not open")
        return client
    if two_factor.device_of(user) is None:
        if client.get(reverse("accounts:2fa_setup")).status_code != 200:
            fail(f"the two-factor enrolment page of {username} did not open")
        answer = client.post(reverse("accounts:2fa_setup"), {"code": totp_code(user)})
    else:
        answer = client.post(reverse("accounts:2fa_verify"), {"code": totp_code(user)})
    if answer.status_code not in (200, 302) or client.get(reverse("members:list")).status_code != 200:
        fail(f"the two-factor step of {username} failed (status {answer.status_code})")
    return client


def page(client: Client, method: str, url: str, data: dict | None = None):
    """A page as the browser gets it: a search is POSTed once and redirected (303) to the page of its results,
    which is fetched too (both requests timed)."""
    response = getattr(client, method)(url, data or {})
    if method == "post" and response.status_code == 303:
        response = client.get(response["Location"])
    if response.status_code != 200:
        fail(f"{method.upper()} {url} answered {response.status_code}, not 200")
    return response


def interleaved(name: str, before, after, runs: int) -> None:
    """The old way and the new one, alternately, ``runs`` times each: medians, p95 and their ratio."""
    times: dict[str, list[float]] = {"before": [], "after": []}
    for _ in range(runs):
        for key, fn in (("before", before), ("after", after)):
            start = time.perf_counter()
            fn()
            times[key].append(ms(time.perf_counter() - start))
    b, a = statistics.median(times["before"]), statistics.median(times["after"])
    print(f"{name:<44} before p50 {b:8.2f} ms p95 {percentile(times['before'], 95):8.2f}  "
          f"after p50 {a:8.2f} ms p95 {percentile(times['after'], 95):8.2f}  ({b / a:,.1f}x)", flush=True)  # fmt: skip


def or_like_counts(orgs: list[Org]) -> dict[int, int]:
    """The children's totals as before: every org row tested against each child's path (OR LIKE)."""
    scope = Q(pk__in=[])
    for org in orgs:
        scope |= Q(path__startswith=org.path)
    width = len(orgs[0].path)
    rows = Org.objects.filter(scope).annotate(prefix=Substr("path", 1, width)).values("prefix")
    return dict(rows.annotate(n=Sum("member_count")).values_list("prefix", "n"))


def ids_only_count(rows, q: str) -> int:
    """A name search's count as before decision 0055's session: the memberships of the persons walked, by their
    ids alone (with the tables partitioned, PostgreSQL joined them to every person of the prefix)."""
    column, key = selectors.name_prefix(q)
    persons = Person.objects.filter(**selectors._range(column, key)).order_by(column, "id")
    walked = list(persons.values_list("id", flat=True)[: selectors.PREFIX_COUNT_WALK])
    return rows.order_by().filter(person_id__in=walked)[: selectors.SEARCH_COUNT_LIMIT + 1].count()


def grouped_scan_counts(orgs: list[Org]) -> dict[str, int]:
    """The children's totals as in the first session of issue 11: one prefix scan of the parent's subtree
    grouped by the child segment (every org row of the subtree read)."""
    width = len(orgs[0].path)
    rows = Org.objects.filter(path__startswith=orgs[0].path[: width - 8]).annotate(prefix=Substr("path", 1, width))
    return dict(rows.values("prefix").annotate(n=Sum("member_count")).values_list("prefix", "n"))


def first_page(user, q):
    return list(selectors.member_search(fresh(user), q=q)[:PAGE])


def report(name: str, kind: str, times: list[float], baseline: str, note: str = "") -> None:
    p50, p95 = statistics.median(times), percentile(times, 95)
    target = TARGETS_MS[kind]
    status = "OK" if p95 <= target else "MISSED"
    RESULTS.append((name, p50, p95, target, status, baseline, note))
    print(f"{name:<44} p50 {p50:8.2f} ms  p95 {p95:8.2f} ms  target ≤{target:>4} ms  {status:<6}  baseline: {baseline}"
          + (f"  ({note})" if note else ""), flush=True)  # fmt: skip


def page_sql_ms(client: Client, method: str, url: str, data: dict | None = None, runs: int = 20) -> list[float]:
    """The database's own time for a page: the SELECTs the page ran, each run again under ``EXPLAIN (ANALYZE)``
    and their execution times added up (planning excluded), ``runs`` times. Less sensitive than wall time to
    the Python process waiting for a CPU on a shared machine."""
    with CaptureQueriesContext(connection) as captured:
        page(client, method, url, data)
    selects = [q["sql"] for q in captured.captured_queries if q["sql"].lstrip().upper().startswith("SELECT")]
    if not selects:
        fail(f"{url}: no SELECT captured")
    totals = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            total = 0.0
            for sql in selects:
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
                plan = cursor.fetchone()[0]
                total += (json.loads(plan) if isinstance(plan, str) else plan)[0]["Execution Time"]
            totals.append(total)
    return totals


def sql_ms(sql: str, params=(), runs: int = 3) -> float:
    """Median wall time of a raw query over ``runs`` runs (for the naive baselines)."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            start = time.perf_counter()
            cursor.execute(sql, params)
            cursor.fetchall()
            times.append(ms(time.perf_counter() - start))
    return statistics.median(times)


def sample_members(rng: random.Random, n: int, path_prefix: str = "") -> list[Membership]:
    """``n`` random active memberships (optionally within a subtree), picked by random ids."""
    top = Membership.objects.order_by("-pk").values_list("pk", flat=True).first()
    picked: dict[int, Membership] = {}
    while len(picked) < n:
        ids = [rng.randint(1, top) for _ in range(n * 20)]
        qs = Membership.objects.filter(pk__in=ids, status="active").select_related("person", "org")
        if path_prefix:
            qs = qs.filter(org__path__startswith=path_prefix)
        for m in qs:
            picked.setdefault(m.pk, m)
    return list(picked.values())[:n]


def prewarm() -> str:
    """Read the member tables and their indexes into the OS cache, as on a server that has been running."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_prewarm")
            cursor.execute(
                "SELECT sum(pg_prewarm(c.oid, 'read')) FROM pg_class c WHERE c.relkind IN ('r', 'i')"
                " AND (c.relname LIKE 'members_%%' OR c.relname LIKE 'orgs_org%%' OR c.relname LIKE 'person_%%'"
                " OR c.relname LIKE 'membership_%%' OR c.relname LIKE 'org_%%')"
            )
            return f"prewarmed {cursor.fetchone()[0] * 8 // 1024:,} MB"
    except Exception as exc:  # no pg_prewarm: figures include cold reads
        return f"not prewarmed ({exc.__class__.__name__})"


def decrypt_scan_ms_per_row(sample_rows: int = 20000) -> float:
    """The naive exact search: fetch every ciphertext and decrypt until it matches (measured on a sample)."""
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number_enc FROM members_person ORDER BY id LIMIT %s", [sample_rows])
        rows = cursor.fetchall()
    for (token,) in rows:
        crypto.decrypt(token)
    return ms(time.perf_counter() - start) / len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--samples", type=int, default=200, help="queries per measurement")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument(
        "--pages-only",
        action="store_true",
        help="skip the searches by query (1-3): the pages, the ratios and the database time only",
    )
    args = parser.parse_args()
    rng = random.Random(args.seed)
    n_members = Membership.objects.filter(status="active").count()
    n_orgs = Org.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    print(f"database {connection.settings_dict['NAME']} on {connection.vendor} {version}; "
          f"{n_members:,} active members, {n_orgs:,} orgs; {os.cpu_count()} CPUs; "
          f"count cap {settings.GONGHUI_COUNT_LIMIT:,}", flush=True)  # fmt: skip
    print(prewarm(), flush=True)
    if n_members < 100000:
        print("warning: load 1,000,000 members first (see the docstring); figures on small data mean little")
    national_admin = User.objects.get(username="quanzong")
    province_admin = User.objects.filter(username__in=["zhejiang", "shengzong"]).first()
    province = province_admin.grants.get().org
    national = national_admin.grants.get().org

    nat_sample = sample_members(rng, args.samples)
    prov_sample = sample_members(rng, args.samples, province.path)
    for m in nat_sample + prov_sample:
        m.id_plain = crypto.decrypt(m.person.id_number_enc)
        m.phone_plain = crypto.decrypt(m.person.phone_enc)
    for _ in range(20):  # warm the connection and the caches
        first_page(national_admin, nat_sample[0].card_number)

    if not args.pages_only:
        # 1. exact searches ------------------------------------------------------------------------------------
        per_row = decrypt_scan_ms_per_row()
        persons = Person.objects.count()
        scan = f"decrypt-every-row scan ≈ {per_row * persons / 2:,.0f} ms avg (extrapolated from 20,000 rows)"
        for who, user, sample in (("national", national_admin, nat_sample), ("province", province_admin, prov_sample)):
            report(f"ID exact ({who} admin)", "exact",
                   timed(lambda m, u=user: first_page(u, m.id_plain), sample), scan)  # fmt: skip
            report(f"phone exact ({who} admin)", "exact",
                   timed(lambda m, u=user: first_page(u, m.phone_plain), sample), scan)  # fmt: skip
            card = nat_sample[0].card_number
            naive = sql_ms("SELECT id FROM members_membership WHERE card_number LIKE %s", [f"%{card[4:]}%"])
            report(f"card number exact ({who} admin)", "exact",
                   timed(lambda m, u=user: first_page(u, m.card_number), sample),
                   f"LIKE '%x%' on card_number {naive:,.0f} ms")  # fmt: skip

        # 2. prefix searches: a name's first two characters, full pinyin, initials ------------------------------
        names = [m.person.name[:2] for m in nat_sample]
        name = names[0]
        naive_name = sql_ms(
            "SELECT m.id FROM members_membership m JOIN members_person p ON p.id = m.person_id"
            " WHERE m.status = 'active' AND p.name LIKE %s ORDER BY m.id DESC", [f"%{name}%"], runs=3
        )  # fmt: skip
        for who, user, sample in (("national", national_admin, nat_sample), ("province", province_admin, prov_sample)):
            report(f"name prefix, 2 chars ({who} admin)", "prefix",
                   timed(lambda m, u=user: first_page(u, m.person.name[:2]), sample),
                   f"LIKE '%x%' unindexed, all matches {naive_name:,.0f} ms")  # fmt: skip
        pinyin = nat_sample[0].person.name_pinyin[:6]
        naive_pinyin = sql_ms(
            "SELECT m.id FROM members_membership m JOIN members_person p ON p.id = m.person_id"
            " WHERE m.status = 'active' AND (p.name_pinyin LIKE %s OR p.name_initials LIKE %s) ORDER BY m.id DESC",
            [f"%{pinyin}%", f"%{pinyin}%"], runs=3,
        )  # fmt: skip
        for who, user, sample in (("national", national_admin, nat_sample), ("province", province_admin, prov_sample)):
            report(f"pinyin prefix, 6 letters ({who} admin)", "prefix",
                   timed(lambda m, u=user: first_page(u, m.person.name_pinyin[:6]), sample),
                   f"LIKE '%x%' unindexed {naive_pinyin:,.0f} ms")  # fmt: skip
            report(f"initials prefix ({who} admin)", "prefix",
                   timed(lambda m, u=user: first_page(u, m.person.name_initials), sample),
                   f"LIKE '%x%' unindexed {naive_pinyin:,.0f} ms")  # fmt: skip

        # 3. the national root's subtree member count -----------------------------------------------------------
        naive_count = sql_ms(
            "SELECT COUNT(*) FROM members_membership m JOIN orgs_org o ON o.id = m.org_id"
            " WHERE m.status = 'active' AND o.path LIKE %s", [national.path + "%"], runs=3,
        )  # fmt: skip
        report("subtree member count (national root)", "count",
               timed(lambda _: subtree_member_count(national), range(max(20, args.samples // 4))),
               f"COUNT(*) memberships ⨝ org paths {naive_count:,.0f} ms")  # fmt: skip
        naive_province = sql_ms(
            "SELECT COUNT(*) FROM members_membership m JOIN orgs_org o ON o.id = m.org_id"
            " WHERE m.status = 'active' AND o.path LIKE %s", [province.path + "%"], runs=3,
        )  # fmt: skip
        report("subtree member count (province)", "count",
               timed(lambda _: subtree_member_count(province), range(max(20, args.samples // 4))),
               f"COUNT(*) memberships ⨝ org paths {naive_province:,.0f} ms")  # fmt: skip

    # 4. the member list page -------------------------------------------------------------------------------
    naive_page = sql_ms(
        "SELECT COUNT(*) FROM members_membership m JOIN orgs_org o ON o.id = m.org_id"
        " WHERE m.status = 'active' AND o.path LIKE %s", [national.path + "%"], runs=3,
    ) + sql_ms(
        "SELECT m.id FROM members_membership m JOIN orgs_org o ON o.id = m.org_id WHERE m.status = 'active'"
        " AND o.path LIKE %s ORDER BY m.id DESC LIMIT 20", [national.path + "%"], runs=3,
    )  # fmt: skip
    url = reverse("members:list")
    client = sign_in("quanzong")
    sample = nat_sample[: max(20, args.samples // 2)]
    report("GET /members/ (national admin)", "page", timed(lambda _: page(client, "get", url), sample),
           f"first page + exact COUNT(*) {naive_page:,.0f} ms", "server time via the test client")  # fmt: skip
    queries = [m.person.name[:2] for m in sample] + [m.id_plain for m in sample] + [m.card_number for m in sample]
    rng.shuffle(queries)
    report("POST /members/ search (national admin)", "page",
           timed(lambda q: page(client, "post", url, {"q": q}), queries[: len(sample)]),
           f"first page + exact COUNT(*) {naive_page:,.0f} ms", "mixed: names, IDs, card numbers")  # fmt: skip
    province_client = sign_in(province_admin.username)
    for who, signed_in in (("national", client), ("province", province_client)):
        for prefix in ("zh", "王", "wang"):
            report(f"POST /members/ search '{prefix}' ({who} admin)", "page",
                   timed(lambda q, c=signed_in: page(c, "post", url, {"q": q}), [prefix] * len(sample)),
                   f"first page + exact COUNT(*) {naive_page:,.0f} ms", "a common prefix, capped count")  # fmt: skip

    # 5. the org page and its children list at national scope ----------------------------------------------
    for top in (national, province):
        children = Org.objects.filter(parent=top).count()
        for name, view in (("GET org page", "orgs:detail"), ("GET children list", "orgs:children")):
            org_url = reverse(view, args=[top.pk])
            report(f"{name} ({'national root' if top == national else 'province'})", "org",
                   timed(lambda _, u=org_url: page(client, "get", u), sample),
                   f"{children} children", "server time via the test client")  # fmt: skip

    # 6. before/after in the same run, interleaved (the machine's noise hits both alike) ----------------------
    children = list(Org.objects.filter(parent=national))
    for who, user in (("national", national_admin), ("province", province_admin)):
        for prefix in ("zh", "王", "wang"):
            found = selectors.member_search(fresh(user), q=prefix)
            # before: the capped count in scope from the memberships; after: the bounded walk of the person index
            interleaved(f"count '{prefix}' ({who}), capped → bounded walk",
                        lambda f=found: capped_count(f, selectors.SEARCH_COUNT_LIMIT),
                        lambda f=found, q=prefix: selectors.search_count(f, q), args.samples)  # fmt: skip
            interleaved(f"count '{prefix}' ({who}), walked ids → and last walked",
                        lambda f=found, q=prefix: ids_only_count(f, q),
                        lambda f=found, q=prefix: selectors.search_count(f, q), args.samples)  # fmt: skip
    interleaved("children's subtree totals (national), OR LIKE", lambda: or_like_counts(children),
                lambda: subtree_counts(children), args.samples)  # fmt: skip
    interleaved("children's subtree totals (national), grouped", lambda: grouped_scan_counts(children),
                lambda: subtree_counts(children), args.samples)  # fmt: skip

    # 7. the database's own time for the pages (EXPLAIN ANALYZE of each SELECT the page ran) -----------------
    for name, signed_in, method, url_, data in (
        ("org page (national root)", client, "get", reverse("orgs:detail", args=[national.pk]), None),
        ("children list (national root)", client, "get", reverse("orgs:children", args=[national.pk]), None),
        ("org page (province)", province_client, "get", reverse("orgs:detail", args=[province.pk]), None),
        ("search 'zh' (national admin)", client, "post", url, {"q": "zh"}),
        ("search '王' (national admin)", client, "post", url, {"q": "王"}),
        ("search 'zh' (province admin)", province_client, "post", url, {"q": "zh"}),
        ("search 'wang' (province admin)", province_client, "post", url, {"q": "wang"}),
    ):  # fmt: skip
        totals = page_sql_ms(signed_in, method, url_, data, runs=max(10, args.samples // 5))
        print(
            f"database time, {name:<36} p50 {statistics.median(totals):8.2f} ms  "
            f"p95 {percentile(totals, 95):8.2f} ms (sum of the page's SELECTs, EXPLAIN ANALYZE)",
            flush=True,
        )

    missed = [r for r in RESULTS if r[4] != "OK"]
    print(f"\n{len(RESULTS) - len(missed)} of {len(RESULTS)} within target" +
          ("; missed: " + ", ".join(r[0] for r in missed) if missed else ""))  # fmt: skip


if __name__ == "__main__":
    main()
