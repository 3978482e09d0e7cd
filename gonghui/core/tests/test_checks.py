import pytest
from django.db import connection

from gonghui.core import checks


@pytest.mark.django_db
def test_collation_check_passes_on_a_code_point_ordered_database():
    assert checks.postgresql_collation_is_c(None) == []


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's collation")
@pytest.mark.django_db
def test_collation_check_warns_when_the_database_is_not_c(monkeypatch):
    monkeypatch.setattr(checks, "C_COLLATIONS", set())
    (warning,) = checks.postgresql_collation_is_c(None)
    assert warning.id == "gonghui.W001" and "排序规则" in warning.msg
