"""Hardship files through the services: consent first, the computed category, the review chain with 公示 and
an objection, exit and re-entry, aid payments (never twice), yearly reviews, duplicates across provinces."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.assistance import cases as kinds
from gonghui.assistance import selectors, services
from gonghui.assistance.models import AidPayment, HardshipFile, HardshipReview, HouseholdMember, MinimumAllowance
from gonghui.assistance.tests.conftest import CHILD_ID, SPOUSE_ID, WANG_FANG_ID, YEAR, allowances, household, make_file
from gonghui.cases.models import PublicNotice
from gonghui.cases.services import objection_answer, objection_submit
from gonghui.core import crypto
from gonghui.core.errors import ConflictError
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
    with pytest.raises(ValidationError, match="本地区及其下级地区"):
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


SPOUSE = {"relation": "spouse", "name": "刘梅", "id_number": SPOUSE_ID, "monthly_income": "500", "health": "尿毒症"}


def apply(cast, actor=None, **extra):
    allowances()
    fields = {"consent": True, "region": Region.objects.get(code="330106"), "main_cause": "illness",
              "own": {"monthly_income": "1500", "work": "操作工"}, "household": [SPOUSE]} | extra  # fmt: skip
    return services.file_apply(actor=actor or cast.users.worker, **fields)


def test_worker_applies_with_the_household_and_follows_it(cast):
    with pytest.raises(ValidationError, match="单独同意"):
        apply(cast, consent=False)
    assert not HardshipFile.objects.exists() and not ConsentRecord.objects.exists()
    file = apply(cast, expenses={"medical": "6000"})
    # (12 × (1500 + 500) − 6000) ÷ 12 ÷ 2 = 750.00 < 1000: 深度困难, at the worker's union, to be reviewed above.
    assert services.file_means(file).per_capita_monthly == Decimal("750.00") and file.category == "deep"
    assert (file.org, file.status, file.case.opened_by, file.year) == (
        cast.orgs.company,
        kinds.SUBMITTED,
        cast.users.worker,
        timezone.localdate().year,
    )
    me = file.household.get(relation="self")
    assert (me.name, me.id_number_bidx) == ("张伟", cast.members.zhang.person.id_number_bidx)
    assert crypto.decrypt(file.household.get(relation="spouse").health_enc) == "尿毒症"
    assert ConsentRecord.objects.filter(person=cast.members.zhang.person, category="hardship").exists()
    assert AuditEvent.objects.filter(action="assistance.file_apply", actor=cast.users.worker).exists()
    [row] = selectors.own_files_status(cast.users.worker)
    assert row["label"] == "待上级审核" and len(row["missing"]) == len(kinds.DOCUMENTS)
    with pytest.raises(ValidationError, match="正在办理"):
        apply(cast)
    with pytest.raises(ValidationError, match="关联会籍"):
        apply(cast, actor=cast.users.grassroots_admin)
    # It goes up the chain like any file: the upper level returns it with a reason the worker reads.
    services.file_step(actor=cast.users.province_admin, file=file, to=kinds.RETURNED, version=1, note="请补充诊断证明")
    [row] = selectors.own_files_status(cast.users.worker)
    assert (row["label"], row["note"]) == ("已退回补充", "请补充诊断证明")


def test_worker_application_that_does_not_qualify_is_refused_with_the_rule(cast):
    with pytest.raises(ValidationError, match="不符合建档条件：人均月收入"):
        apply(cast, own={"monthly_income": "9000"})
    assert not HardshipFile.objects.exists()
    with pytest.raises(ValidationError, match="应有且只有一位"):
        apply(cast, household=[SPOUSE | {"relation": "self"}])


def _rows(file, **changes) -> list[dict]:
    """The saved household as the edit form sends it (ID numbers left blank: kept), with ``changes`` by relation."""
    rows = []
    for m in file.household.order_by("pk"):
        if changes.get(m.relation) is False:
            continue
        rows.append({"pk": m.pk, "relation": m.relation, "name": m.name, "id_number": "", "schooling": m.schooling,
                     "monthly_income": crypto.decrypt(m.monthly_income_enc)} | changes.get(m.relation, {}))  # fmt: skip
    return rows


def update(cast, file, version, household, **extra):
    fields = {"region": Region.objects.get(code="330106"), "year": YEAR, "main_cause": "illness"} | extra
    return services.file_update(actor=cast.users.grassroots_admin, file=file, version=version, household=household,
                                **fields)  # fmt: skip


def test_edit_replaces_the_household_recomputes_and_is_audited(cast):
    file = make_file(cast)  # 333.33: 深度困难
    spouse = file.household.get(relation="spouse")
    changes = {"self": {"monthly_income": "2000"}, "spouse": {"monthly_income": "1000", "health": "好转"}}
    rows = _rows(file, **changes, child=False)
    updated = update(cast, file, 1, rows, expenses={"medical": "12000"}, long_term=True)
    # (12 × 3000 − 12000) ÷ 12 ÷ 2 = 1000.00, exactly 低保: 相对困难.
    assert (updated.category, updated.version, updated.long_term) == ("relative", 2, True)
    assert services.file_means(updated).per_capita_monthly == Decimal("1000.00")
    assert updated.household.count() == 2 and not updated.household.filter(relation="child").exists()
    kept = updated.household.get(pk=spouse.pk)
    assert kept.id_number_bidx == spouse.id_number_bidx and crypto.decrypt(kept.health_enc) == "好转"
    assert updated.bank_account_masked == ""  # the account left blank is removed
    event = AuditEvent.objects.get(action="assistance.file_update")
    assert event.detail == {"version": 2, "category": "relative", "before": "deep"}
    # Someone who read version 1 saves after: refused, nothing of theirs written.
    with pytest.raises(ConflictError, match="已被他人修改"):
        update(cast, file, 1, _rows(updated, self={"monthly_income": "0"}))
    # A household that no longer qualifies is refused with the rule; the saved file stays as it was.
    with pytest.raises(ValidationError, match="不符合建档条件"):
        update(cast, updated, 2, _rows(updated, self={"monthly_income": "9000"}))
    updated.refresh_from_db()
    assert (updated.version, updated.category, updated.household.count()) == (2, "relative", 2)


def test_edit_adds_a_member_checks_ids_and_not_in_notice(cast):
    file = make_file(cast)
    new = {"relation": "parent", "name": "张父", "id_number": WANG_FANG_ID, "monthly_income": "0"}
    updated = update(cast, file, 1, [*_rows(file), new])
    assert updated.household.count() == 4 and updated.version == 2
    with pytest.raises(ValidationError, match="身份证号码重复"):
        update(cast, updated, 2, [*_rows(updated), new | {"relation": "other"}])
    with pytest.raises(ValidationError):
        update(cast, updated, 2, [*_rows(updated), new | {"id_number": "123"}])
    with pytest.raises(PermissionDenied):
        services.file_update(actor=cast.users.readonly, file=updated, version=2, household=_rows(updated),
                             region=Region.objects.get(code="330106"), year=YEAR, main_cause="illness")  # fmt: skip
    services.file_step(actor=cast.users.province_admin, file=updated, to=kinds.NOTICING, version=1)
    with pytest.raises(ValidationError, match="公示中"):
        update(cast, updated, 2, _rows(updated))


def test_edit_keeps_a_child_already_paid_school_aid(cast):
    file = approved(cast)
    child = file.household.get(relation="child")
    services.aid_pay(actor=cast.users.grassroots_admin, file=file, kind="school", period=f"{YEAR}秋",
                     amount="500", fund_source="金秋助学资金", paid_on=dt.date(YEAR, 9, 1), received_by="张伟",
                     child=child)  # fmt: skip
    with pytest.raises(ValidationError, match="金秋助学的子女不能"):
        update(cast, file, 1, _rows(file, child=False))
    assert update(cast, file, 1, _rows(file)).household.count() == 3  # approved files are edited too
    # Exited, the file is closed to edits; re-entered (重新申请), circumstances are entered anew.
    file = services.file_step(actor=cast.users.grassroots_admin, file=file, to=kinds.EXITED, version=3, note="已就业")
    with pytest.raises(ValidationError, match="已解困脱困"):
        update(cast, file, 2, _rows(file))
    file = services.file_step(actor=cast.users.grassroots_admin, file=file, to=kinds.SUBMITTED, version=4,
                              note="配偶病情复发")  # fmt: skip
    again = update(cast, file, 2, _rows(file, self={"monthly_income": "100"}))
    assert (again.status, again.version, services.file_means(again).per_capita_monthly) == (
        "submitted",
        3,
        Decimal("33.33"),
    )


def test_allowance_table_shows_own_and_inherited_figures(cast):
    allowances()
    nanjing, xuanwu = Region.objects.get(code="3201"), Region.objects.get(code="320102")
    head, rows = selectors.allowance_table(nanjing, YEAR)
    assert (head.own, head.applies, head.source.code) == (None, Decimal("900"), "32")
    by_code = {r.region.code: r for r in rows}
    assert (by_code["320102"].own, by_code["320102"].source) == (Decimal("1100"), xuanwu)
    assert (by_code["320104"].own, by_code["320104"].applies, by_code["320104"].source.code) == (None, 900, "32")
    assert all(r.region.level <= Region.Level.COUNTY for r in rows)
    _, provinces = selectors.allowance_table(None, YEAR)
    assert {r.region.code: r.own for r in provinces if r.own} == {"33": 1000, "32": 900}
    assert [a.year for a in selectors.allowance_history(xuanwu)] == [YEAR, YEAR]  # 玄武区's and 江苏's
    services.allowance_set(actor=cast.users.national_admin, org=cast.orgs.national, region=xuanwu, year=YEAR - 1,
                           monthly="1050")  # fmt: skip
    assert [(a.region_id, a.year) for a in selectors.allowance_history(xuanwu)] == [
        ("32", YEAR),
        ("320102", YEAR),
        ("320102", YEAR - 1),
    ]
    with pytest.raises(ValidationError, match="地方总工会"):  # a grassroots union's admin does not set 低保
        services.allowance_set(actor=cast.users.grassroots_admin, org=cast.orgs.company,
                               region=Region.objects.get(code="330106"), year=YEAR, monthly="1")  # fmt: skip


FIGURE = st.decimals(min_value=Decimal("1"), max_value=Decimal("5000"), places=2)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(figures=st.dictionaries(st.sampled_from(["32", "3201", "320102", "320104"]), FIGURE))
def test_allowance_page_agrees_with_the_means_test_lookup(db, figures):
    """Whatever figures are set on the chain, the page shows for every region the figure the means test uses
    (and no figure where the means test would refuse)."""
    with transaction.atomic():
        for code, monthly in figures.items():
            MinimumAllowance.objects.create(region_id=code, year=YEAR, monthly=monthly)
        nanjing = Region.objects.get(code="3201")
        head, rows = selectors.allowance_table(nanjing, YEAR)
        for row in [head, *rows]:
            try:
                expected = services.allowance_for(row.region, YEAR)
            except ValidationError:
                expected = None
            assert row.applies == expected, row.region.code
            assert (row.own is not None) == (row.region.code in figures)
        transaction.set_rollback(True)
