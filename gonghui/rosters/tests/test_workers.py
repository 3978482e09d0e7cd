"""The commit's rows prepared by worker processes (decision 0047): the same registry, outcomes and error rows as
in one process, whatever the number of workers; the repeat import skipping the rows it wrote before, unread,
while a changed row, or a person changed since, is still updated; resume after a crash; a dead worker."""

import os
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from gonghui.core import crypto
from gonghui.core.identifiers import parse_id_number
from gonghui.core.models import AuditEvent
from gonghui.core.sealed import id_number_index
from gonghui.members import services as member_services
from gonghui.members.models import Membership, Person
from gonghui.rosters import importer, services, tasks
from gonghui.rosters.models import ImportIssue
from gonghui.rosters.tests.support import HEADER, commit, person_id, upload, xlsx
from gonghui.testing.cast import ZHANG_WEI_ID, refreshed


def row(name, id_number, phone="", **extra):
    cells = dict.fromkeys(HEADER, "") | {"姓名": name, "身份证号": id_number, "手机号": phone}
    return [extra.get(h, cells[h]) for h in HEADER]


def person(id_number: str) -> Person:
    return Person.objects.get(id_number_bidx=id_number_index(parse_id_number(id_number).number))


def messy_rows() -> list[list]:
    """Valid rows with invalid ones, duplicates, an existing member of another union and one of this union."""
    rows = [HEADER]
    for n in range(1, 31):
        if n % 7 == 0:
            good = person_id(n)
            rows.append(row(f"坏号{n}", good[:-1] + ("1" if good[-1] == "0" else "0")))  # wrong check digit
        elif n % 11 == 0:
            rows.append(row(f"重复{n}", person_id(n - 1)))
        elif n % 13 == 0:
            rows.append(row(f"坏手机{n}", person_id(n), phone="1381111"))
        else:
            rows.append(row(f"职工{n}", person_id(n), phone=f"1391111{n:04d}", **{"学历": "本科", "农民工": "是"}))
    rows.append(row("张伟", ZHANG_WEI_ID, phone="13900001111"))  # already a member here: an update
    return rows


def registry(cast) -> tuple:
    """Everything an import writes, without ids, times and ciphertexts (fresh nonces every time)."""
    people = sorted((p.name, p.id_number_bidx, p.id_number_masked, crypto.decrypt(p.id_number_enc), p.phone_bidx,
                     p.phone_masked, p.phone_enc and crypto.decrypt(p.phone_enc), p.name_pinyin, p.name_initials,
                     p.education, p.is_migrant, p.version) for p in Person.objects.all())  # fmt: skip
    members = sorted((m.person.id_number_bidx, m.org_id, m.status, m.is_retired, m.roster_digest, m.roster_version)
                     for m in Membership.objects.select_related("person"))  # fmt: skip
    return people, members, refreshed(cast.orgs.company).member_count


def issues(job) -> list:
    rows = ImportIssue.objects.filter(job=job).order_by("position")
    return [(i.position, i.sheet, i.row_number, i.kind, i.reason, crypto.decrypt(i.cells_enc)) for i in rows]


class Undone(Exception):
    pass


@pytest.mark.parametrize("workers", [1, 3])
def test_workers_give_the_registry_outcomes_and_error_rows_of_one_process(cast, settings, monkeypatch, workers):
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)  # many chunks, coming back out of order
    content = xlsx({"花名册": messy_rows()})
    settings.GONGHUI_ROSTERS = {"batch_size": 4, "read_ahead": False}
    with pytest.raises(Undone), transaction.atomic():  # in this process only, then undone
        job = commit(cast, upload(cast, content))
        single = (job.committed, issues(job), registry(cast))
        raise Undone
    assert single[0] == {"create": 23, "update": 1, "unchanged": 0, "other_union": 0, "duplicate": 1,
                         "invalid": 6}  # fmt: skip
    settings.GONGHUI_ROSTERS = {"batch_size": 4, "read_ahead": True, "workers": workers}
    job = commit(cast, upload(cast, content))
    assert (job.committed, issues(job), registry(cast)) == single


def test_the_command_line_number_of_workers_overrides_the_policy(cast, settings, monkeypatch, tmp_path):
    settings.GONGHUI_ROSTERS = {"workers": 0}
    used = []
    real = importer.prepared_rows
    monkeypatch.setattr(importer, "prepared_rows", lambda job, known, workers: used.append(workers) or real(
        job, known, workers))  # fmt: skip
    path = tmp_path / "花名册.xlsx"
    path.write_bytes(xlsx({"花名册": [HEADER, row("赵六", person_id(1)), row("钱七", person_id(2))]}))
    out, err = StringIO(), StringIO()
    call_command("roster_import", str(path), org=cast.orgs.company.pk, user="company", commit=True, workers=2,
                 stdout=out, stderr=err)  # fmt: skip
    assert used == [2] and "导入完成：新增 2 名会员" in out.getvalue() and "2/2 行" in err.getvalue()
    with pytest.raises(CommandError, match="不能为负数"):
        call_command("roster_import", str(path), org=cast.orgs.company.pk, user="company", workers=-1)


@pytest.mark.parametrize("read_ahead", [True, False])
def test_a_repeat_import_skips_the_rows_it_wrote_unread_and_updates_a_changed_one(
    cast, settings, monkeypatch, read_ahead
):
    settings.GONGHUI_ROSTERS = {"batch_size": 3, "read_ahead": read_ahead, "workers": 2}
    rows = [HEADER] + [row(f"职工{n}", person_id(n), phone=f"1391111{n:04d}") for n in range(1, 8)]
    commit(cast, upload(cast, xlsx({"花名册": rows})))
    stored = {m.person.name: (m.roster_digest, m.roster_version) for m in
              Membership.objects.select_related("person").filter(person__name__startswith="职工")}  # fmt: skip
    assert len({digest for digest, _ in stored.values()}) == 7 and {v for _, v in stored.values()} == {1}
    before = {p.name: (p.version, p.updated_at, p.phone_enc) for p in Person.objects.filter(name__startswith="职工")}

    rows[3] = row("职工3", person_id(3), phone="13700000003")  # a new phone
    rows.append(row("职工2", person_id(2)))  # a duplicate of a skipped row is still a duplicate
    edited = person(person_id(5))  # corrected on the member page since: the file's values win, as before
    member_services.member_update(actor=cast.users.grassroots_admin, person=edited, version=edited.version,
                                  name="职工五")  # fmt: skip
    job = upload(cast, xlsx({"花名册": rows}))
    if not read_ahead:  # in this process: the skipped rows are neither parsed nor sealed, nothing is decrypted
        parsed = []
        real_parse = importer.row_parse
        monkeypatch.setattr(importer, "row_parse", lambda cells: parsed.append(cells["name"]) or real_parse(cells))
        monkeypatch.setattr(crypto, "decrypt", lambda token: pytest.fail("decrypted"))
    job = commit(cast, job)
    assert job.committed == {"create": 0, "update": 2, "unchanged": 5, "other_union": 0, "duplicate": 1,
                             "invalid": 0}  # fmt: skip
    if not read_ahead:
        assert parsed == ["职工3", "职工5", "职工2"]  # the changed row, the changed person, the new duplicate
        monkeypatch.undo()
    after = {p.name: (p.version, p.updated_at, p.phone_enc) for p in Person.objects.filter(name__startswith="职工")}
    assert {name: after[name] for name in after if name not in ("职工3", "职工5")} == {
        name: before[name] for name in before if name not in ("职工3", "职工5")
    }  # unchanged rows not rewritten
    three, five = person(person_id(3)), person(person_id(5))
    assert (three.phone_masked, three.version) == ("137****0003", 2)
    assert (five.name, five.version) == ("职工5", 3)
    for p in (three, five):  # the new digest and version stamped: the next import skips them too
        assert Membership.objects.get(person=p, status="active").roster_version == p.version
    again = commit(cast, upload(cast, xlsx({"花名册": rows})))
    assert again.committed["unchanged"] == 7 and again.committed["update"] == 0


def test_a_member_who_left_or_changed_while_the_repeat_import_ran_is_read_in_full(cast, settings, monkeypatch):
    settings.GONGHUI_ROSTERS = {"batch_size": 3, "read_ahead": True, "workers": 2}
    rows = [HEADER] + [row(f"职工{n}", person_id(n)) for n in range(1, 6)]
    commit(cast, upload(cast, xlsx({"花名册": rows})))
    real_known, admin = importer.known_digests, cast.users.grassroots_admin

    def known_then_changed(org):
        known = real_known(org)  # all five rows known; then, before the first batch, one leaves, one is edited
        left = Membership.objects.get(person=person(person_id(2)), status="active")
        member_services.membership_end(actor=admin, membership=left, status="withdrawn", reason="离职")
        edited = person(person_id(4))
        member_services.member_update(actor=admin, person=edited, version=edited.version, name="职工四")
        return known

    monkeypatch.setattr(importer, "known_digests", known_then_changed)
    job = commit(cast, upload(cast, xlsx({"花名册": rows})))
    assert job.committed == {"create": 1, "update": 1, "unchanged": 3, "other_union": 0, "duplicate": 0,
                             "invalid": 0}  # fmt: skip
    assert Membership.objects.filter(person=person(person_id(2)), status="active", org=cast.orgs.company).exists()
    assert person(person_id(4)).name == "职工4"  # the file's values win, as for a person changed before


def test_a_crash_with_workers_resumes_without_losing_or_repeating_a_row(cast, settings, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    settings.GONGHUI_ROSTERS = {"batch_size": 3, "read_ahead": True, "workers": 2}
    rows = [HEADER] + [row(f"职工{n}", person_id(n)) for n in range(1, 9)] + [row("职工1again", person_id(1))]
    job = upload(cast, xlsx({"花名册": rows}))
    real_write, calls = importer.write_batch, []

    def crash_on_second_batch(job, outcomes):
        calls.append(len(outcomes))
        if len(calls) == 2:
            raise OSError("worker killed")
        return real_write(job, outcomes)

    monkeypatch.setattr(importer, "write_batch", crash_on_second_batch)
    services.import_commit(actor=cast.users.grassroots_admin, job=job)
    with pytest.raises(OSError):
        tasks.import_commit_task.call(job.pk)
    job.refresh_from_db()
    assert (job.status, job.cursor) == ("failed", 3)
    monkeypatch.setattr(importer, "write_batch", real_write)
    job = commit(cast, job)  # 继续导入
    assert job.status == "committed" and job.cursor == 9
    assert job.committed == {"create": 8, "update": 0, "unchanged": 0, "other_union": 0, "duplicate": 1,
                             "invalid": 0}  # fmt: skip
    assert person(person_id(1)).name == "职工1"
    assert refreshed(cast.orgs.company).member_count == 2 + 8
    assert AuditEvent.objects.filter(action="roster.import.batch", object_id=str(job.pk)).count() == 3


def test_a_worker_that_dies_fails_the_commit_and_a_resume_finishes_it(cast, settings, monkeypatch):
    monkeypatch.setattr(importer, "CHUNK_ROWS", 2)
    settings.GONGHUI_ROSTERS = {"batch_size": 2, "read_ahead": True, "workers": 2}
    real_prepare = importer.row_prepare

    def killed_on_the_fifth_row(row, known=None):
        if row.position == 4:
            os._exit(9)  # as the kernel's OOM killer would: no exception, no message, results not yet sent lost
        return real_prepare(row, known)

    monkeypatch.setattr(importer, "row_prepare", killed_on_the_fifth_row)
    rows = [HEADER] + [row(f"职工{n}", person_id(n)) for n in range(1, 9)]
    job = upload(cast, xlsx({"花名册": rows}))
    services.import_commit(actor=cast.users.grassroots_admin, job=job)
    with pytest.raises(importer.RosterReadError):
        tasks.import_commit_task.call(job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.cursor in (0, 2, 4) and f"已导入的 {job.cursor} 行已保存" in job.error
    assert Person.objects.filter(name__startswith="职工").count() == job.cursor  # whole batches, nothing after

    monkeypatch.setattr(importer, "row_prepare", real_prepare)
    job = commit(cast, job)  # 继续导入
    assert job.status == "committed" and job.committed["create"] == 8
    assert Person.objects.filter(name__startswith="职工").count() == 8
