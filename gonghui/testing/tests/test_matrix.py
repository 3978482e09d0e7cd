"""The permission matrix's check that a refused request wrote nothing: every kept write to a table a refusal must
leave alone is reported, a write rolled back to its savepoint and the refusal's own audit event are not."""

from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from gonghui.core.audit import audit_record
from gonghui.orgs.models import Org
from gonghui.testing.matrix import writes_kept


class Undone(Exception):
    pass


def test_a_kept_write_is_reported_and_a_rolled_back_one_or_an_audit_event_is_not(cast):
    with CaptureQueriesContext(connection) as queries:
        audit_record(actor=cast.users.worker, action="access.denied", result="denied")
        try:
            with transaction.atomic():
                Org.objects.filter(pk=cast.orgs.company.pk).update(name="改名")
                raise Undone
        except Undone:
            pass
    assert writes_kept(queries.captured_queries) == []
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        Org.objects.filter(pk=cast.orgs.company.pk).update(name="改名")
    (written,) = writes_kept(queries.captured_queries)
    assert written.startswith('UPDATE "orgs_org"')
