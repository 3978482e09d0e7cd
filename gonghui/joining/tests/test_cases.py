"""Join applications on the case kernel: each application has its case, its steps are the case's, the
cadre's case to-do list shows it, and the generic case pages and API leave its steps to the joining pages."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from gonghui.cases import selectors as case_selectors
from gonghui.cases.models import Case
from gonghui.cases.services import cases_daily
from gonghui.joining import services
from gonghui.joining.models import JoinApplication
from gonghui.joining.tests.conftest import submit
from gonghui.testing.api import ApiClient

MIGRATION = importlib.import_module("gonghui.joining.migrations.0006_cases_for_existing_applications")


def _company_application(cast):
    return submit(employer=cast.orgs.company.employer, employment_form="standard")


def test_an_application_opens_its_case_with_the_same_deadline(cast):
    application = _company_application(cast)
    case = application.case
    assert (case.kind, case.status, case.org, case.deadline) == (
        "join",
        "pending",
        cast.orgs.company,
        application.due_on,
    )
    assert case.opened_by == application.account and "赵强" not in case.subject


def test_a_refusal_is_a_step_of_the_case_with_its_reason(cast):
    application = _company_application(cast)
    services.application_reject(actor=cast.users.grassroots_admin, application=application, version=1,
                                reason="不在本单位工作")  # fmt: skip
    case = Case.objects.get(pk=application.case_id)
    assert case.status == "rejected" and case.closed_at and case.version == 2
    assert list(case.steps.values_list("to_status", "note")) == [("pending", ""), ("rejected", "不在本单位工作")]


def test_only_the_applicant_withdraws_through_the_case(cast):
    application = _company_application(cast)
    with pytest.raises(PermissionDenied):
        services.application_withdraw(actor=cast.users.worker, application=application)
    services.application_withdraw(actor=application.account, application=application)
    assert Case.objects.get(pk=application.case_id).status == "withdrawn"


def test_reassigning_moves_the_case_and_its_escalation_is_the_cases_job(cast):
    application = _company_application(cast)
    assert cases_daily(today=application.due_on + dt.timedelta(days=1)) == 1
    application.refresh_from_db()
    assert application.escalated_to == cast.orgs.xihu and application.case.escalated_to == cast.orgs.xihu
    services.application_reassign(actor=cast.users.province_admin, application=application,
                                  version=application.version, org=cast.orgs.xixi)  # fmt: skip
    application.refresh_from_db()
    case = application.case
    assert (application.org, case.org, application.escalated_to, case.escalated_to) == (cast.orgs.xixi,) * 2 + (
        None,
    ) * 2
    assert application.version == case.version == 2


def test_the_case_todo_lists_applications_and_links_to_the_joining_page(cast, client):
    application = _company_application(cast)
    assert list(case_selectors.todo(cast.users.grassroots_admin)) == [application.case]
    client.force_login(cast.users.grassroots_admin)
    assert "入会申请" in client.get(reverse("cases:todo")).content.decode()
    page = client.get(reverse("cases:detail", args=[application.case_id])).content.decode()
    assert reverse("joining:detail", args=[application.pk]) in page and "受理入会" not in page


def test_the_generic_case_api_does_not_take_joining_steps(cast):
    application = _company_application(cast)
    api = ApiClient()
    response = api.post(f"/api/v1/cases/{application.case_id}/transition", cast.users.grassroots_admin,
                        {"to": "accepted", "version": 1})  # fmt: skip
    assert response.status_code == 400 and "业务页面" in response.json()["detail"]
    assert JoinApplication.objects.get(pk=application.pk).status == "pending"


def test_the_data_migration_opens_a_case_for_every_earlier_application(cast):
    pending, refused = _company_application(cast), submit(phone="13566660000", id_number="11010519491231002X")
    services.application_reject(actor=cast.users.national_admin, application=refused, version=1, reason="重复申请")
    JoinApplication.objects.update(case=None)
    Case.objects.all().delete()
    MIGRATION.forwards(apps, None)
    pending.refresh_from_db()
    refused.refresh_from_db()
    assert (pending.case.status, pending.case.deadline, pending.case.closed_at) == ("pending", pending.due_on, None)
    assert refused.case.status == "rejected" and refused.case.closed_at == refused.decided_at
    assert list(refused.case.steps.values_list("to_status", "note", "actor")) == [
        ("pending", "", refused.account_id), ("rejected", "重复申请", cast.users.national_admin.pk)]  # fmt: skip
    MIGRATION.forwards(apps, None)  # idempotent
    assert Case.objects.count() == 2
