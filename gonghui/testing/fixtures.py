"""Suite-wide fixtures: fast password hashing, an empty cache, text messages kept in memory, the two-factor
shortcut for test logins, and the region table kept across the flushes of transactional tests."""

import pytest

# Reference data loaded by a data migration (orgs 0002, about 45,000 divisions), read-only for the
# application: loaded once per test database and left alone when a transactional test empties the others.
KEPT_TABLES = frozenset({"orgs_region"})
FAST_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sql_flush_keeping_reference_data(style, connection, reset_sequences=True, allow_cascade=False):
    """django.core.management.sql.sql_flush without ``KEPT_TABLES``, and with the locator tables of the member
    tables when they are partitioned (not models: the flush would not empty them)."""
    from gonghui.members.partitioning import locator_tables

    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return connection.ops.sql_flush(style, [t for t in tables if t not in KEPT_TABLES] + locator_tables(),
                                    reset_sequences=reset_sequences, allow_cascade=allow_cascade)  # fmt: skip


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """With GONGHUI_PARTITION_BY_PROVINCE set (on PostgreSQL), the test database's member tables are partitioned
    by province once migrated, and the whole suite runs on the converted schema (decision 0052)."""
    from django.conf import settings

    if settings.GONGHUI_PARTITION_BY_PROVINCE:
        from gonghui.members.partitioning import convert

        with django_db_blocker.unblock():
            convert()


@pytest.fixture(scope="session", autouse=True)
def _reference_data_survives_flushes():
    """A transactional test ends with ``flush``, which would empty the region table too, and the next one
    would have to load it again; the flush leaves it (it never changes under test)."""
    from django.core.management.commands import flush

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(flush, "sql_flush", sql_flush_keeping_reference_data)
        yield


def loaded_once(django_db_blocker, build):
    """For a class- or module-scoped fixture: the data ``build()`` writes is written once, outside the tests'
    transactions, kept while the scope's tests run (each test's own writes are still rolled back: it asks for
    ``db`` too), and flushed after the last of them. Yields what ``build`` returned."""
    from django.core.management import call_command
    from django.test import override_settings

    # What the per-test fixtures below set, set here too: the data is written before they run.
    with django_db_blocker.unblock(), override_settings(PASSWORD_HASHERS=FAST_HASHERS, GONGHUI_SMS_BACKEND="locmem"):
        value = build()
    try:
        yield value
    finally:
        with django_db_blocker.unblock():
            call_command("flush", interactive=False, verbosity=0)


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = FAST_HASHERS


@pytest.fixture(autouse=True)
def _forget_provinces():
    """The province of each depth-1 org is cached in the process (orgs.provinces); ids come again after a
    rollback on SQLite, so each test starts with none."""
    from gonghui.orgs import provinces

    provinces.forget()


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters (gonghui.core.ratelimit) live in the cache; each test starts with none."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _sms_outbox(settings):
    """Text messages (verification codes) go to the in-memory outbox, empty at the start of each test."""
    from gonghui.core import sms

    settings.GONGHUI_SMS_BACKEND = "locmem"
    sms.outbox.clear()
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _two_factor_done_for_test_logins(request, monkeypatch):
    """Sessions made by Client.force_login / Client.login count as having passed the TOTP step, so tests
    about other features need not enrol an authenticator for admins and unmasking roles. The 2FA flow
    itself is tested unpatched: tests that use the ``real_two_factor`` fixture
    (gonghui/accounts/tests/test_two_factor.py, test_browser_totp.py) get the real behaviour.
    Signing in through the login page (client.post to /login/, the browser) is never patched."""
    if "real_two_factor" in request.fixturenames:
        return
    from django.test.client import ClientMixin

    from gonghui.accounts.two_factor import SESSION_VERIFIED

    original = ClientMixin._login

    def _login_verified(self, user, backend=None):
        original(self, user, backend)
        session = self.session
        session[SESSION_VERIFIED] = user.pk
        session.save()

    monkeypatch.setattr(ClientMixin, "_login", _login_verified)


@pytest.fixture
def real_two_factor():
    """Turns off the test-login shortcut above: the two-factor step applies as in production."""
