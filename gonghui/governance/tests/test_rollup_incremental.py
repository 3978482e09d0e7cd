"""The incremental rollup (decision 0044): the writes themselves mark their orgs (core.figures, from the areas'
declarations alone), the marks ride in the writer's transaction with the outbox task, and applying them gives
exactly the rows a full recompute gives, after any sequence of joins, transfers, exits and registrations."""

from decimal import Decimal

from django.db import transaction
from django.utils import timezone
from django_tasks_db.models import DBTaskResult
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.core import figures
from gonghui.governance import rollup
from gonghui.governance.models import FigureMonth, RollupDirty
from gonghui.governance.targets import month_of
from gonghui.governance.tests.test_rollup import ORGS, Rollback, _apply
from gonghui.members.models import Membership
from gonghui.members.services import transfer_accept, transfer_release, transfer_start

write = st.one_of(
    st.tuples(st.just("join"), st.sampled_from(("company", "logistics"))),
    st.tuples(st.just("station"), st.sampled_from(ORGS)),
    st.tuples(st.just("library"), st.sampled_from(ORGS)),
    st.tuples(st.just("exit"), st.just("")),
    st.tuples(st.just("transfer"), st.sampled_from(("company", "logistics"))),
)


def _rows() -> dict:
    month = month_of(timezone.localdate())
    return {(pk, key): value for pk, key, value in
            FigureMonth.objects.filter(month=month).values_list("org_id", "key", "value")}  # fmt: skip


def _transfer(cast, where):
    to_org = getattr(cast.orgs, where)
    membership = Membership.objects.filter(status=Membership.Status.ACTIVE).exclude(org=to_org).order_by("pk").first()
    if membership is not None:
        transfer = transfer_start(actor=cast.users.national_admin, membership=membership, to_org=to_org, reason="调动")
        transfer_release(actor=cast.users.national_admin, transfer=transfer)
        transfer_accept(actor=cast.users.national_admin, transfer=transfer)


@settings(max_examples=4, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(writes=st.lists(write, min_size=1, max_size=5), apply_every=st.integers(1, 3))
def test_applying_the_marks_equals_a_full_recompute_after_any_writes(cast, writes, apply_every):
    try:
        with transaction.atomic():
            rollup.rollup_month()
            for n, (op, where) in enumerate(writes):
                if op == "transfer":
                    _transfer(cast, where)
                else:
                    _apply(cast, op, where, n)
                if n % apply_every == 0:
                    rollup.apply_dirty()
            rollup.apply_dirty()
            assert not RollupDirty.objects.exists()
            incremental = _rows()
            rollup.rollup_month()
            assert incremental == _rows()
            assert rollup.verify_month() == []
            raise Rollback
    except Rollback:
        pass


def test_a_write_marks_its_org_and_asks_for_the_task_when_it_commits(cast, django_capture_on_commit_callbacks):
    rollup.rollup_month()
    month = month_of(timezone.localdate())
    before = FigureMonth.objects.get(org=cast.orgs.national, key="members", month=month).value
    task = "gonghui.governance.tasks.rollup_apply_task"
    with django_capture_on_commit_callbacks(execute=True):
        _apply(cast, "join", "company", 901)
        marked = set(RollupDirty.objects.values_list("org_id", "key"))
        assert (cast.orgs.company.pk, "members") in marked
        assert not DBTaskResult.objects.filter(task_path=task).exists()  # not before the commit
    assert DBTaskResult.objects.filter(task_path=task).exists()
    # the overview is not yet changed; the task applies the mark to the org and every ancestor
    assert FigureMonth.objects.get(org=cast.orgs.national, key="members", month=month).value == before
    from gonghui.governance.tasks import rollup_apply_task

    assert rollup_apply_task.call()["rows"] > 0
    for org in (cast.orgs.company, cast.orgs.zhejiang, cast.orgs.national):
        assert FigureMonth.objects.filter(org=org, key="members", month=month).exists()
    assert FigureMonth.objects.get(org=cast.orgs.national, key="members", month=month).value == before + 1
    assert rollup_apply_task.call()["rows"] == 0  # nothing marked, nothing done


def test_many_writes_in_one_transaction_ask_for_the_task_once(cast, django_capture_on_commit_callbacks):
    task = "gonghui.governance.tasks.rollup_apply_task"
    DBTaskResult.objects.filter(task_path=task).delete()
    with django_capture_on_commit_callbacks(execute=True):
        for n, where in enumerate(("company", "logistics", "company")):
            _apply(cast, "join", where, 903 + n)
        _apply(cast, "station", "xihu", 906)
    assert RollupDirty.objects.filter(org_id=cast.orgs.logistics.pk, key="members").exists()
    assert DBTaskResult.objects.filter(task_path=task).count() == 1


def test_a_write_rolled_back_marks_nothing(cast):
    RollupDirty.objects.all().delete()  # the cast's own writes marked their orgs
    try:
        with transaction.atomic():
            _apply(cast, "station", "xihu", 902)
            assert RollupDirty.objects.filter(org_id=cast.orgs.xihu.pk, key="venues_stations").exists()
            raise Rollback
    except Rollback:
        pass
    assert not RollupDirty.objects.exists()


def test_the_first_write_of_a_month_not_rolled_up_computes_the_whole_month(cast):
    assert not FigureMonth.objects.exists()
    _apply(cast, "station", "xihu", 903)
    rollup.apply_dirty()
    assert FigureMonth.objects.get(org=cast.orgs.xihu, key="venues_stations").value == Decimal(1)
    assert FigureMonth.objects.filter(org=cast.orgs.national, key="members").exists()  # every figure


def test_the_kernel_watches_the_models_the_areas_declare_and_skips_reverse_scopes():
    watched = figures.keys_by_app()
    assert "members" in watched["members"] and "venues_stations" in watched["venues"]
    assert "governance" not in watched  # the overview's own rows move nothing
    from gonghui.members.models import Person
    from gonghui.workforce.models import Entry

    assert figures._forward_chain(Membership) and figures._forward_chain(Entry)  # event__competition__org__path

    assert not figures._forward_chain(Person)  # a person's memberships: many orgs, not watched


def test_the_e_library_readers_target_counts_distinct_readers_from_the_check_ins(client, cast):
    from django.urls import reverse

    from gonghui.governance import services
    from gonghui.governance.demo import PLAN_DUE
    from gonghui.learning.services import checkin_create

    rollup.rollup_month()
    worker = cast.users.worker
    checkin_create(actor=worker, title="平凡的世界", minutes=60)
    checkin_create(actor=worker, title="大国工匠", minutes=30)  # the same reader again
    rollup.apply_dirty()  # the check-ins marked the worker's union: its ancestors follow
    month = month_of(timezone.localdate())
    for org in (cast.orgs.company, cast.orgs.zhejiang, cast.orgs.national):
        assert FigureMonth.objects.get(org=org, key="learning_readers", month=month).value == 1
    services.target_create(actor=None, org=cast.orgs.national, key="learning_readers", due_on=PLAN_DUE,
                           value=Decimal(50_000_000), source="规划")  # fmt: skip
    client.force_login(cast.users.national_admin)
    targets = client.get(reverse("governance:home")).content.decode()
    assert "本年电子书屋读者" in targets and "50000000" in targets.replace(",", "")
