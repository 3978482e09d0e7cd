"""Hardship files through the services: consent first, the computed category, the review chain with 公示 and
an objection, exit and re-entry, aid payments (never twice), yearly reviews, duplicates across provinces."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone

from gonghui.assistance import cases as kinds
from gonghui.assistance import selectors, services
from gonghui.assistance.models import AidPayment, HardshipFile, HardshipReview, HouseholdMember
from gonghui.assistance.tests.conftest import CHILD_ID, WANG_FANG_ID, YEAR, allowances, household, make_file
from gonghui.cases.models import PublicNotice
from gonghui.cases.services import objection_answer, objection_submit
from gonghui.core import crypto
from gonghui.core.models import AuditEvent
from gonghui.orgs.models import Region
from gonghui.privacy.models import ConsentRecord


def approved(cast, **extra) -> HardshipFile:
    """A file taken through review, a 公示 that has closed, and approval."""
    file = make_file(cast, **extra)
    file = services.file_step(actor=cast.users.province_admin, file=file, to=kinds.NOTICING, version=1)
    PublicNotice.objects.filter(case=file.case).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    return services.file_step(actor=cast.users.province_admin, file=file, to=kinds.APPROVED, version=2)


def test_file_records_consent_first_and_computes_the_category(cast):
    file = make_file(cast)
    # 12 × 1000 ÷ 12 ÷ 3 = 333.33 < 1000 (Zhejiang's 低保, inherited by 西湖区).
    result = services.file_means(file)
    assert (result.per_capita_monthly, result.allowance, file.category) == (Decimal("333.33"), 1000, "deep")
    assert file.status == "submitted" and file.case.kind == kinds.HARDSHIP
    assert ConsentRecord.objects.filter(person=cast.members.zhang.person, category="hardship").exists()
    assert AuditEvent.objects.filter(action="assistance.file_create").exists()
    member = file.household.get(relation="spouse")
    assert "尿毒症" not in member.health_enc and crypto.decrypt(member.health_enc) == "尿毒症，透析"
    assert file.bank_account_masked == "6222 **** 0123"


def test_no_consent_no_file(cast):
    with pytest.raises(ValidationError, match="单独同意"):
        services.file_create(
            actor=cast.users.grassroots_admin, org=cast.orgs.company, person=cast.members.zhang.person,
            region=Region.objects.get(code="330106"), year=YEAR, consent=False, household=household(),
            main_cause="illness")  # fmt: skip
    assert not HardshipFile.objects.exists() and not ConsentRecord.objects.exists()


def test_not_eligible_is_refused_with_the_rule(cast):
    with pytest.raises(ValidationError, match="不符合建档条件：人均月收入 2000.00 元"):
        make_file(cast, members=household(income="6000"))
    assert not HardshipFile.objects.exists()


def test_accident_losses_qualify(cast):
    file = make_file(cast, members=household(income="6000"), main_cause="accident", losses="60000")
    assert file.category == "accident"


def test_migrant_needs_a_year_in_the_city(cast):
    with pytest.raises(ValidationError, match="满 1 年"):
        make_file(cast, is_migrant=True, city_work_since=timezone.localdate() - dt.timedelta(days=200))
    file = make_file(cast, is_migrant=True, city_work_since=timezone.localdate() - dt.timedelta(days=400))
    assert file.is_migrant


def test_allowance_inheritance_county_city_province(cast):
    allowances()
    xuanwu, nanjing = Region.objects.get(code="320102"), Region.objects.get(code="3201")
    assert services.allowance_for(xuanwu, YEAR) == Decimal("1100")  # its own
    assert services.allowance_for(nanjing, YEAR) == Decimal("900")  # the province's
    with pytest.raises(ValidationError, match="尚未设置 2020 年"):
        services.allowance_for(xuanwu, 2020)
    services.allowance_set(actor=cast.users.province_admin, org=cast.orgs.zhejiang,
                           region=Region.objects.get(code="3301"), year=YEAR, monthly=Decimal("1200"))  # fmt: skip
    assert services.allowance_for(Region.objects.get(code="330106"), YEAR) == Decimal("1200")  # the city's
    with pytest.raises(ValidationError, match="本工会所在地区"):
        services.allowance_set(actor=cast.users.province_admin, org=cast.orgs.zhejiang, region=xuanwu, year=YEAR,
                               monthly=Decimal("1"))  # fmt: skip


def test_review_chain_with_notice_and_objection(cast):
    file = make_file(cast)
    # The grassroots union may not review its own submission; the upper level may.
    with pytest.raises(PermissionDenied):
        services.file_step(actor=cast.users.grassroots_admin, file=file, to=kinds.NOTICING, version=1)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.file_step(actor=cast.users.province_admin, file=file, to=kinds.RETURNED, version=1)
    file = services.file_step(actor=cast.users.province_admin, file=file, to=kinds.NOTICING, version=1)
    notice = file.case.notices.get()
    assert notice.decision == "拟认定为深度困难职工，建立困难职工档案" and notice.person_name == "张伟"
    assert (notice.closes_on - notice.opens_on).days >= 5  # 5 working days
    with pytest.raises(ValidationError, match="公示期满后"):
        services.file_step(actor=cast.users.province_admin, file=file, to=kinds.APPROVED, version=2)
    objection = objection_submit(actor=cast.users.worker, notice=notice, text="其配偶有经营收入", name="王五",
                                 phone="13611112222")  # fmt: skip
    PublicNotice.objects.filter(pk=notice.pk).update(closes_on=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(ValidationError, match="异议尚未全部答复"):
        services.file_step(actor=cast.users.province_admin, file=file, to=kinds.APPROVED, version=2)
    objection_answer(actor=cast.users.province_admin, objection=objection, answer="经核实，无经营收入。")
    file = services.file_step(actor=cast.users.province_admin, file=file, to=kinds.APPROVED, version=2)
    assert file.status == "approved" and file.next_review_on > timezone.localdate()
    steps = list(file.case.steps.values_list("to_status", flat=True))
    assert steps == ["submitted", "noticing", "approved"]


def test_notice_days_per_province(cast, settings):
    settings.GONGHUI_ASSISTANCE = {"notice_days_by_province": {"33": 7}}
    file = services.file_step(actor=cast.users.province_admin, file=make_file(cast), to=kinds.NOTICING, version=1)
    notice = file.case.notices.get()
    assert (notice.closes_on - notice.opens_on).days >= 7


def test_exit_and_reentry(cast):
    file = approved(cast)
    with pytest.raises(ValidationError, match="须填写理由"):
        services.file_step(actor=cast.users.grassroots_admin, file=file, to=kinds.EXITED, version=3)
    file = services.file_step(actor=cast.users.grassroots_admin, file=file, to=kinds.EXITED, version=3,
                              note="配偶病愈就业，家庭收入超过标准", on=dt.date(2026, 6, 30))  # fmt: skip
    assert (file.status, file.exited_on, file.next_review_on) == ("exited", dt.date(2026, 6, 30), None)
    assert selectors.open_count(cast.users.national_admin) == 0
    file = services.file_step(actor=cast.users.grassroots_admin, file=file, to=kinds.SUBMITTED, version=4,
                              note="配偶病情复发")  # fmt: skip
    assert (file.status, file.exited_on, file.exit_reason) == ("submitted", None, "")


def _pay(cast, file, **extra):
    fields = {"kind": "living", "period": "2026", "amount": "2000", "fund_source": "省总工会帮扶专项资金",
              "paid_on": dt.date(2026, 3, 1), "received_by": "张伟"} | extra  # fmt: skip
    return services.aid_pay(actor=cast.users.grassroots_admin, file=file, **fields)


def test_aid_once_per_household_and_period(cast):
    file = approved(cast)
    _pay(cast, file)
    with pytest.raises(ValidationError, match="不能重复发放"):
        _pay(cast, file, amount="100")
    child = file.household.get(id_number_bidx=HouseholdMember.objects.get(name="张小明").id_number_bidx)
    _pay(cast, file, kind="school", period="2026秋", child=child, amount="1500")
    with pytest.raises(ValidationError, match="不能重复发放"):
        _pay(cast, file, kind="school", period="2026秋", child=child, amount="1500")
    _pay(cast, file, kind="school", period="2027春", child=child, amount="1500")
    assert AidPayment.objects.count() == 3


def test_the_constraint_itself_refuses_a_second_row(cast):
    payment = _pay(cast, approved(cast))
    payment.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        payment.save()


def test_aid_rules(cast):
    file = make_file(cast)
    with pytest.raises(ValidationError, match="已建档"):
        _pay(cast, file)
    file = approved(cast, person=cast.members.li.person, members=household(
        "330106199208150026"))  # fmt: skip
    with pytest.raises(ValidationError, match="每户每年不超过 3000"):
        _pay(cast, file, kind="winter", amount="3000.01")
    with pytest.raises(ValidationError, match="子女"):
        _pay(cast, file, kind="school", period="2026秋")
    with pytest.raises(Http404):
        services.aid_pay(actor=cast.users.sibling_admin, file=file, kind="living", period="2026", amount="1",
                         fund_source="x", paid_on=dt.date(2026, 1, 1), received_by="x")  # fmt: skip


def test_yearly_review_generation(cast):
    file = approved(cast)
    today = file.next_review_on
    assert services.reviews_open(today=today - dt.timedelta(days=1)) == 0
    assert services.reviews_open(today=today) == 1
    assert services.reviews_open(today=today) == 0  # safe to run twice
    review = HardshipReview.objects.get()
    assert review.case.kind == kinds.REVIEW and review.case.deadline == timezone.localdate() + dt.timedelta(days=30)
    services.review_decide(actor=cast.users.grassroots_admin, review=review, keep=False, version=1,
                           note="已实现稳定就业")  # fmt: skip
    file.refresh_from_db()
    assert (file.status, file.exit_reason) == ("exited", "已实现稳定就业")


def test_kept_review_sets_the_next(cast):
    file = approved(cast)
    services.reviews_open(today=file.next_review_on)
    review = HardshipReview.objects.get()
    services.review_decide(actor=cast.users.grassroots_admin, review=review, keep=True, version=1)
    file.refresh_from_db()
    assert file.status == "approved" and file.next_review_on == timezone.localdate() + dt.timedelta(days=365)


def test_duplicate_household_across_provinces(cast):
    zhejiang = make_file(cast)
    # 王芳 in Jiangsu lists 张伟's child (same ID number) in her household.
    members = [{"relation": "self", "name": "王芳", "id_number": WANG_FANG_ID, "monthly_income": "500"},
               {"relation": "child", "name": "张小明", "id_number": CHILD_ID, "monthly_income": "0"}]  # fmt: skip
    jiangsu = make_file(cast, actor=cast.users.sibling_admin, org=cast.orgs.logistics,
                        person=cast.members.wang.person, members=members, region="320102")  # fmt: skip
    assert selectors.elsewhere(zhejiang) and selectors.elsewhere(jiangsu)
    # Neither union can open the other's file.
    with pytest.raises(Http404):
        selectors.file_for_read(cast.users.sibling_admin, zhejiang.pk)
    alone = make_file(cast, person=cast.members.li.person, members=household("330106199208150026")[:1])
    assert not selectors.elsewhere(alone)


def test_scope(cast):
    file = make_file(cast)
    assert list(selectors.files_visible_to(cast.users.province_admin)) == [file]
    assert not selectors.files_visible_to(cast.users.sibling_admin).exists()
    assert selectors.open_count(cast.users.province_admin) == 0
    approved_file = approved(cast, person=cast.members.li.person, members=household("330106199208150026"))
    assert selectors.open_count(cast.users.province_admin) == 1 and approved_file.status == "approved"
    assert selectors.open_count(cast.users.sibling_admin) == 0


def test_retention_erases_health_income_and_account_years_after_the_exit(cast):
    file = approved(cast)
    _pay(cast, file)
    file = services.file_step(actor=cast.users.grassroots_admin, file=file, to=kinds.EXITED, version=3,
                              note="已就业", on=dt.date(2020, 1, 31))  # fmt: skip
    kept = make_file(cast, person=cast.members.li.person, members=household("330106199208150026"))
    cutoff = timezone.make_aware(dt.datetime(2021, 1, 1))
    assert services.exited_files_erase(cutoff=cutoff, batch_size=1) == 1
    assert services.exited_files_erase(cutoff=cutoff, batch_size=1) == 0
    file.refresh_from_db()
    assert (file.bank_account_enc, file.erased_on, file.incomes.count()) == ("", timezone.localdate(), 0)
    assert not file.household.exclude(health_enc="").exists() and file.payments.count() == 1
    assert kept.household.exclude(health_enc="").exists()


def test_worker_applies_from_the_phone_once_at_a_time(cast):
    case = services.request_submit(actor=cast.users.worker)
    assert (case.kind, case.org, case.status, case.opened_by) == (kinds.REQUEST, cast.orgs.company, "pending",
                                                                  cast.users.worker)  # fmt: skip
    with pytest.raises(ValidationError, match="正在办理"):
        services.request_submit(actor=cast.users.worker)
    with pytest.raises(ValidationError, match="关联会籍"):
        services.request_submit(actor=cast.users.grassroots_admin)
    assert [label for _, label in selectors.own_requests(cast.users.worker)] == ["待工会联系"]
