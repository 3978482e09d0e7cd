"""Load benchmark (docs/security.md §21, issue 19): workers, cadres, leaders and API clients against a running server.

A measurement, not a test (never run by CI or pytest). Normally started by ``bench/load.py``, which makes the
bench accounts, starts the production stack and reports per request type against the targets; by hand (after
one ``bench/load.py`` run has written ``var/bench/accounts.json``):

    var/locust-venv/bin/locust -f bench/locustfile.py --host http://127.0.0.1:8765 --headless -u 50 -r 5 -t 120s

Four kinds of simulated users, each signed in once as its own bench account (``BENCH_ACCOUNTS``), from its own
loopback address (127.0.0.2, .3, …: the sign-in limit is per IP, as it is for people behind nginx):

- ``WorkerUser`` — a member on the phone (a phone's User-Agent): 我的 home, the e-card, 活动报名 (their unions'
  open events), signing up for an event and cancelling a sign-up; each sign-up or cancellation must show its
  success message on the page it leads to.
- ``CadreUser`` — a city union's admin in the browser: the member list, POSTed searches (name prefix, pinyin,
  initials or card number of members in scope), member pages and 更正信息 (the edit form read, one field changed,
  saved: 302, never a conflict — each cadre edits only its own share of the members). Every other cadre may see
  unmasked data and so signs in with the two-factor step.
- ``LeaderUser`` — a province admin (with unmasked data, so with two factors) opening 一屏总览 and drilling down
  to a city.
- ``ApiUser`` — an API client with one bearer token (the province admin ``zhejiang``): org list and detail,
  member list, search and detail.

Two more, for the throughput comparison (no think time): ``HealthzUser`` (GET /healthz, the trivial endpoint) and
``MemberDetailUser`` (GET /api/v1/members/{id}).

A user that cannot sign in (password, two-factor step, token) raises and is recorded as a failed ``setup``
request; a page answering anything but what the journey expects (a 404, a redirect to sign-in, a missing success
message) is a failed request. ``bench/load.py`` fails the run on either. Every request is recorded with its group
(``page``, ``write``, ``api``, ``trivial``), name, response time, outcome and end time; with ``BENCH_OUT`` set the
records are written there as JSON when the run ends. Sign-in requests are grouped ``setup`` and not measured.
"""

import itertools
import json
import os
import random
import re
import threading
import time
from html.parser import HTMLParser
from pathlib import Path

import psycopg
import pyotp
from locust import HttpUser, between, constant, events, task
from requests.adapters import HTTPAdapter
from requests.cookies import RequestsCookieJar

ROOT = Path(__file__).resolve().parent.parent
ACCOUNTS_FILE = Path(os.environ.get("BENCH_ACCOUNTS", ROOT / "var" / "bench" / "accounts.json"))
API_USERNAME = os.environ.get("BENCH_USERNAME", "zhejiang")
API_PASSWORD = os.environ.get("BENCH_PASSWORD", "Gonghui-demo-2021")
DATABASE_URL = os.environ.get("DATABASE_URL", "postgres://root@127.0.0.1:5432/gonghui_bench")
SAMPLES = int(os.environ.get("BENCH_SAMPLES", "300"))
WAIT = (float(os.environ.get("BENCH_WAIT_MIN", "0.5")), float(os.environ.get("BENCH_WAIT_MAX", "2.0")))
PHONE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 MicroMessenger/8.0"
)
CSRF_RE = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SIGNUP_RE = re.compile(r'action="/activities/(\d+)/signup/"')
CANCEL_RE = re.compile(r'action="/activities/signups/(\d+)/cancel/"')

DATA: dict = {}
_data_lock = threading.Lock()
_next = {kind: itertools.count() for kind in ("worker", "cadre", "leader")}
_addresses = itertools.count(2)
RECORDS: list[tuple[str, str, float, bool, float]] = []  # (group, name, response time ms, ok, end time)


def accounts() -> dict:
    if not ACCOUNTS_FILE.exists():
        raise RuntimeError(f"no bench accounts at {ACCOUNTS_FILE}: run bench/load.py, which makes them")
    return json.loads(ACCOUNTS_FILE.read_text())


def _members_under(cur, path: str, rng: random.Random, n: int, where: str = "", params=()) -> list[tuple]:
    """Up to ``n`` active members under ``path``: (person id, name, pinyin, initials, card number)."""
    cur.execute(
        "SELECT p.id, p.name, p.name_pinyin, p.name_initials, m.card_number FROM members_membership m"
        " JOIN orgs_org o ON o.id = m.org_id JOIN members_person p ON p.id = m.person_id"
        f" WHERE o.path LIKE %s AND m.status = 'active' {where} ORDER BY m.id LIMIT %s",
        [path + "%", *params, n * 20],
    )
    rows = cur.fetchall()
    return rng.sample(rows, min(n, len(rows)))


def _terms(rows: list[tuple], rng: random.Random) -> list[str]:
    terms = [t for _, name, pinyin, initials, card in rows for t in (name[:2], pinyin[:6], initials, card)]
    rng.shuffle(terms)
    return terms


def sample_data() -> dict:
    """Real members, orgs and search terms within each account's grant, drawn once per locust process."""
    with _data_lock:
        if DATA:
            return DATA
        rng = random.Random(int(os.environ.get("BENCH_SEED", "21")))
        bench = accounts()
        with psycopg.connect(DATABASE_URL) as conn, conn.cursor() as cur:
            cur.execute(
                "SELECT o.id, o.path FROM accounts_grant g JOIN accounts_user u ON u.id = g.user_id"
                " JOIN orgs_org o ON o.id = g.org_id WHERE u.username = %s",
                [API_USERNAME],
            )
            root_id, root_path = cur.fetchone()
            rows = _members_under(cur, root_path, rng, SAMPLES)
            persons = [r[0] for r in rows]
            api = {"orgs": [root_id, *_orgs_of(cur, persons)], "persons": persons, "terms": _terms(rows, rng)}
            cadres = bench["cadre"]
            for i, cadre in enumerate(cadres):  # each cadre its own share of the members: no two edit one person
                mine = _members_under(cur, cadre["path"], rng, 60, "AND p.id %% %s = %s", (len(cadres), i))
                if not mine:
                    raise RuntimeError(f"no members in the scope of {cadre['username']}")
                cadre |= {"persons": [r[0] for r in mine], "terms": _terms(mine, rng)}
            for leader in bench["leader"]:
                cur.execute("SELECT id FROM orgs_org WHERE parent_id = %s ORDER BY id", [leader["org"]])
                leader["children"] = [r[0] for r in cur.fetchall()]
        DATA.update(api=api, accounts=bench)
        return DATA


def _orgs_of(cur, persons: list[int]) -> list[int]:
    cur.execute("SELECT DISTINCT org_id FROM members_membership WHERE person_id = ANY(%s) AND status = 'active'"
                " ORDER BY org_id", [persons])  # fmt: skip
    return [r[0] for r in cur.fetchall()]


@events.init.add_listener
def _on_init(environment, **_kwargs):
    data = sample_data()
    counts = ", ".join(f"{len(v)} {k}s" for k, v in data["accounts"].items() if isinstance(v, list))
    print(f"bench data: {len(data['api']['persons'])} members for the API client; accounts: {counts}")


@events.request.add_listener
def _on_request(request_type, name, response_time, response_length, exception, context, **_kwargs):
    RECORDS.append((context.get("group", "other"), f"{request_type} {name}", response_time, exception is None,
                    time.time()))  # fmt: skip


@events.quitting.add_listener
def _on_quitting(environment, **_kwargs):
    out = os.environ.get("BENCH_OUT")
    if out:
        with open(out, "w") as fh:
            json.dump(RECORDS, fh)


def check(response, status: int = 200, contains: str | None = None) -> None:
    """Mark the request failed unless it answered ``status`` (a redirect to sign-in counts as an error) and, if
    given, its page holds ``contains``."""
    if response.status_code != status:
        response.failure(f"HTTP {response.status_code}")
    elif contains is not None and contains not in response.text:
        response.failure(f"the page lacks {contains!r}")
    else:
        response.success()


class _SourceAddress(HTTPAdapter):
    """Connections from one loopback address (127.0.0.0/8 is all loopback on Linux)."""

    def __init__(self, address: str):
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


class _LoopbackCookies(RequestsCookieJar):
    """The production settings mark the session and CSRF cookies Secure; a browser still sends them to
    http://127.0.0.1 (a loopback origin counts as secure), and so does the bench."""

    def set_cookie(self, cookie, *args, **kwargs):
        cookie.secure = False
        return super().set_cookie(cookie, *args, **kwargs)


class BenchUser(HttpUser):
    abstract = True
    wait_time = between(*WAIT)

    def on_start(self):
        self.data = sample_data()
        self.rng = random.Random()
        n = next(_addresses)
        self.client.mount("http://", _SourceAddress(f"127.0.{n // 250}.{n % 250 + 2}"))
        self.client.cookies = _LoopbackCookies()
        self.sign_in()
        RECORDS.append(("setup", "ready", 0.0, True, time.time()))

    def sign_in(self):
        raise NotImplementedError

    def fail_setup(self, name: str, reason: str):
        RECORDS.append(("setup", name, 0.0, False, time.time()))
        raise RuntimeError(f"{self.account['username'] if hasattr(self, 'account') else name}: {reason}")

    def page_sign_in(self, kind: str):
        """The sign-in page, the password and, for an account with an authenticator, the two-factor step."""
        pool = self.data["accounts"][kind]
        index = next(_next[kind])
        if index >= len(pool):
            self.fail_setup("sign-in", f"more {kind} users than bench accounts ({len(pool)})")
        self.account = pool[index]
        ctx = {"group": "setup"}
        page = self.client.get("/login/", name="sign-in page", context=ctx)
        token = CSRF_RE.search(page.text).group(1)
        form = {"username": self.account["username"], "password": self.data["accounts"]["password"],
                "csrfmiddlewaretoken": token, "next": "/"}  # fmt: skip
        answer = self.client.post("/login/", form, name="sign-in", context=ctx, allow_redirects=False)
        if answer.status_code != 302:
            self.fail_setup("sign-in", f"sign-in refused: HTTP {answer.status_code}")
        secret = self.account.get("totp")
        if secret:
            page = self.client.get("/account/2fa/verify/", name="two-factor page", context=ctx)
            if page.status_code != 200:
                self.fail_setup("two-factor", f"two-factor page: HTTP {page.status_code}")
            form = {"code": self._fresh_code(secret), "csrfmiddlewaretoken": CSRF_RE.search(page.text).group(1)}
            answer = self.client.post("/account/2fa/verify/", form, name="two-factor", context=ctx,
                                      allow_redirects=False)  # fmt: skip
            if answer.status_code != 302:
                self.fail_setup("two-factor", f"two-factor code refused: HTTP {answer.status_code}")

    def _fresh_code(self, secret: str) -> str:
        """The authenticator's code, once the device's last used time step has passed (codes are single-use)."""
        with psycopg.connect(DATABASE_URL) as conn:
            last = conn.execute(
                "SELECT d.last_step FROM accounts_totpdevice d JOIN accounts_user u ON u.id = d.user_id"
                " WHERE u.username = %s",
                [self.account["username"]],
            ).fetchone()[0]
        while int(time.time()) // 30 <= (last or 0):
            time.sleep(1)
        return pyotp.TOTP(secret).now()

    def get(self, url: str, name: str, group: str = "page", contains: str | None = None):
        with self.client.get(
            url, name=name, context={"group": group}, allow_redirects=False, catch_response=True
        ) as response:
            check(response, contains=contains)
            return response


class WorkerUser(BenchUser):
    """A member on the phone: home, e-card, the events of their unions, signing up and cancelling."""

    weight = 4

    def sign_in(self):
        self.client.headers["User-Agent"] = PHONE_UA
        self.page_sign_in("worker")

    @task(4)
    def home(self):
        self.get("/me/", "/me/")

    @task(1)
    def card(self):
        self.get("/me/card/", "/me/card/")

    @task(3)
    def events(self):
        self.get("/activities/mine/", "/activities/mine/")

    @task(3)
    def sign_up_or_cancel(self):
        page = self.get("/activities/mine/", "/activities/mine/")
        csrf = CSRF_RE.search(page.text or "")
        open_ = SIGNUP_RE.findall(page.text or "")
        signed = CANCEL_RE.findall(page.text or "")
        if csrf is None or not (open_ or signed):
            return
        if open_ and (not signed or self.rng.random() < 0.7):
            url, name, done = f"/activities/{self.rng.choice(open_)}/signup/", "/activities/[id]/signup/", "报名"
        else:
            url = f"/activities/signups/{self.rng.choice(signed)}/cancel/"
            name, done = "/activities/signups/[id]/cancel/", "已取消报名"
        with self.client.post(
            url, {"csrfmiddlewaretoken": csrf.group(1)}, name=name, context={"group": "write"}, catch_response=True
        ) as response:  # fmt: skip
            # Followed to 活动报名, which must show the outcome: 报名成功 / 已登记候补 / 已取消报名.
            if response.url.split("?")[0].endswith("/activities/mine/") and done not in response.text:
                response.failure(f"no success message after {name}")
            else:
                check(response)


class _FormFields(HTMLParser):
    """The named fields of each <form> of a page, with the values a browser would send."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []
        self._select = self._textarea = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({})
        elif not self.forms:
            return
        elif tag == "option" and self._select and ("selected" in a or self._select not in self.forms[-1]):
            self.forms[-1][self._select] = a.get("value", "")
        elif not a.get("name"):
            return
        elif tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self.forms[-1][a["name"]] = a.get("value", "on" if a.get("type") == "checkbox" else "")
        elif tag == "select":
            self._select = a["name"]
        elif tag == "textarea":
            self._textarea = a["name"]
            self.forms[-1][a["name"]] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea and self.forms:
            self.forms[-1][self._textarea] += data


def edit_form(html: str) -> dict | None:
    parser = _FormFields()
    parser.feed(html)
    return next((f for f in parser.forms if "version" in f), None)


class CadreUser(BenchUser):
    """A city union's admin in the browser: the member list, searches, member pages and corrections."""

    weight = 3

    def sign_in(self):
        self.page_sign_in("cadre")
        self.csrf = None
        self.member_list()

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
        # POSTed, then redirected (303) to the page of its results, which is fetched too: one timed request.
        with self.client.post(
            "/members/",
            {"q": self.rng.choice(self.account["terms"]), "csrfmiddlewaretoken": self.csrf},
            name="/members/ (search)", context={"group": "page"}, catch_response=True,
        ) as response:  # fmt: skip
            if "/login/" in response.url:
                response.failure("sent to the sign-in page")
            else:
                check(response)

    @task(3)
    def member_page(self):
        self.get(f"/members/{self.rng.choice(self.account['persons'])}/", "/members/[id]/")

    @task(2)
    def member_edit(self):
        person = self.rng.choice(self.account["persons"])
        form = edit_form(self.get(f"/members/{person}/edit/", "/members/[id]/edit/").text or "")
        if form is None:
            return
        form["job_title"] = self.rng.choice(["快递员", "外卖骑手", "仓库管理员", "网约车司机", "车间主任", "会计"])
        with self.client.post(
            f"/members/{person}/edit/", form, name="/members/[id]/edit/ (save)", context={"group": "write"},
            allow_redirects=False, catch_response=True,
        ) as response:  # fmt: skip
            check(response, 302)


class LeaderUser(BenchUser):
    """A province admin opening 一屏总览 and drilling down to a city."""

    weight = 1

    def sign_in(self):
        self.page_sign_in("leader")

    @task(2)
    def overview(self):
        self.get("/governance/", "/governance/")

    @task(3)
    def drill_down(self):
        self.get(f"/governance/orgs/{self.rng.choice(self.account['children'])}/", "/governance/orgs/[id]/")


class ApiUser(BenchUser):
    """An API client: one bearer token for the whole run, then reads."""

    weight = 2

    def sign_in(self):
        with self.client.post(
            "/api/v1/auth/token",
            json={"username": API_USERNAME, "password": API_PASSWORD, "name": "locust"},
            name="/api/v1/auth/token", context={"group": "setup"}, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code != 200:
                response.failure(f"token refused: HTTP {response.status_code} {response.text[:200]}")
                self.fail_setup("token", f"token refused: HTTP {response.status_code}")
            self.client.headers["Authorization"] = f"Bearer {response.json()['token']}"
        self.api = self.data["api"]

    @task(2)
    def org_list(self):
        self.get("/api/v1/orgs", "/api/v1/orgs", "api")

    @task(3)
    def org_detail(self):
        self.get(f"/api/v1/orgs/{self.rng.choice(self.api['orgs'])}", "/api/v1/orgs/[id]", "api")

    @task(3)
    def member_list(self):
        self.get("/api/v1/members?limit=50", "/api/v1/members", "api")

    @task(4)
    def member_search(self):
        with self.client.post(
            "/api/v1/members/search",
            json={"q": self.rng.choice(self.api["terms"]), "limit": 20},
            name="/api/v1/members/search", context={"group": "api"}, catch_response=True,
        ) as response:  # fmt: skip
            if response.status_code == 200 and not response.json().get("items"):
                response.failure("search found nobody (the term was taken from a member in scope)")
            else:
                check(response)

    @task(4)
    def member_detail(self):
        self.get(f"/api/v1/members/{self.rng.choice(self.api['persons'])}", "/api/v1/members/[id]", "api")


class HealthzUser(HttpUser):
    """The trivial endpoint as fast as it answers: the throughput the member API detail is compared with."""

    wait_time = constant(0)

    @task
    def healthz(self):
        with self.client.get("/healthz", name="/healthz", context={"group": "trivial"}, catch_response=True) as r:
            check(r)


class MemberDetailUser(BenchUser):
    """GET /api/v1/members/{id} as fast as it answers (same client code as HealthzUser), as one API client with
    several connections: one token for all of them (one slow password check, not one per connection)."""

    wait_time = constant(0)
    token: str | None = None
    _token_lock = threading.Lock()  # cooperative under gevent: the first user signs in, the others wait for it

    def sign_in(self):
        with MemberDetailUser._token_lock:
            if MemberDetailUser.token is None:
                ApiUser.sign_in(self)
                MemberDetailUser.token = self.client.headers["Authorization"]
        self.client.headers["Authorization"] = MemberDetailUser.token
        self.api = self.data["api"]

    @task
    def member_detail(self):
        ApiUser.member_detail(self)
