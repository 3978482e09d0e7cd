"""劳动关系风险预警: an employer's score from its own signals, a region's from its rollup; a score at the admin's
threshold raises one case at the responsible union with the reasons, not again while it is open, closed with a
note, raised again only when the risk grows; the alerts page within scope."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from gonghui.cases.models import Case
from gonghui.cases.services import case_transition
from gonghui.dues.models import DuesOrgMonth
from gonghui.governance import services
from gonghui.governance.models import FigureMonth, RiskAlert
from gonghui.governance.risk import EMPLOYER_SIGNALS, employer_score, weight_defaults
from gonghui.governance.targets import month_of
from gonghui.governance.tests.conftest import company_dues_arrears, rolled
from gonghui.members.models import Employer
from gonghui.messages.models import Message


def today():
    """Asked when the test runs (a module constant goes stale when a run crosses midnight)."""
    return timezone.localdate()


WEIGHTS = {f"employer_{key}": default for key, (_, default) in EMPLOYER_SIGNALS.items()}


def test_an_employers_score_from_known_inputs():
    risk = employer_score({"requests": Decimal(4), "group_requests": Decimal(1), "funds_arrears": Decimal(2500)},
                          WEIGHTS)  # fmt: skip
    # 4 requests × 1 + 1 group request × 5 + 2.5 thousand yuan × 1
    assert risk.score == Decimal("11.5")
    assert [(r.label, r.points) for r in risk.reasons] == [
        ("群体诉求", Decimal("5.0")), ("近 12 个月职工诉求", Decimal("4.0")),
        ("欠缴工会经费（每千元）", Decimal("2.5"))]  # fmt: skip


def test_an_alert_is_raised_once_closed_with_a_note_and_raised_again_when_the_risk_grows(cast):
    company_dues_arrears(cast)  # 25 points ≥ the default threshold 20
    assert services.risk_alerts_raise(today=today()) == 1
    assert services.risk_alerts_raise(today=today()) == 0  # not twice while it is open
    alert = RiskAlert.objects.get()
    assert alert.org == cast.orgs.company and alert.score == Decimal("25.0")
    assert alert.reasons[0][0].startswith("欠缴会费")
    case = Case.objects.get(pk=alert.case_id)
    assert case.kind == "risk_alert" and case.org == cast.orgs.company
    assert case.subject == "劳动关系风险预警：杭州示例科技有限公司"
    assert "风险分 25.0（阈值 20）：欠缴会费（每千元） 25.00（25.0 分）" in case.steps.get().note
    assert Message.objects.filter(user=cast.users.grassroots_admin, event="governance.risk_alert").exists()
    with pytest.raises(ValidationError, match="须填写理由"):
        case_transition(actor=cast.users.grassroots_admin, case=case, to="closed", version=case.version)
    case_transition(actor=cast.users.grassroots_admin, case=case, to="closed", version=case.version,
                    note="已约谈企业负责人，补缴计划已签订。")  # fmt: skip
    alert.refresh_from_db()
    assert alert.closed_at is not None and alert.status == "closed"
    assert services.risk_alerts_raise(today=today()) == 0  # the same risk, already handled
    company_dues_arrears(cast, owed="30000")
    assert services.risk_alerts_raise(today=today()) == 1 and RiskAlert.objects.filter(closed_at=None).count() == 1


def test_a_region_over_the_threshold_and_an_employer_without_a_union(cast):
    rolled(cast)
    FigureMonth.objects.create(org=cast.orgs.xihu, key="rights_overdue", month=month_of(today()), value=1,
                               computed_at=timezone.now())  # fmt: skip
    lone = Employer.objects.create(name="西湖示例物流有限公司", region_id="330106")
    assert services.responsible_union(lone) == cast.orgs.xihu  # no union of its own: the county's
    assert services.risk_alerts_raise(today=today()) == 1
    alert = RiskAlert.objects.get()
    assert alert.subject == "region" and alert.org == cast.orgs.xihu and alert.reasons[0][0] == "超期未答复诉求"
    assert alert.score == Decimal("1500.0")  # 1 per 2 members = 500 per 1,000 × 3


def test_the_alerts_page_and_the_thresholds(client, cast):
    company_dues_arrears(cast)
    services.risk_alerts_raise(today=today())
    client.force_login(cast.users.province_admin)
    body = client.get(reverse("governance:risk_alerts")).content.decode()
    assert "杭州示例科技有限公司" in body and "欠缴会费（每千元） 25.00（25.0 分）" in body and "待核查" in body
    client.force_login(cast.users.sibling_admin)
    assert "暂无风险预警" in client.get(reverse("governance:risk_alerts")).content.decode()
    RiskAlert.objects.all().delete()
    Case.objects.all().delete()
    client.force_login(cast.users.national_admin)
    form = {key: str(default) for key, (_, default) in weight_defaults().items()} | {"threshold_employer": "0"}
    response = client.post(reverse("governance:risk_weights"), form)
    assert response.status_code == 400 and "预警阈值应大于 0" in response.content.decode()
    form["threshold_employer"] = "30"
    assert client.post(reverse("governance:risk_weights"), form).status_code == 302
    assert services.risk_alerts_raise(today=today()) == 0  # 25 points no longer reach it


def test_employer_scores_on_the_overview_and_their_list_within_scope(client, cast):
    from gonghui.governance.models import EmployerScore

    company_dues_arrears(cast)
    services.risk_alerts_raise(today=today())
    kept = EmployerScore.objects.get()
    assert (kept.employer_id, kept.org, kept.score) == (cast.orgs.company.employer_id, cast.orgs.company, Decimal(25))
    assert "欠缴会费" in kept.reasons
    employer = Employer.objects.get(pk=kept.employer_id)
    client.force_login(cast.users.province_admin)
    body = client.get(reverse("governance:org", args=[rolled(cast).orgs.zhejiang.pk])).content.decode()
    assert "用人单位劳动关系风险" in body and employer.name in body
    listing = reverse("governance:employer_scores", args=[cast.orgs.zhejiang.pk])
    assert listing in body
    body = client.get(listing).content.decode()
    assert employer.name in body and "25.0" in body and cast.orgs.company.name in body
    client.force_login(cast.users.sibling_admin)  # 江苏: neither the list of 浙江 nor the employer in its own
    assert client.get(listing).status_code == 404
    assert employer.name not in client.get(reverse("governance:home")).content.decode()
    DuesOrgMonth.objects.all().delete()
    services.risk_alerts_raise(today=today())  # the next run replaces the scores: nothing owed, nothing kept
    assert not EmployerScore.objects.exists()
