"""The member counts kept on the orgs (decision 0030): after any sequence of the writes that change who belongs
where — joining, leaving, transfers, a union dissolved with its employer, subtrees moved, a roster import — every
org's ``member_count`` and ``subtree_member_count`` equal a recount of the active memberships."""

from collections import Counter

from django.db import transaction
from django.db.models import Count
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.members.models import Membership
from gonghui.members.services import (
    employer_close,
    member_create,
    membership_end,
    transfer_accept,
    transfer_release,
    transfer_start,
)
from gonghui.orgs.counts import member_counts_add, paths_up, subtree_totals, subtree_totals_recount
from gonghui.orgs.models import Org
from gonghui.orgs.services import org_move
from gonghui.testing.cast import valid_id

HOLDERS = ("company", "logistics", "xixi")  # the cast's unions that hold members
MOVES = (("company", "xixi"), ("company", "xuanwu"), ("company", "xihu"), ("xihu", "nanjing"), ("xihu", "hangzhou"),
         ("logistics", "xihu"), ("logistics", "xuanwu"))  # fmt: skip

step_st = st.one_of(
    st.tuples(st.just("join"), st.sampled_from(HOLDERS)),
    st.tuples(st.just("end"), st.integers(0, 50)),
    st.tuples(st.just("transfer"), st.integers(0, 50), st.sampled_from(HOLDERS)),
    st.tuples(st.just("move"), st.sampled_from(MOVES)),
    st.tuples(st.just("close"), st.sampled_from(("company", "logistics"))),
)


def recount() -> tuple[dict[str, int], Counter[str]]:
    """Active memberships by org path, and the subtree totals they make: counted from the memberships."""
    direct = dict(
        Membership.objects.filter(status=Membership.Status.ACTIVE).values_list("org__path").annotate(n=Count("id"))
    )
    return direct, subtree_totals(direct.items())


def assert_counts_exact():
    direct, totals = recount()
    kept = list(Org.objects.values_list("path", "member_count", "subtree_member_count"))
    assert [(path, mine, sub) for path, mine, sub in kept if (mine, sub) != (direct.get(path, 0), totals[path])] == []


def apply(cast, step, serial: int) -> None:
    admin, orgs = cast.users.national_admin, cast.orgs
    kind = step[0]
    active = list(Membership.objects.filter(status="active").select_related("org").order_by("pk"))
    if kind == "join":
        org = Org.objects.get(pk=getattr(orgs, step[1]).pk)
        if org.status == Org.Status.ACTIVE:
            member_create(actor=admin, org=org, name=f"会员{serial}", id_number=valid_id(f"33010619900101{serial:03d}"))
    elif kind == "end" and active:
        membership_end(actor=admin, membership=active[step[1] % len(active)], status="withdrawn", reason="本人申请")
    elif kind == "transfer" and active:
        membership, to_org = active[step[1] % len(active)], Org.objects.get(pk=getattr(orgs, step[2]).pk)
        if membership.org_id != to_org.pk and to_org.status == Org.Status.ACTIVE:
            transfer = transfer_start(actor=admin, membership=membership, to_org=to_org, reason="工作调动")
            transfer_accept(actor=admin, transfer=transfer_release(actor=admin, transfer=transfer))
    elif kind == "move":
        org, parent = (Org.objects.get(pk=getattr(orgs, name).pk) for name in step[1])
        if not parent.path.startswith(org.path) and org.parent_id != parent.pk:
            org_move(actor=admin, org=org, new_parent=parent)
    elif kind == "close":
        org = Org.objects.get(pk=getattr(orgs, step[1]).pk)
        if org.status == Org.Status.ACTIVE:
            employer_close(actor=admin, org=org)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(steps=st.lists(step_st, min_size=1, max_size=6))
def test_kept_counts_equal_a_recount_after_any_writes(cast, steps):
    sid = transaction.savepoint()
    try:
        for serial, step in enumerate(steps):
            apply(cast, step, serial)
        assert_counts_exact()
    finally:
        transaction.savepoint_rollback(sid)


def test_the_cast_counts_and_a_recount_agree(cast):
    assert_counts_exact()
    assert subtree_totals_recount() == 0
    orgs = cast.orgs
    assert [Org.objects.get(pk=o.pk).subtree_member_count for o in (orgs.national, orgs.zhejiang, orgs.xihu)] == [
        3, 2, 2,
    ]  # fmt: skip


def test_recount_repairs_totals_changed_outside_the_services(cast):
    Org.objects.filter(pk=cast.orgs.zhejiang.pk).update(subtree_member_count=99)
    Org.objects.filter(pk=cast.orgs.company.pk).update(subtree_member_count=0)
    assert subtree_totals_recount(cast.orgs.zhejiang) == 2
    assert_counts_exact()


def test_one_statement_for_a_write_and_its_ancestors(cast, django_assert_num_queries):
    orgs = cast.orgs
    with django_assert_num_queries(2) as queries:  # the UPDATE, and the overview's rollup marks (decision 0044)
        member_counts_add({orgs.company: 2, orgs.logistics: -1})
    assert "governance_rollupdirty" in queries.captured_queries[1]["sql"]
    kept = dict(Org.objects.values_list("pk", "subtree_member_count"))
    assert [kept[o.pk] for o in (orgs.national, orgs.zhejiang, orgs.jiangsu, orgs.company, orgs.logistics)] == [
        4, 4, 0, 4, 0,
    ]  # fmt: skip
    with django_assert_num_queries(0):
        member_counts_add({orgs.company: 0})


def test_paths_up():
    assert paths_up("0000001.000000a.0000010.") == ["0000001.", "0000001.000000a.", "0000001.000000a.0000010."]
