import pytest

from gonghui.accounts.models import User
from gonghui.accounts.services import user_create
from gonghui.testing.cast import PASSWORD


@pytest.fixture
def admins(cast):
    """The three platform admins: the cast's security admin plus a system and an audit admin."""
    cast.users.system_admin = user_create(actor=None, username="sysadmin", password=PASSWORD, check_password=False,
                                          platform_role=User.PlatformRole.SYSTEM)  # fmt: skip
    cast.users.audit_admin = user_create(actor=None, username="auditadmin", password=PASSWORD, check_password=False,
                                         platform_role=User.PlatformRole.AUDIT)  # fmt: skip
    return cast
