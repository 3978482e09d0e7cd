"""Personal-data requests on the case kernel: each request has its case at the person's union, its steps are
the case's (the refusal with its reason), only cadres of that union take them, and existing requests get
their case from the data migration."""

import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.http import Http404

from gonghui.cases.models import Case
from gonghui.privacy import services
from gonghui.privacy.models import DataSubjectRequest

MIGRATION = importlib.import_module("gonghui.privacy.migrations.0005_cases_for_existing_requests")


def _request(cast, kind="access"):
    return services.request_create(actor=cast.users.worker, person=cast.members.zhang.person, kind=kind)


def test_a_request_opens_its_case_at_the_persons_union(cast):
    request = _request(cast)
    case = request.case
    assert (case.kind, case.status, case.org, case.deadline) == ("data_request", "received", cast.orgs.company,
                                                                 request.due_on)  # fmt: skip
    assert case.opened_by == cast.users.worker and "张伟" not in case.subject


def test_start_and_refusal_are_steps_of_the_case(cast):
    request = _request(cast)
    services.request_start(actor=cast.users.grassroots_admin, request=request)
    services.request_refuse(actor=cast.users.grassroots_admin, request=request, reason="申请人身份无法核实")
    case = Case.objects.get(pk=request.case_id)
    assert case.status == "refused" and case.closed_at and case.deadline is None
    assert list(case.steps.values_list("to_status", "note")) == [
        ("received", ""), ("in_progress", ""), ("refused", "申请人身份无法核实")]  # fmt: skip
    assert DataSubjectRequest.objects.get(pk=request.pk).due_on == request.due_on


def test_only_cadres_of_the_persons_union_take_the_steps(cast):
    request = _request(cast)
    with pytest.raises(Http404):
        services.request_start(actor=cast.users.sibling_admin, request=request)
    with pytest.raises(PermissionDenied):
        services.request_complete(actor=cast.users.readonly, request=request)
    assert DataSubjectRequest.objects.get(pk=request.pk).status == "received"


def test_the_data_migration_opens_a_case_for_every_earlier_request(cast):
    open_request = _request(cast)
    refused = services.request_create(actor=None, person=cast.members.wang.person, kind="delete")
    services.request_refuse(actor=cast.users.national_admin, request=refused, reason="仍为在册会员")
    DataSubjectRequest.objects.update(case=None)
    Case.objects.all().delete()
    MIGRATION.forwards(apps, None)
    open_request.refresh_from_db()
    refused.refresh_from_db()
    assert (open_request.case.status, open_request.case.org, open_request.case.deadline) == (
        "received", cast.orgs.company, open_request.due_on)  # fmt: skip
    assert refused.case.org == cast.orgs.logistics and refused.case.closed_at == refused.completed_at
    assert list(refused.case.steps.values_list("from_status", "to_status", "note")) == [
        ("", "received", ""), ("received", "refused", "仍为在册会员")]  # fmt: skip
    MIGRATION.forwards(apps, None)  # idempotent
    assert Case.objects.count() == 2
