"""The cast written again from its saved rows is the cast the services built."""

from django.db import transaction

from gonghui.testing.cast import SavedCast, build_cast
from gonghui.testing.matrix import database_snapshot


def test_a_restored_cast_has_the_rows_and_objects_of_a_built_one(db):
    with transaction.atomic():
        saved, built = SavedCast.save(build_cast)
        rows = database_snapshot()
        transaction.set_rollback(True)
    assert saved.tables and database_snapshot() != rows
    restored = saved.restore()
    assert database_snapshot() == rows
    for group in ("orgs", "members", "users"):
        assert vars(getattr(restored, group)) == vars(getattr(built, group))
    assert restored.members.zhang.person.name == "张伟" and restored.users.worker.person == built.members.zhang.person
