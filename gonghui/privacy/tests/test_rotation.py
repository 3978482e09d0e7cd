"""Key rotation (docs/security.md §10): resumable, idempotent, batched, audited; blind indexes unchanged."""

import pytest
from django.core.management import call_command

from gonghui.accounts.models import TotpDevice
from gonghui.core import crypto
from gonghui.core.models import AuditEvent
from gonghui.members.models import Person
from gonghui.members.services import member_create
from gonghui.privacy.models import KeyRotationRun
from gonghui.privacy.rotation import rotate_data_key, values_not_under
from gonghui.privacy.tasks import rotate_data_key_task
from gonghui.privacy.tests.support import NEW, OLD
from gonghui.testing.cast import ZHANG_WEI_ID, valid_id


@pytest.fixture
def old_data(db, use_keys, request):
    """The cast and a few more people, all encrypted under the old key; then the new key is put first."""
    use_keys(OLD)
    cast = request.getfixturevalue("cast")
    for i in range(4):
        number = valid_id(f"330106199001{i + 1:02d}001")
        member_create(actor=None, org=cast.orgs.company, name=f"测试{i}", id_number=number, phone=f"1360000000{i}")
    TotpDevice.objects.create(user=cast.users.national_admin, secret_enc=crypto.encrypt("JBSWY3DPEHPK3PXP"))
    use_keys(f"{NEW},{OLD}")
    return cast


def snapshot():
    people = {p.pk: (p.id_number_bidx, p.phone_bidx, crypto.decrypt(p.id_number_enc), crypto.decrypt(p.phone_enc))
              for p in Person.objects.all()}  # fmt: skip
    return people, [crypto.decrypt(d.secret_enc) for d in TotpDevice.objects.all()]


def test_rotation_re_encrypts_everything_under_the_new_key(old_data, use_keys):
    before = snapshot()
    assert values_not_under("new2") == 7 * 2 + 1
    run = rotate_data_key(batch_size=3)
    assert run.status == KeyRotationRun.Status.COMPLETED and run.finished_at is not None
    assert run.values_rotated == 15 and run.rows_scanned == 8
    assert values_not_under("new2") == 0
    assert snapshot() == before  # same plaintexts, same blind indexes
    assert Person.objects.get(id_number_bidx=old_data.members.zhang.person.id_number_bidx).name == "张伟"
    use_keys(NEW)  # the old key can now be dropped
    assert crypto.decrypt(Person.objects.get(pk=old_data.members.zhang.person_id).id_number_enc) == ZHANG_WEI_ID
    actions = list(
        AuditEvent.objects.filter(action__startswith="privacy.key_rotation")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["privacy.key_rotation.start", "privacy.key_rotation.complete"]


def test_interrupted_run_resumes_from_its_checkpoint(old_data):
    first = rotate_data_key(batch_size=2, max_batches=1)
    while first.progress.get("members.Person", {}).get("last_id", 0) == 0:  # "crash" in the middle of the people
        first = rotate_data_key(batch_size=2, max_batches=1)
    assert first.status == KeyRotationRun.Status.RUNNING
    people = first.progress["members.Person"]
    assert people["last_id"] > 0 and not people["done"] and 0 < first.values_rotated < 15
    assert values_not_under("new2") == 15 - first.values_rotated
    second = rotate_data_key(batch_size=2)
    assert second.pk == first.pk and second.status == KeyRotationRun.Status.COMPLETED
    assert second.values_rotated == 15 and second.rows_scanned == 8  # nothing done twice
    assert values_not_under("new2") == 0
    assert AuditEvent.objects.filter(action="privacy.key_rotation.start").count() == 1


def test_second_run_changes_nothing(old_data):
    rotate_data_key()
    stored = list(Person.objects.order_by("pk").values_list("id_number_enc", "phone_enc"))
    again = rotate_data_key()
    assert again.status == KeyRotationRun.Status.COMPLETED and again.values_rotated == 0
    assert list(Person.objects.order_by("pk").values_list("id_number_enc", "phone_enc")) == stored


def test_a_value_changed_during_the_run_is_not_overwritten(old_data):
    zhang = Person.objects.get(pk=old_data.members.zhang.person_id)
    new_phone = crypto.encrypt("13911112222")  # written by an edit under the new key
    Person.objects.filter(pk=zhang.pk).update(phone_enc=new_phone)
    rotate_data_key(batch_size=2)
    assert Person.objects.get(pk=zhang.pk).phone_enc == new_phone


def test_a_newer_key_supersedes_an_unfinished_run(old_data, use_keys):
    unfinished = rotate_data_key(batch_size=2, max_batches=1)
    use_keys(f"third3:{'33' * 16},{NEW},{OLD}")
    run = rotate_data_key()
    unfinished.refresh_from_db()
    assert unfinished.status == KeyRotationRun.Status.SUPERSEDED
    assert run.target_key_id == "third3" and values_not_under("third3") == 0


def test_task_and_command(old_data, capsys):
    result = rotate_data_key_task.call(batch_size=2, max_batches=1)
    assert result["status"] == "running"
    call_command("rotate_data_key", "--batch-size", "3")
    out = capsys.readouterr().out
    assert "进度" in out and "密钥轮换完成" in out and "new2" in out
    assert values_not_under("new2") == 0
    assert ZHANG_WEI_ID not in out


def test_task_is_enqueueable(old_data):
    result = rotate_data_key_task.enqueue(batch_size=50)
    assert result.id
