"""The suite's shared fixtures and plugins live in gonghui.testing (only tests import it)."""

from hypothesis import settings

# Property tests check results, not speed: on a shared two-core machine an example can take longer than
# Hypothesis's default 200 ms deadline and fail a correct test (seen in gonghui/rosters/tests/test_columns.py).
settings.register_profile("gonghui", deadline=None)
settings.load_profile("gonghui")

pytest_plugins = [
    "gonghui.testing.pii_guard",  # every response and log line of every test is scanned (docs/security.md §11)
    "gonghui.testing.fixtures",
    "gonghui.testing.cast",
    "gonghui.testing.browser",
    "gonghui.testing.security_report",  # the security suite's summary table (make security)
]
