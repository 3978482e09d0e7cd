"""Load benchmark (docs/security.md §21): cadres browsing pages and API clients reading, against a running server.

A measurement, not a test (never run by CI or pytest). Normally started by ``bench/load.py``, which also starts
the server and reports p95 per group against the targets; by hand:

    .venv/bin/pip install locust gunicorn      # not in requirements*.txt
    .venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8765 --headless -u 20 -r 5 -t 60s

Two kinds of simulated users, both signed in as the province admin ``zhejiang`` (no two-factor step):

- ``CadreUser`` signs in once through the sign-in page and keeps its session: 组织 tree, an org page, the
  member list, a POSTed search (name prefix, pinyin, initials or card number, with the CSRF token from the
  page) and a member page.
- ``ApiUser`` gets one bearer token from ``POST /api/v1/auth/token`` and reuses it: org list, org detail,
  member list, member search, member detail.

Sign-in is rate-limited per IP (20 a minute, docs/security.md §16): each simulated user signs in exactly once,
so at most 20 users may start in one minute. Search terms and ids are real values drawn at start from the
members of 浙江省总工会's subtree (``DATABASE_URL``, default the ``gonghui_bench`` database).

Every measured request is recorded with its group (``page`` or ``api``); with ``BENCH_OUT`` set, the raw
response times are written there as JSON when the run ends (``load.py`` computes the group percentiles from
them). Sign-in requests are grouped ``setup`` and not measured.
"""

import json
import os
import random
import re
import threading

import psycopg
from locust import HttpUser, between, events, task

USERNAME = os.environ.get("BENCH_USERNAME", "zhejiang")
PASSWORD = os.environ.get("BENCH_PASSWORD", "Gonghui-demo-2021")
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/gonghui_bench")
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "300"))
WAIT = (float(os.environ.get("BENCH_WAIT_MIN", "0.5")), float(os.environ.get("BENCH_WAIT_MAX", "2.0")))
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

DATA: dict = {}
_data_lock = threading.Lock()
RECORDS: list[tuple[str, str, float, bool]] = []  # (group, name, response time ms, ok)


def sample_data() -> dict:
    """Real members, orgs and search terms within the bench user's grant, drawn once per locust process."""
    with _data_lock:
        if DATA:
            return DATA
        rng = random.Random(int(os.environ.get("BENCH_SEED", "21")))
        with psycopg.connect(DATABASE_URL) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT o.id, o.path FROM accounts_grant g JOIN accounts_user u ON u.id = g.user_id"
                " JOIN orgs_org o ON o.id = g.org_id WHERE u.username = %s",
                [USERNAME],
            )
            root_id, root_path = cur.fetchone()
            cur.execute("SELECT max(id) FROM members_membership")
            top = cur.fetchone()[0]
            members: dict[int, tuple] = {}
            while len(members) < SAMPLES:
                ids = [rng.randint(1, top) for _ in range(SAMPLES * 40)]
                cur.execute(
                    "SELECT m.id, m.card_number, m.org_id, p.id, p.name, p.name_pinyin, p.name_initials"
                    " FROM members_membership m JOIN orgs_org o ON o.id = m.org_id"
                    " JOIN members_person p ON p.id = m.person_id"
                    " WHERE m.id = ANY(%s) AND m.status = 'active' AND o.path LIKE %s",
                    [ids, root_path + "%"],
                )
                for row in cur.fetchall():
                    members.setdefault(row[0], row)
        rows = list(members.values())[:SAMPLES]
        terms = []
        for _, card, _, _, name, pinyin, initials in rows:
            terms += [name[:2], pinyin[:6], initials, card]
        rng.shuffle(terms)
        DATA.update(
            root_org=root_id,
            orgs=[root_id] + sorted({r[2] for r in rows}),
            persons=[r[3] for r in rows],
            terms=terms,
        )
        return DATA


@events.init.add_listener
def _on_init(environment, **_kwargs):
    data = sample_data()
    print(f"bench data: {len(data['persons'])} members, {len(data['orgs'])} orgs, {len(data['terms'])} search terms")


@events.request.add_listener
def _on_request(request_type, name, response_time, response_length, exception, context, **_kwargs):
    RECORDS.append((context.get("group", "other"), f"{request_type} {name}", response_time, exception is None))


@events.quitting.add_listener
def _on_quitting(environment, **_kwargs):
    out = os.environ.get("BENCH_OUT")
    if out:
        with open(out, "w") as fh:
            json.dump(RECORDS, fh)


def check(response, status: int = 200) -> None:
    """Mark the request failed unless it answered ``status`` (a redirect to sign-in counts as an error)."""
    if response.status_code != status:
        response.failure(f"HTTP {response.status_code}")
    else:
        response.success()


class CadreUser(HttpUser):
    """A province admin in the browser: signs in once, then browses orgs and members."""

    wait_time = between(*WAIT)
    weight = 1

    def on_start(self):
        self.data = sample_data()
        self.rng = random.Random()
        ctx = {"group": "setup"}
        page = self.client.get("/login/", name="sign-in page", context=ctx)
        token = CSRF_RE.search(page.text).group(1)
        with self.client.post(
            "/login/",
            {"username": USERNAME, "password": PASSWORD, "csrfmiddlewaretoken": token, "next": "/"},
            name="sign-in", context=ctx, allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 302:
                response.failure(f"sign-in failed: HTTP {response.status_code}")
                raise RuntimeError(f"sign-in failed: HTTP {response.status_code}")
        self.csrf = None
        self.member_list()

    def get(self, url: str, name: str):
        with self.client.get(
            url, name=name, context={"group": "page"}, allow_redirects=False, catch_response=True
        ) as response:
            check(response)
            return response

    @task(2)
    def org_tree(self):
        self.get("/orgs/", "/orgs/")

    @task(3)
    def org_page(self):
        self.get(f"/orgs/{self.rng.choice(self.data['orgs'])}/", "/orgs/[id]/")

    @task(3)
    def member_list(self):
        response = self.get("/members/", "/members/")
        found = CSRF_RE.search(response.text or "")
        if found:
            self.csrf = found.group(1)

    @task(4)
    def member_search(self):
        if self.csrf is None:
            return self.member_list()
        with self.client.post(
            "/members/",
            {"q": self.rng.choice(self.data["terms"]), "csrfmiddlewaretoken": self.csrf},
            name="/members/ (search)", context={"group": "page"}, allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            check(response)

    @task(4)
    def member_page(self):
        self.get(f"/members/{self.rng.choice(self.data['persons'])}/", "/members/[id]/")


class ApiUser(HttpUser):
    """An API client: one bearer token for the whole run, then reads."""

    wait_time = between(*WAIT)
    weight = 1

    def on_start(self):
        self.data = sample_data()
        self.rng = random.Random()
        with self.client.post(
            "/api/v1/auth/token",
            json={"username": USERNAME, "password": PASSWORD, "name": "locust"},
            name="/api/v1/auth/token", context={"group": "setup"}, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"token refused: HTTP {response.status_code} {response.text[:200]}")
                raise RuntimeError(f"token refused: HTTP {response.status_code}")
            self.client.headers["Authorization"] = f"Bearer {response.json()['token']}"

    def get(self, url: str, name: str):
        with self.client.get(url, name=name, context={"group": "api"}, catch_response=True) as response:
            check(response)

    @task(2)
    def org_list(self):
        self.get("/api/v1/orgs", "/api/v1/orgs")

    @task(3)
    def org_detail(self):
        self.get(f"/api/v1/orgs/{self.rng.choice(self.data['orgs'])}", "/api/v1/orgs/[id]")

    @task(3)
    def member_list(self):
        self.get("/api/v1/members?limit=50", "/api/v1/members")

    @task(4)
    def member_search(self):
        with self.client.post(
            "/api/v1/members/search",
            json={"q": self.rng.choice(self.data["terms"]), "limit": 20},
            name="/api/v1/members/search", context={"group": "api"}, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 200 and not response.json().get("items"):
                response.failure("search found nobody (the term was taken from a member in scope)")
            else:
                check(response)

    @task(4)
    def member_detail(self):
        self.get(f"/api/v1/members/{self.rng.choice(self.data['persons'])}", "/api/v1/members/[id]")
