"""The suite's shared fixtures and plugins live in gonghui.testing (only tests import it)."""

pytest_plugins = [
    "gonghui.testing.pii_guard",  # every response and log line of every test is scanned (docs/security.md §11)
    "gonghui.testing.fixtures",
    "gonghui.testing.cast",
    "gonghui.testing.browser",
]
