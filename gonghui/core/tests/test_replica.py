"""Read replicas (docs/deploy.md "Read replicas", issue 19): a streaming standby of a scratch cluster on loopback
follows every write and refuses its own; the overview and list exports read through ``core.replica`` from the
``replica`` alias while every write still goes to the primary; a standby that does not answer leaves the pages
working on the primary. PostgreSQL test run only (scratch clusters and a second connection need a server)."""

import logging

import pytest
from django.db import connections
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from gonghui.core import exports, replica
from gonghui.core.tasks import export_task
from gonghui.testing.pgcluster import Cluster, scratch_folder, server_program

pytestmark = pytest.mark.skipif(
    connections["default"].vendor != "postgresql", reason="replicas are PostgreSQL's: the PostgreSQL test run"
)


def test_a_streaming_standby_follows_every_write_and_refuses_its_own():
    with scratch_folder() as folder:
        primary, standby = Cluster(folder / "primary"), Cluster(folder / "standby")
        primary.init().configure(wal_level="replica", max_wal_senders=4)
        primary.start()
        try:
            # The standby: a base backup that writes its own connection settings (-R) and streams the WAL.
            primary.run(server_program("pg_basebackup"), "-h", str(folder), "-p", str(primary.port), "-U",
                        "postgres", "-D", str(standby.folder), "-R", "--checkpoint=fast")  # fmt: skip
            standby.configure(hot_standby="on")
            standby.start()
            try:
                primary.sql("CREATE DATABASE drill")
                primary.sql("CREATE TABLE member (id int PRIMARY KEY)", "drill")
                primary.sql("INSERT INTO member SELECT generate_series(1, 1000)", "drill")
                assert primary.wait_for("SELECT count(*) FROM pg_stat_replication WHERE state = 'streaming'", "1")
                assert standby.wait_for("SELECT count(*) FROM member", "1000", "drill") == "1000"
                assert standby.sql("SELECT pg_is_in_recovery()") == "t"
                refused = standby.sql("INSERT INTO member VALUES (0)", "drill", check=False)
                assert "read-only transaction" in refused
            finally:
                standby.stop()
        finally:
            primary.stop()


@pytest.fixture(scope="module", autouse=True)
def replica_alias():
    """The ``replica`` alias, as ``DATABASE_REPLICA_URL`` makes it: here a second connection to the test database
    (a streaming standby holds the same rows). Made before the tests' database set-up, which must know it."""
    connections.settings[replica.REPLICA] = dict(connections.settings["default"])
    yield
    connections[replica.REPLICA].close()
    del connections[replica.REPLICA]
    del connections.settings[replica.REPLICA]


BOTH = pytest.mark.django_db(transaction=True, databases=["default", replica.REPLICA])  # committed rows: seen by both


@BOTH
def test_the_overview_and_exports_read_from_the_replica_and_write_to_the_primary(client, cast):
    client.force_login(cast.users.province_admin)
    with (CaptureQueriesContext(connections["default"]) as primary,
          CaptureQueriesContext(connections[replica.REPLICA]) as standby):  # fmt: skip
        assert client.get(reverse("governance:home")).status_code == 200
    assert any("governance_figuremonth" in q["sql"] for q in standby.captured_queries)
    assert not any("governance_figuremonth" in q["sql"] for q in primary.captured_queries)

    job = exports.export_start(actor=cast.users.grassroots_admin, spec=exports.cadre_list("joining.codes"), params={})
    with (CaptureQueriesContext(connections["default"]) as primary,
          CaptureQueriesContext(connections[replica.REPLICA]) as standby):  # fmt: skip
        export_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == job.Status.READY
    assert any("joining_" in q["sql"] for q in standby.captured_queries)  # the list's rows
    assert not any("joining_" in q["sql"] and q["sql"].startswith("SELECT") for q in primary.captured_queries)
    assert any(q["sql"].startswith("UPDATE") and "core_exportjob" in q["sql"] for q in primary.captured_queries)
    assert not any(q["sql"].startswith(("UPDATE", "INSERT")) for q in standby.captured_queries)


@BOTH
def test_a_standby_that_does_not_answer_leaves_the_overview_on_the_primary(client, cast, caplog):
    client.force_login(cast.users.province_admin)
    standby = connections[replica.REPLICA]
    standby.close()
    port, standby.settings_dict["PORT"] = standby.settings_dict["PORT"], "1"  # nothing listens there
    try:
        with caplog.at_level(logging.WARNING, logger="gonghui.core.replica"):
            assert client.get(reverse("governance:home")).status_code == 200
    finally:
        standby.settings_dict["PORT"] = port
    assert "只读副本数据库无法连接，本次查询改由主库完成。" in caplog.text
