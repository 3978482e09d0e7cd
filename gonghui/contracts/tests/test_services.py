"""The life of a contract through the services: the rules of each step, the dated steps of the daily job,
renewal, the reminders to the union's cadres, the signed text, the audit events, and coverage."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.utils import timezone

from gonghui.contracts import selectors, services, terms
from gonghui.contracts.models import Contract, ContractStep, Status
from gonghui.contracts.tests.conftest import FIELDS, make_contract
from gonghui.core import files
from gonghui.core.models import AuditEvent
from gonghui.core.workdays import is_workday
from gonghui.messages.models import Message

TODAY = timezone.localdate
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def days(n: int) -> dt.date:
    return TODAY() + dt.timedelta(days=n)


def field_of(error: ValidationError) -> set[str]:
    return set(error.value.message_dict)


def test_a_contract_goes_from_draft_to_effect_with_its_dates(cast):
    admin = cast.users.grassroots_admin
    contract = make_contract(cast, actor=admin, until="filed", signed_on=days(-30))
    assert contract.status == Status.EFFECTIVE  # filed 24 days ago: the 15-day window has passed
    assert contract.filing_due == terms.filing_due(days(-30), is_workday)
    assert contract.effective_on == terms.effective_on(days(-24), is_workday)
    assert contract.expires_on == terms.expires_on(contract.effective_on, 3)
    assert contract.renewal_from == terms.renewal_from(contract.expires_on)
    steps = list(ContractStep.objects.filter(contract=contract).values_list("to_status", flat=True))
    assert steps == ["drafted", "adopted", "signed", "filed", "effective"]
    actions = set(AuditEvent.objects.filter(object_id=str(contract.pk), actor=admin).values_list("action", flat=True))
    assert actions == {
        "contracts.contract_create",
        "contracts.contract_adopt",
        "contracts.contract_sign",
        "contracts.contract_file",
    }


def test_a_recent_filing_waits_for_the_window_and_the_daily_job_brings_it_into_effect(cast):
    contract = make_contract(cast, until="filed", signed_on=days(-3))
    assert contract.status == Status.FILED and contract.objection_until >= days(12)
    assert services.contracts_settle(today=contract.objection_until) == 0
    assert services.contracts_settle(today=contract.effective_on) == 1
    contract.refresh_from_db()
    assert contract.status == Status.EFFECTIVE
    assert services.contracts_settle(today=contract.effective_on) == 0  # safe to run twice
    assert services.contracts_settle(today=contract.expires_on) == 0
    assert services.contracts_settle(today=contract.expires_on + dt.timedelta(days=1)) == 1
    contract.refresh_from_db()
    assert contract.status == Status.LAPSED


def test_the_draft_is_checked_and_nothing_is_half_saved(cast):
    company, xihu = cast.orgs.company, cast.orgs.xihu
    bad = [
        ({"term_years": 4}, "term_years"),
        ({"term_years": 0}, "term_years"),
        ({"workers_covered": 0}, "workers_covered"),
        ({"employers_covered": 3}, "employers_covered"),
        ({"title": "  "}, "title"),
        ({"kind": "x"}, "kind"),
        ({"kind": "wage"}, "wage_increase_pct"),
        ({"kind": "wage", "wage_increase_pct": Decimal("5")}, "minimum_wage"),
        ({"wage_increase_pct": Decimal("5")}, "wage_increase_pct"),
        ({"level": "region"}, "org"),
    ]
    for extra, field in bad:
        with pytest.raises(ValidationError) as error:
            services.contract_create(actor=cast.users.grassroots_admin, org=company, **(FIELDS | extra))
        assert field in field_of(error), (extra, error.value)
    with pytest.raises(ValidationError) as error:
        services.contract_create(actor=None, org=xihu, **FIELDS)  # an enterprise contract needs a grassroots union
    assert "org" in field_of(error)
    assert Contract.objects.count() == 0
    wage = services.contract_create(
        actor=None,
        org=xihu,
        **(
            FIELDS
            | {
                "level": "sector",
                "kind": "wage",
                "employers_covered": 40,
                "wage_increase_pct": Decimal("4.5"),
                "minimum_wage": Decimal("2490"),
            }
        ),
    )
    assert wage.minimum_wage == Decimal("2490") and wage.employers_covered == 40


def test_the_vote_must_adopt_the_draft(cast):
    contract = make_contract(cast)
    vote = {
        "adopted_by": "congress",
        "adopted_on": days(-1),
        "voters_total": 90,
        "votes_against": 0,
        "votes_abstain": 0,
    }
    with pytest.raises(ValidationError, match="三分之二"):
        services.contract_adopt(actor=None, contract=contract, voters_present=59, votes_for=59, **vote)
    with pytest.raises(ValidationError, match="半数"):
        services.contract_adopt(actor=None, contract=contract, voters_present=90, votes_for=45, **vote)
    with pytest.raises(ValidationError, match="晚于今天"):
        services.contract_adopt(
            actor=None, contract=contract, voters_present=90, votes_for=46, **(vote | {"adopted_on": days(1)})
        )
    contract.refresh_from_db()
    assert contract.status == Status.DRAFTED and contract.votes_for is None
    services.contract_adopt(actor=None, contract=contract, voters_present=60, votes_for=46, **vote)
    contract.refresh_from_db()
    assert contract.status == Status.ADOPTED
    with pytest.raises(ValidationError, match="不能再审议"):
        services.contract_adopt(actor=None, contract=contract, voters_present=60, votes_for=46, **vote)


def test_signing_and_filing_follow_in_order(cast):
    contract = make_contract(cast)
    with pytest.raises(ValidationError, match="须先经职工代表大会"):
        services.contract_sign(actor=None, contract=contract, signed_on=days(-1))
    contract = make_contract(cast, until="adopted", signed_on=days(-1))
    with pytest.raises(ValidationError, match="不能早于职工代表大会"):
        services.contract_sign(actor=None, contract=contract, signed_on=days(-20))
    services.contract_sign(actor=None, contract=contract, signed_on=days(-1))
    with pytest.raises(ValidationError, match="不能早于签订"):
        services.contract_file(actor=None, contract=contract, filed_on=days(-2), filed_with="人社局")
    with pytest.raises(ValidationError) as error:
        services.contract_file(actor=None, contract=contract, filed_on=days(0), filed_with=" ")
    assert "filed_with" in field_of(error)


def test_a_late_filing_is_recorded_and_shown_overdue_until_filed(cast):
    contract = make_contract(cast, until="signed", signed_on=days(-40))
    assert contract.filing_overdue_on == contract.filing_due
    assert list(selectors.contracts_visible_to(cast.users.province_admin, status="filing_overdue")) == [contract]
    services.contract_file(actor=cast.users.grassroots_admin, contract=contract, filed_on=days(-1), filed_with="人社局")
    event = AuditEvent.objects.get(action="contracts.contract_file", object_id=str(contract.pk))
    assert event.detail == {"late": True}
    assert "逾期报送" in ContractStep.objects.filter(contract=contract).last().note


def test_an_objection_sends_the_contract_back_to_negotiation(cast):
    contract = make_contract(cast, until="filed", signed_on=days(-6))
    with pytest.raises(ValidationError, match="审查异议期内"):
        services.contract_objection(actor=None, contract=contract, received_on=days(-7), note="工时条款违法")
    services.contract_objection(
        actor=cast.users.grassroots_admin, contract=contract, received_on=days(0), note="第十二条加班工资低于法定标准"
    )
    contract.refresh_from_db()
    assert contract.status == Status.DRAFTED and contract.signed_on is None and contract.effective_on is None
    assert "加班工资" in ContractStep.objects.filter(contract=contract).last().note
    contract = make_contract(cast, until="filed", signed_on=days(-3))  # the same contract may be adopted again
    assert contract.status == Status.FILED


def test_a_renewal_in_effect_renews_the_old_contract_even_after_it_lapsed(cast):
    old = make_contract(cast, until="filed", signed_on=terms.add_months(days(-40), -36))
    assert old.status == Status.LAPSED
    assert selectors.lapsed_count_under(cast.orgs.zhejiang) == 1
    with pytest.raises(ValidationError, match="同一工会"):
        services.contract_create(actor=None, org=cast.orgs.company, renews=old, **(FIELDS | {"kind": "safety"}))
    new = make_contract(cast, renews=old, title="杭州示例科技有限公司综合集体合同（2026-2029）")
    with pytest.raises(ValidationError, match="已有正在办理"):
        services.contract_create(actor=None, org=cast.orgs.company, renews=old, **FIELDS)
    services.contract_adopt(
        actor=None,
        contract=new,
        adopted_by="assembly",
        adopted_on=days(-30),
        voters_total=100,
        voters_present=80,
        votes_for=70,
    )
    services.contract_sign(actor=None, contract=new, signed_on=days(-25))
    services.contract_file(actor=None, contract=new, filed_on=days(-20), filed_with="人社局")
    old.refresh_from_db()
    new.refresh_from_db()
    assert new.status == Status.EFFECTIVE and old.status == Status.RENEWED
    assert selectors.lapsed_count_under(cast.orgs.zhejiang) == 0


def test_ending_a_contract_needs_a_reason(cast):
    contract = make_contract(cast, until="filed", signed_on=days(-60))
    with pytest.raises(ValidationError) as error:
        services.contract_end(actor=None, contract=contract, ended_on=days(-1), reason="")
    assert "reason" in field_of(error)
    with pytest.raises(ValidationError, match="不能早于生效"):
        services.contract_end(actor=None, contract=contract, ended_on=days(-59), reason="企业注销")
    services.contract_end(actor=None, contract=contract, ended_on=days(-1), reason="企业注销")
    contract.refresh_from_db()
    assert contract.status == Status.EXPIRED and contract.end_reason == "企业注销"


def test_renewal_reminders_reach_the_unions_cadres_once(cast):
    contract = make_contract(cast, until="filed", signed_on=days(-60))
    assert services.renewals_remind(today=contract.renewal_from - dt.timedelta(days=1)) == 0
    assert services.renewals_remind(today=contract.renewal_from) == 1
    assert services.renewals_remind(today=contract.renewal_from + dt.timedelta(days=1)) == 0
    message = Message.objects.get(event="contracts.renewal_due")
    assert message.user == cast.users.grassroots_admin and "期满" in message.title
    # a county's contract with no cadre of its own: the city's (none) then the province's… up to 全总
    regional = make_contract(
        cast, org=cast.orgs.xixi, level="region", employers_covered=30, until="filed", signed_on=days(-60)
    )
    assert services.renewals_remind(today=regional.renewal_from) == 1
    assert Message.objects.filter(event="contracts.renewal_due", user=cast.users.province_admin).exists()


def test_a_renewal_under_way_stops_the_reminder(cast):
    contract = make_contract(cast, until="filed", signed_on=days(-60))
    make_contract(cast, renews=contract)
    assert services.renewals_remind(today=contract.renewal_from) == 0


def test_the_signed_text_is_stored_encrypted_and_replaced(cast, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    contract = make_contract(cast)
    admin = cast.users.grassroots_admin
    with pytest.raises(ValidationError) as error:
        services.text_attach(actor=admin, contract=contract, file=io.BytesIO(b"MZ\x90\x00evil"), file_name="a.exe")
    assert "file" in field_of(error)
    upload = SimpleUploadedFile("合同文本.pdf", PDF, content_type="application/pdf")
    services.text_attach(actor=admin, contract=contract, file=upload, file_name="合同文本.pdf")
    contract.refresh_from_db()
    first = contract.text_file
    assert PDF not in files.path_of(first).read_bytes() and files.open_private(first).read() == PDF
    services.text_attach(actor=admin, contract=contract, file=io.BytesIO(PDF), file_name="第二版.pdf")
    contract.refresh_from_db()
    assert contract.text_name == "第二版.pdf" and contract.text_file != first
    scan = b"\xff\xd8\xff\xe0" + b"\x00" * 32  # a JPEG scan of the signed pages
    services.text_attach(actor=admin, contract=contract, file=io.BytesIO(scan), file_name="扫描件.jpg")
    contract.refresh_from_db()
    assert contract.text_file.endswith(".jpg") and files.open_private(contract.text_file).read() == scan


def test_a_replaced_text_file_is_deleted_after_commit(cast, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.VAR_DIR = tmp_path
    contract = make_contract(cast)
    with django_capture_on_commit_callbacks(execute=True):
        services.text_attach(actor=None, contract=contract, file=io.BytesIO(PDF), file_name="a.pdf")
    first = Contract.objects.get(pk=contract.pk).text_file
    with django_capture_on_commit_callbacks(execute=True):
        services.text_attach(actor=None, contract=contract, file=io.BytesIO(PDF), file_name="b.pdf")
    assert files.exists(Contract.objects.get(pk=contract.pk).text_file) and not files.exists(first)


def test_writes_are_refused_outside_scope_and_to_read_only(cast):
    contract = make_contract(cast)
    with pytest.raises(Http404):
        services.contract_create(actor=cast.users.sibling_admin, org=cast.orgs.company, **FIELDS)
    with pytest.raises(PermissionDenied):
        services.contract_sign(actor=cast.users.readonly, contract=contract, signed_on=days(0))
    assert AuditEvent.objects.filter(action="access.denied", actor=cast.users.readonly).exists()


def test_coverage_counts_each_union_once_by_its_largest_contract(cast):
    make_contract(cast, until="filed", signed_on=days(-60), workers_covered=120)
    make_contract(
        cast,
        until="filed",
        signed_on=days(-60),
        kind="wage",
        workers_covered=100,
        wage_increase_pct=Decimal("5"),
        minimum_wage=Decimal("2490"),
    )
    make_contract(
        cast,
        org=cast.orgs.xihu,
        level="sector",
        until="filed",
        signed_on=days(-60),
        employers_covered=25,
        workers_covered=900,
    )
    make_contract(cast, until="filed", signed_on=terms.add_months(days(-40), -36), kind="safety")  # lapsed
    make_contract(cast, until="filed", signed_on=terms.add_months(days(40), -36), kind="women")  # expiring
    cov = selectors.coverage_under(cast.orgs.zhejiang)
    by_kind = {k.label: k for k in cov.kinds}
    assert (cov.total.effective, cov.total.employers, cov.total.workers) == (4, 26, 1020)
    assert (cov.total.lapsed, cov.total.expiring) == (1, 1)
    assert by_kind["综合集体合同"].workers == 1020 and by_kind["工资专项集体合同"].workers == 100
    assert by_kind["安全生产专项集体合同"].lapsed == 1 and by_kind["女职工权益保护专项集体合同"].expiring == 1
    assert selectors.workers_covered_under(cast.orgs.zhejiang) == 1020
    assert (
        selectors.effective_count_under(cast.orgs.zhejiang) == 4 == selectors.effective_count(cast.users.province_admin)
    )
    assert (
        selectors.workers_covered(cast.users.sibling_admin) == 0 == selectors.effective_count_under(cast.orgs.jiangsu)
    )
    assert selectors.lapsed_by_org_under(cast.orgs.national) == {cast.orgs.company.pk: 1}
    children = selectors.children_coverage(cast.users.national_admin, cast.orgs.national)
    assert [(c.name, e, w, lap) for c, e, w, lap in children] == [
        ("浙江省总工会", 4, 1020, 1),
        ("江苏省总工会", 0, 0, 0),
    ]
