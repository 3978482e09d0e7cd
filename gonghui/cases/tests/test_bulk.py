"""The bulk services of the case kernel (daily jobs): many cases opened or closed at once, each with its step,
the cases in one statement, audited once with the count."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from gonghui.cases import services
from gonghui.cases.kinds import CaseKind, ClockRule, Deadline, TransitionRule, register
from gonghui.cases.models import Case, CaseStep
from gonghui.core.models import AuditEvent

BULK = register(
    CaseKind(
        code="test_bulk",
        name="批量测试",
        statuses={"open": "待办", "held": "暂缓", "done": "已办结", "dropped": "已撤销"},
        initial="open",
        closed=frozenset({"done", "dropped"}),
        transitions={
            "open": {"done": TransitionRule("办结", reason_required=True), "held": TransitionRule("暂缓")},
            "held": {"dropped": TransitionRule("撤销")},
        },  # fmt: skip
        deadlines={"open": Deadline(3)},
        clocks=(ClockRule("办理时限", "open", Deadline(10, working=False)),),
    )
)


def _opened(cast, count=3, actor=None):
    orgs = [cast.orgs.company.pk] * (count - 1) + [cast.orgs.jiangsu.pk]
    return services.cases_open_bulk(actor=actor, kind=BULK.code, org_ids=orgs, subject="批量事项", note="自动立项")


def test_bulk_open_writes_each_case_its_first_step_and_clock_and_one_audit_event(cast):
    cases = _opened(cast)
    assert [c.org_id for c in cases] == [cast.orgs.company.pk] * 2 + [cast.orgs.jiangsu.pk]
    for case in Case.objects.filter(pk__in=[c.pk for c in cases]):
        assert (case.status, case.version, case.closed_at) == ("open", 1, None) and case.deadline is not None
        assert list(case.steps.values_list("from_status", "to_status", "note")) == [("", "open", "自动立项")]
        assert list(case.clocks.values_list("name", flat=True)) == ["办理时限"]
    [event] = AuditEvent.objects.filter(action="case.open_bulk")
    assert event.detail["count"] == 3


def test_bulk_open_checks_a_cadres_write_on_every_union(cast):
    with pytest.raises(Http404):
        _opened(cast, actor=cast.users.grassroots_admin)  # Jiangsu is outside their scope
    with pytest.raises(PermissionDenied):
        services.cases_open_bulk(actor=cast.users.readonly, kind=BULK.code, org_ids=[cast.orgs.company.pk],
                                 subject="批量事项")  # fmt: skip
    assert not Case.objects.filter(kind=BULK.code).exists()


def test_bulk_close_moves_only_what_the_table_allows_with_a_step_each(cast):
    first, second, third = _opened(cast)
    services.case_transition(actor=None, case=third, to="held", version=1)
    closed = services.cases_close_bulk(actor=None, kind=BULK.code, case_ids=[first.pk, second.pk, third.pk],
                                       to="done", note="已处理")  # fmt: skip
    assert sorted(closed) == [first.pk, second.pk]
    for case in Case.objects.filter(pk__in=closed):
        assert (case.status, case.version, case.deadline) == ("done", 2, None) and case.closed_at is not None
        assert case.steps.last().note == "已处理" and case.clocks.get().stopped_on is not None
    assert Case.objects.get(pk=third.pk).status == "held"
    assert AuditEvent.objects.get(action="case.close_bulk").detail == {"kind": BULK.code, "to": "done", "count": 2}
    assert services.cases_close_bulk(actor=None, kind=BULK.code, case_ids=closed, to="done", note="再办") == []
    assert CaseStep.objects.filter(case_id__in=closed).count() == 4


def test_bulk_close_refuses_a_missing_reason_an_open_status_and_a_union_out_of_scope(cast):
    cases = _opened(cast)
    ids = [c.pk for c in cases]
    with pytest.raises(ValidationError, match="须填写理由"):
        services.cases_close_bulk(actor=None, kind=BULK.code, case_ids=ids, to="done", note=" ")
    with pytest.raises(ValidationError, match="不是办结状态"):
        services.cases_close_bulk(actor=None, kind=BULK.code, case_ids=ids, to="held", note="x")
    with pytest.raises(Http404):
        services.cases_close_bulk(actor=cast.users.grassroots_admin, kind=BULK.code, case_ids=ids, to="done",
                                  note="已处理")  # fmt: skip
    assert not Case.objects.filter(pk__in=ids).exclude(status="open").exists()
    assert CaseStep.objects.filter(case_id__in=ids).count() == 3
