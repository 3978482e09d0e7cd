"""Key-rotation tests: data keys switched within a test, the parsed-key cache cleared around it."""

import pytest

from gonghui.core import crypto


@pytest.fixture
def use_keys(settings):
    def use(spec: str) -> None:
        settings.GONGHUI_DATA_KEYS = spec
        crypto._parse_keys.cache_clear()

    yield use
    crypto._parse_keys.cache_clear()
