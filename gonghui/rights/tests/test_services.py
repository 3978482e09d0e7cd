"""Requests and legal cases through their services: routing, deadlines in working days, escalation, replies
read by the worker, rating, reopening, groups, anonymity, the privacy of a case's narrative, the clocks'
reminders, the signals and figures, retention."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import timezone

from gonghui.cases.models import Case, CaseStep
from gonghui.cases.services import cases_escalate_overdue
from gonghui.core import crypto
from gonghui.core.models import AuditEvent
from gonghui.core.workdays import add_working_days
from gonghui.messages.models import Message
from gonghui.privacy.services import personal_data_of
from gonghui.rights import selectors, services
from gonghui.rights.cases import CLOSED, HANDLING, REPLIED, SUBMITTED
from gonghui.rights.models import ClockReminder, LegalCase, RightsRequest
from gonghui.rights.tests.conftest import TECH_USCC, lawyer, make_legal, make_request
from gonghui.testing.cast import add_user


def test_a_worker_files_it_goes_to_the_employers_union_with_the_categorys_deadline(cast):
    request = make_request(cast, category="contract")
    assert request.org == cast.orgs.company and request.routing_rule == "employer_union"
    assert request.status == SUBMITTED and request.filer == cast.users.worker and not request.anonymous
    assert request.due_on == add_working_days(timezone.localdate(), 10) == request.case.deadline
    assert request.case.opened_by == cast.users.worker and selectors.description(request).startswith("单位已拖欠")
    assert request.employer.uscc == TECH_USCC
    wages = make_request(cast, category="wages")
    assert wages.due_on == add_working_days(timezone.localdate(), 5)


def test_without_an_employers_union_the_township_or_the_county_handles_it(cast):
    street = make_request(cast, employer_name="西溪路小吃店", employer_uscc="", region=_region("330106004"))
    assert (street.org, street.routing_rule) == (cast.orgs.xixi, "township")
    county = make_request(cast, employer_name="某装修队", employer_uscc="")
    assert (county.org, county.routing_rule) == (cast.orgs.xihu, "upper")


def _region(code):
    from gonghui.orgs.models import Region

    return Region.objects.get(code=code)


def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(cast):
    cases = Case.objects.count()
    with pytest.raises(ValidationError) as bad_code:
        make_request(cast, employer_uscc="91330106MA2A0000X4")
    assert "employer_uscc" in bad_code.value.message_dict
    with pytest.raises(ValidationError, match="请填写用人单位"):
        make_request(cast, employer_name="", employer_uscc="")
    with pytest.raises(ValidationError, match="请填写诉求内容"):
        make_request(cast, description="  ")
    with pytest.raises(ValidationError, match="请选择诉求类别"):
        make_request(cast, category="weather")
    assert Case.objects.count() == cases and not RightsRequest.objects.exists()


def test_anonymous_only_for_the_categories_the_province_allows(cast, settings):
    with pytest.raises(ValidationError, match="须实名提交"):
        make_request(cast, category="dismissal", anonymous=True)
    assert make_request(cast, category="wages", anonymous=True).anonymous
    settings.GONGHUI_RIGHTS = {"anonymous_by_province": {"33": ["other"]}}
    with pytest.raises(ValidationError, match="须实名提交"):
        make_request(cast, category="wages", anonymous=True)


def test_an_anonymous_filer_is_recorded_nowhere_a_cadre_can_read(cast):
    request = make_request(cast, category="wages", anonymous=True)
    case = request.case
    assert case.opened_by is None and set(CaseStep.objects.filter(case=case).values_list("actor", flat=True)) == {None}
    assert not AuditEvent.objects.filter(object_id=str(request.pk), actor=cast.users.worker).exists()
    assert selectors.filer_label(request) == "匿名"
    assert list(selectors.own_requests(cast.users.worker)) == [request]  # the worker still has it
    services.request_reply(actor=cast.users.grassroots_admin, request=request, text="已约谈单位。", version=1)
    assert Message.objects.filter(user=cast.users.worker, event="rights.replied").exists()
    request.refresh_from_db()
    services.request_rate(actor=cast.users.worker, request=request, satisfaction=4, version=request.version)
    assert set(CaseStep.objects.filter(case=case).exclude(actor=cast.users.grassroots_admin)
               .values_list("actor", flat=True)) == {None}  # fmt: skip


def test_a_reply_reaches_the_worker_who_rates_or_asks_again_or_reopens(cast):
    request = make_request(cast)
    request = services.request_accept(actor=cast.users.grassroots_admin, request=request, version=1)
    assert request.status == HANDLING and Message.objects.filter(event="rights.accepted").count() == 1
    request = services.request_reply(actor=cast.users.grassroots_admin, request=request, text="单位承诺月底前补发。",
                                     version=request.version)  # fmt: skip
    assert request.status == REPLIED and request.due_on is None and request.case.deadline is None
    message = Message.objects.get(user=cast.users.worker, event="rights.replied")
    assert "单位承诺月底前补发" in crypto.decrypt(message.body_enc)
    request = services.request_follow_up(actor=cast.users.worker, request=request, text="月底没有补发。",
                                         version=request.version)  # fmt: skip
    assert request.status == HANDLING and request.due_on == add_working_days(timezone.localdate(), 5)
    request = services.request_reply(actor=cast.users.grassroots_admin, request=request, text="已补发。",
                                     version=request.version)  # fmt: skip
    with pytest.raises(ValidationError, match="1 至 5"):
        services.request_rate(actor=cast.users.worker, request=request, satisfaction=6, version=request.version)
    with pytest.raises(Http404):
        services.request_rate(actor=cast.users.grassroots_admin, request=request, satisfaction=5,
                              version=request.version)  # fmt: skip
    request = services.request_rate(actor=cast.users.worker, request=request, satisfaction=5, version=request.version)
    assert (request.status, request.satisfaction, request.closed_on) == (CLOSED, 5, timezone.localdate())
    request = services.request_reopen(actor=cast.users.worker, request=request, reason="又拖欠了。",
                                      version=request.version)  # fmt: skip
    assert (request.status, request.reopened, request.satisfaction) == (HANDLING, 1, None)
    assert [text for _, text in selectors.replies_of(request)][-1] == "又拖欠了。"


def test_reopening_only_within_the_policys_days(cast):
    request = make_request(cast)
    request = services.request_reply(actor=cast.users.grassroots_admin, request=request, text="已处理。", version=1)
    request = services.request_close(actor=cast.users.grassroots_admin, request=request, version=request.version)
    RightsRequest.objects.filter(pk=request.pk).update(closed_on=timezone.localdate() - dt.timedelta(days=16))
    request.refresh_from_db()
    with pytest.raises(ValidationError, match="15 日内"):
        services.request_reopen(actor=cast.users.worker, request=request, reason="没解决", version=request.version)


def test_overdue_requests_escalate_once_and_show_at_every_level_above(cast):
    request = make_request(cast)
    late = timezone.localdate() - dt.timedelta(days=1)
    Case.objects.filter(pk=request.case_id).update(deadline=late)
    RightsRequest.objects.filter(pk=request.pk).update(due_on=late)
    assert cases_escalate_overdue(today=timezone.localdate()) == 1
    assert cases_escalate_overdue(today=timezone.localdate()) == 0
    request.refresh_from_db()
    assert request.escalated_to == cast.orgs.xihu and request.overdue_days == 1
    assert AuditEvent.objects.filter(action="rights_request.escalate").count() == 1
    for user in (cast.users.grassroots_admin, cast.users.province_admin, cast.users.national_admin):
        assert list(selectors.requests_visible_to(user, status="overdue")) == [request]
        assert selectors.overdue_requests(user) == 1 and selectors.open_requests(user) == 1
    assert selectors.overdue_requests(cast.users.sibling_admin) == 0
    assert (
        selectors.overdue_requests_under(cast.orgs.hangzhou) == 1
        and selectors.overdue_requests_under(cast.orgs.jiangsu) == 0
    )
    services.request_reply(actor=cast.users.province_admin, request=request, text="已督办。", version=request.version)
    assert (
        selectors.overdue_requests(cast.users.national_admin) == 0
        and selectors.open_requests_under(cast.orgs.national) == 1
    )


def test_reassigning_needs_the_upper_level_and_a_reason_and_gives_a_full_deadline(cast):
    request = make_request(cast)
    with pytest.raises(ValidationError, match="改派理由"):
        services.request_reassign(actor=cast.users.province_admin, request=request, org=cast.orgs.xixi, reason="",
                                  version=1)  # fmt: skip
    with pytest.raises(PermissionDenied):  # the company union may not hand its own request on
        services.request_reassign(actor=cast.users.grassroots_admin, request=request, org=cast.orgs.xixi,
                                  reason="不属本单位", version=1)  # fmt: skip
    request = services.request_reassign(actor=cast.users.province_admin, request=request, org=cast.orgs.xixi,
                                        reason="职工实为街道个体户雇员", version=1)  # fmt: skip
    assert request.org == cast.orgs.xixi and request.case.org == cast.orgs.xixi and request.routing_rule == "reassigned"
    assert request.due_on == add_working_days(timezone.localdate(), 5)


def test_ten_requests_against_one_employer_become_one_group_handled_as_one(cast):
    rows = [make_request(cast, anonymous=i >= 3) for i in range(9)]
    assert not RightsRequest.objects.filter(group__isnull=False).exists()
    assert [(c.count, c.group_id) for c in selectors.clusters(cast.users.province_admin)] == [(9, None)]
    tenth = make_request(cast)
    group = tenth.group
    assert group is not None and RightsRequest.objects.filter(group=group).count() == 10
    eleventh = make_request(cast)
    assert eleventh.group == group
    other = make_request(cast, category="hours")
    assert other.group is None
    with pytest.raises(ValidationError, match="3 至 5"):
        services.group_representatives(actor=cast.users.grassroots_admin, group=group, request_ids=[rows[0].pk])
    with pytest.raises(ValidationError, match="匿名"):
        services.group_representatives(actor=cast.users.grassroots_admin, group=group,
                                       request_ids=[rows[0].pk, rows[1].pk, rows[5].pk])  # fmt: skip
    services.group_representatives(actor=cast.users.grassroots_admin, group=group,
                                   request_ids=[rows[0].pk, rows[1].pk, rows[2].pk])  # fmt: skip
    assert RightsRequest.objects.filter(group=group, representative=True).count() == 3
    first = RightsRequest.objects.get(pk=rows[0].pk)
    services.request_reply(actor=cast.users.grassroots_admin, request=first, text="已与单位协商，下周一统一补发。",
                           version=first.version)  # fmt: skip
    assert set(RightsRequest.objects.filter(group=group).values_list("status", flat=True)) == {REPLIED}
    first.refresh_from_db()
    services.request_close(actor=cast.users.grassroots_admin, request=first, version=first.version)
    group.refresh_from_db()
    assert group.closed_at is not None and not RightsRequest.objects.filter(group=group).exclude(status=CLOSED).exists()


def test_a_legal_case_opened_from_a_request_keeps_the_link_and_hides_its_narrative(cast):
    request = make_request(cast)
    handler = lawyer(cast)
    legal = make_legal(cast, request=request, handler=handler)
    assert legal.request == request and list(request.legal_cases.all()) == [legal]
    assert Message.objects.filter(user=handler, event="rights.legal_assigned").exists()
    for user in (cast.users.grassroots_admin, handler):
        assert services.legal_read_narrative(actor=user, legal=legal)["claims"] == "支付拖欠工资 20000 元"
    for user in (cast.users.province_admin, cast.users.national_admin):
        assert selectors.legal_visible_to(user).filter(pk=legal.pk).exists()
        assert services.legal_read_narrative(actor=user, legal=legal) is None
    assert not selectors.legal_visible_to(cast.users.sibling_admin).exists()
    assert AuditEvent.objects.filter(action="rights.legal_view").count() == 2
    stranger = add_user("stranger")
    with pytest.raises(ValidationError, match="律师"):
        make_legal(cast, handler=stranger)


def test_milestones_in_order_drive_the_clocks_and_the_handler_closes(cast):
    handler = lawyer(cast)
    legal = make_legal(cast, handler=handler, wage_arrears=False, known_on=dt.date(2026, 1, 5))
    services.legal_milestone(actor=handler, legal=legal, kind="arbitration_applied_on", on=dt.date(2026, 3, 2))
    with pytest.raises(ValidationError, match="不能早于"):
        services.legal_milestone(actor=handler, legal=legal, kind="arbitration_accepted_on", on=dt.date(2026, 3, 1))
    with pytest.raises(ValidationError, match="受理后"):
        services.legal_milestone(actor=handler, legal=legal, kind="extension", on=dt.date(2026, 3, 3), extension_days=5)
    services.legal_milestone(actor=handler, legal=legal, kind="arbitration_accepted_on", on=dt.date(2026, 3, 6))
    with pytest.raises(ValidationError, match="最多 15 日"):
        services.legal_milestone(actor=handler, legal=legal, kind="extension", on=dt.date(2026, 4, 1),
                                 extension_days=16)  # fmt: skip
    services.legal_milestone(actor=handler, legal=legal, kind="extension", on=dt.date(2026, 4, 1), extension_days=10)
    legal.refresh_from_db()
    clocks = {c.key: c for c, _ in selectors.case_clocks(legal, today=dt.date(2026, 4, 2))}
    assert clocks["award"].due_on == dt.date(2026, 4, 30) and clocks["acceptance"].done
    with pytest.raises(PermissionDenied):
        services.legal_milestone(actor=cast.users.readonly, legal=legal, kind="hearing", on=dt.date(2026, 4, 2))
    legal = services.legal_close(actor=handler, legal=legal, outcome="award", amount_recovered="15000",
                                 version=legal.version)  # fmt: skip
    assert legal.outcome == "award" and legal.case.status == "award" and legal.case.closed_at is not None
    assert selectors.open_legal_cases(cast.users.province_admin) == 0


def test_the_daily_job_reminds_the_handler_once_per_clock(cast):
    handler = lawyer(cast)
    today = timezone.localdate()
    legal = make_legal(cast, handler=handler, known_on=today - dt.timedelta(days=300), wage_arrears=False)
    applied = today - dt.timedelta(days=13)
    services.legal_milestone(actor=handler, legal=legal, kind="mediation_applied_on", on=applied)
    legal.refresh_from_db()
    due = {c.key: left for c, left in selectors.case_clocks(legal)}
    expected = 1 if 0 <= due["mediation"] <= 3 else 0
    assert services.clocks_remind(today=today) == expected
    assert services.clocks_remind(today=today) == 0
    assert ClockReminder.objects.count() == expected
    assert Message.objects.filter(user=handler, event="rights.clock_near").count() == expected


def test_signals_per_employer_and_region(cast):
    make_request(cast, category="wages")
    make_request(cast, category="hours")
    late = make_request(cast, category="wages")
    RightsRequest.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - dt.timedelta(days=2))
    make_legal(cast, amount_claimed="20000")
    [tech] = selectors.signals_by_employer(cast.users.province_admin)
    assert (tech.requests, tech.by_category, tech.overdue, tech.open_cases) == (3, {"wages": 2, "hours": 1}, 1, 1)
    assert tech.amount_claimed == 20000 and tech.name == "杭州示例科技有限公司"
    [city] = selectors.signals_by_region(cast.users.national_admin)
    assert (city.key, city.name, city.requests) == ("3301", "杭州市", 3)
    assert selectors.signals_by_employer(cast.users.sibling_admin) == []
    assert selectors.signals_by_region_under(cast.orgs.zhejiang, digits=2)[0].key == "33"


def test_the_worker_copy_and_retention(cast):
    request = make_request(cast, anonymous=True)
    services.request_reply(actor=cast.users.grassroots_admin, request=request, text="已处理。", version=1)
    make_legal(cast, request=request)
    copy = personal_data_of(cast.members.zhang.person)
    [own] = copy["职工诉求与法律援助"]
    assert own["匿名"] and own["诉求内容"].startswith("单位已拖欠") and own["答复"][0]["内容"] == "已处理。"
    assert own["法律援助案件"][0]["请求事项"] == "支付拖欠工资 20000 元"
    request.refresh_from_db()
    services.request_rate(actor=cast.users.worker, request=request, satisfaction=3, version=request.version)
    LegalCase.objects.update(closed_on=timezone.localdate() - dt.timedelta(days=10))
    cutoff = timezone.localdate() + dt.timedelta(days=1)
    assert services.closed_requests_erase(cutoff=cutoff, batch_size=10) == 1
    assert services.closed_legal_erase(cutoff=cutoff, batch_size=10) == 1
    request.refresh_from_db()
    assert request.description_enc == "" and not request.replies.exists()
    assert selectors.description(request) == "（已按保存期限清除）"
