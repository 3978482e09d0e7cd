"""劳动关系风险评分: known inputs give known scores with their reasons; the score never falls when a signal
rises; the weights an admin sets change the scores on the overview."""

from decimal import Decimal

from django.urls import reverse
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from gonghui.core.models import AuditEvent
from gonghui.governance.models import FigureMonth, RiskWeight
from gonghui.governance.risk import SIGNALS, score, weight_defaults
from gonghui.governance.targets import month_of
from gonghui.governance.tests.conftest import rolled

WEIGHTS = {key: default for key, (_, default) in SIGNALS.items()}
ALL = {key: str(default) for key, (_, default) in weight_defaults().items()}
counts = st.integers(min_value=0, max_value=10**6).map(Decimal)


def test_known_inputs_give_the_score_and_its_reasons():
    risk = score({"cases_overdue": Decimal(2), "hardship_open": Decimal(10), "finance_arrears": Decimal(3000)},
                 1000, WEIGHTS)  # fmt: skip
    # 2 overdue per 1,000 members × 3 = 6; 10 hardship per 1,000 × 1 = 10; 3 yuan per member × 0.5 = 1.5
    assert risk.score == Decimal("17.5")
    assert [(r.label, r.rate, r.points) for r in risk.reasons] == [
        ("在档困难职工", Decimal("10.00"), Decimal("10.0")), ("超期未办结事项", Decimal("2.00"), Decimal("6.0")),
        ("欠缴工会经费", Decimal("3.00"), Decimal("1.5"))]  # fmt: skip
    assert score({}, 1000, WEIGHTS).score == 0 and score({}, 1000, WEIGHTS).reasons == []


@settings(max_examples=50, deadline=None)
@given(values=st.fixed_dictionaries(dict.fromkeys(SIGNALS, counts)), more=counts, key=st.sampled_from(list(SIGNALS)),
       members=st.integers(min_value=0, max_value=10**7))  # fmt: skip
def test_the_score_never_falls_when_a_signal_rises(values, more, key, members):
    before = score(values, members, WEIGHTS)
    after = score(values | {key: values[key] + more}, members, WEIGHTS)
    assert after.score >= before.score >= 0
    assert before.score == sum(r.points for r in before.reasons)


def test_the_weights_an_admin_sets_change_the_scores(client, cast):
    rolled(cast)
    month = month_of(timezone.localdate())
    FigureMonth.objects.create(org=cast.orgs.hangzhou, key="hardship_open", month=month, value=1,
                               computed_at=timezone.now())  # fmt: skip
    client.force_login(cast.users.province_admin)
    body = client.get(reverse("governance:home")).content.decode()
    assert "劳动关系风险（下级）" in body and "在档困难职工 500.00（500.0 分）" in body  # 1 of 2 members
    body = client.get(reverse("governance:org", args=[cast.orgs.xihu.pk])).content.decode()
    assert "下级暂无风险信号" in body
    response = client.post(reverse("governance:risk_weights"), ALL | {"cases_overdue": "5"})
    assert response.status_code == 404 and not RiskWeight.objects.exists()
    client.force_login(cast.users.national_admin)
    response = client.post(reverse("governance:risk_weights"), ALL | {"cases_overdue": "-1"})
    assert response.status_code == 400 and not RiskWeight.objects.exists()
    response = client.post(reverse("governance:risk_weights"), ALL | {"cases_overdue": "5", "hardship_open": "2"})
    assert response.status_code == 302 and RiskWeight.objects.get(key="hardship_open").weight == 2
    assert AuditEvent.objects.filter(action="governance.risk_weights_set").count() == 1
    assert 'value="2.00"' in client.get(reverse("governance:risk_weights")).content.decode()
    body = client.get(reverse("governance:org", args=[cast.orgs.zhejiang.pk])).content.decode()
    assert "在档困难职工 500.00（1000.0 分）" in body
