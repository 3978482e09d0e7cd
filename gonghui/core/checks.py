"""System checks for deployment facts the code relies on."""

from django.core.checks import Warning, register
from django.db import connection

C_COLLATIONS = {"C", "POSIX", "C.UTF-8", "C.utf8"}


@register("database", deploy=True)
def postgresql_collation_is_c(app_configs, databases=None, **kwargs):
    """Name and pinyin prefix search is an index range, which equals the prefix only in code-point order."""
    if connection.vendor != "postgresql":
        return []
    with connection.cursor() as cursor:
        cursor.execute("SELECT datcollate FROM pg_database WHERE datname = current_database()")
        (collation,) = cursor.fetchone()
    if collation in C_COLLATIONS:
        return []
    return [
        Warning(
            f"PostgreSQL 数据库的排序规则是 {collation}，姓名和拼音前缀搜索可能漏掉结果。",
            hint="用 LC_COLLATE='C.UTF-8' 创建数据库（见 docs/deploy.md）。",
            id="gonghui.W001",
        )
    ]
