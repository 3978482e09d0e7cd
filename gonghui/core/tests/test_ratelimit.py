"""Rate limits (docs/security.md §16): the fixed-window counter (django-ratelimit), and the sign-in page and
API token endpoint that use it."""

import json
import os
import time
import uuid

import django_ratelimit.core
import pytest
from django.core.cache import caches
from django.test import Client
from django.urls import reverse

from gonghui.core import ratelimit

MESSAGE = "请求过于频繁，请稍后再试。"


@pytest.fixture(autouse=True)
def _one_window(monkeypatch):
    """Each key's window ends at its own offset (django-ratelimit), so a test's requests could straddle an end
    and see the count start again (it did, once, on a loaded machine); the limiter's clock stands still instead."""
    now = time.time()
    monkeypatch.setattr(django_ratelimit.core.time, "time", lambda: now)


def test_hit_allows_the_limit_then_refuses(db):
    assert [ratelimit.hit("k", limit=3, window_seconds=60) for _ in range(5)] == [True, True, True, False, False]
    assert ratelimit.hit("other-key", limit=3, window_seconds=60)


def test_hit_starts_again_in_the_next_window(db, monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(django_ratelimit.core.time, "time", lambda: now[0])
    assert [ratelimit.hit("k", limit=1, window_seconds=10) for _ in range(2)] == [True, False]
    now[0] += 10
    assert ratelimit.hit("k", limit=1, window_seconds=10)


def test_the_sign_in_page_allows_twenty_posts_a_minute_per_ip(db):
    client = Client()
    for i in range(20):
        response = client.post(reverse("accounts:login"), {"username": f"user{i}", "password": "wrong-password"})
        assert response.status_code == 200, i
    refused = client.post(reverse("accounts:login"), {"username": "user-x", "password": "wrong-password"})
    assert refused.status_code == 429 and MESSAGE in refused.content.decode()
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "<html" in refused.content.decode()  # a page that extends base.html
    assert client.get(reverse("accounts:login")).status_code == 200  # looking at the page is not counted
    other_ip = Client(REMOTE_ADDR="10.0.0.2")
    assert other_ip.post(reverse("accounts:login"), {"username": "u", "password": "wrong-password"}).status_code == 200


def test_the_api_token_endpoint_is_limited_and_answers_in_json(db):
    client = Client()
    body = json.dumps({"username": "nobody", "password": "wrong-password"})
    for i in range(20):
        response = client.post("/api/v1/auth/token", body, content_type="application/json")
        assert response.status_code == 401, i
    refused = client.post("/api/v1/auth/token", body, content_type="application/json")
    assert refused.status_code == 429 and refused.json() == {"detail": MESSAGE}
    assert 0 < int(refused["Retry-After"]) <= 3600


def test_sign_in_page_and_api_share_one_counter(db):
    client = Client()
    body = json.dumps({"username": "nobody", "password": "wrong-password"})
    for _ in range(10):
        client.post("/api/v1/auth/token", body, content_type="application/json")
        client.post(reverse("accounts:login"), {"username": "nobody", "password": "wrong-password"})
    assert client.post(reverse("accounts:login"), {"username": "u", "password": "p"}).status_code == 429


def test_a_view_decorated_with_rate_limit(rf, db):
    @ratelimit.rate_limit(scope="test", limit=1, window_seconds=60, methods=("GET", "POST"))
    def view(request):
        from django.http import HttpResponse

        return HttpResponse("ok")

    assert view(rf.get("/x/")).status_code == 200
    refused = view(rf.get("/x/", HTTP_ACCEPT="application/json"))
    assert refused.status_code == 429 and json.loads(refused.content) == {"detail": MESSAGE}


def _redis_cache(settings):
    url = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/15"
    backend = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url,
               "KEY_PREFIX": f"gonghui-test-{uuid.uuid4().hex}"}  # fmt: skip
    settings.CACHES = {**settings.CACHES, "redis-test": backend}
    settings.RATELIMIT_USE_CACHE = "redis-test"
    try:
        caches["redis-test"].set("ping", 1, timeout=5)
    except Exception:  # noqa: BLE001 - no Redis on this machine
        pytest.skip("Redis is not running")


def test_hit_counts_on_redis_too(settings):
    _redis_cache(settings)
    key = uuid.uuid4().hex
    assert [ratelimit.hit(key, limit=2, window_seconds=60) for _ in range(3)] == [True, True, False]
