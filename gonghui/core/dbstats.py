"""Planner statistics after a bulk load: without them the first queries plan for an empty table (on a freshly
loaded 100,000-member database the member list took 1,005 ms instead of 49 ms)."""

from django.db import connection


def planner_statistics_refresh(*, tables: tuple[str, ...] = ()) -> None:
    """ANALYZE the given tables (all, if none): PostgreSQL's autovacuum may come minutes later; on SQLite,
    ANALYZE and PRAGMA optimize."""
    quote = connection.ops.quote_name
    statements = [f"ANALYZE {quote(t)}" for t in tables] or ["ANALYZE"]
    if connection.vendor == "sqlite":
        statements.append("PRAGMA optimize")
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)
