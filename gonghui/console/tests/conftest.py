import pytest

from gonghui.testing.cast import add_platform_admins


@pytest.fixture
def admins(cast):
    """The three platform admins: the cast's security admin plus a system and an audit admin."""
    return add_platform_admins(cast)
