"""Studio alliances across employers and a studio's yearly evaluation, as a cadre types them; the grade by the
policy's thresholds as a property test."""

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from hypothesis import given
from hypothesis import strategies as st

from gonghui.workforce import services
from gonghui.workforce.grading import grade_of
from gonghui.workforce.models import StudioAlliance, StudioEvaluation

SCORES = st.decimals(min_value=0, max_value=100, places=2)


@given(SCORES, SCORES, st.integers(0, 100), st.integers(0, 100))
def test_a_higher_score_never_gets_a_lower_grade(a, b, x, y):
    passing, excellent = sorted((x, y))
    order = {"fail": 0, "pass": 1, "excellent": 2}
    low, high = sorted((a, b))
    assert order[grade_of(low, excellent=excellent, passing=passing)] <= order[
        grade_of(high, excellent=excellent, passing=passing)]  # fmt: skip
    assert (grade_of(high, excellent=excellent, passing=passing) == "excellent") == (high >= excellent)
    assert (grade_of(low, excellent=excellent, passing=passing) == "fail") == (low < passing)


def test_thresholds_out_of_order_are_refused():
    with pytest.raises(ValueError, match="分数线"):
        grade_of(Decimal(50), excellent=60, passing=90)


def studio(cast, name, org=None, employer="杭州示例科技有限公司"):
    return services.studio_create(actor=None, org=org or cast.orgs.zhejiang, name=name, level="city",
                                  leader_name="李娜", field="数控加工", host_employer=employer,
                                  named_year=2024)  # fmt: skip


def test_a_cadre_forms_an_alliance_across_employers(client, cast):
    a = studio(cast, "李娜数控创新工作室")
    b = studio(cast, "张伟电工创新工作室", org=cast.orgs.hangzhou, employer="杭州电力公司")
    jiangsu = studio(cast, "南京物流创新工作室", org=cast.orgs.jiangsu, employer="南京示例物流有限公司")
    client.force_login(cast.users.province_admin)
    assert reverse("workforce:alliances") in client.get(reverse("workforce:studios")).content.decode()
    new = reverse("workforce:alliance_new")
    form = {"org": cast.orgs.zhejiang.pk, "name": "浙江数控与电工创新联盟", "field": "智能制造", "formed_year": 2025,
            "lead": a.pk}  # fmt: skip
    alone = client.post(new, form | {"members": [a.pk]})
    assert alone.status_code == 400 and "至少由两个工作室组成" in alone.content.decode()
    outside = client.post(new, form | {"members": [a.pk, jiangsu.pk]})  # not offered to a Zhejiang cadre
    assert outside.status_code == 400 and not StudioAlliance.objects.exists()
    assert client.post(new, form | {"members": [b.pk]}).status_code == 302
    alliance = StudioAlliance.objects.get()
    assert alliance.lead == a and set(alliance.studios.all()) == {a, b}
    page = client.get(reverse("workforce:alliances")).content.decode()
    assert "浙江数控与电工创新联盟" in page and "杭州电力公司" in page
    client.force_login(cast.users.sibling_admin)
    assert "浙江数控与电工创新联盟" not in client.get(reverse("workforce:alliances")).content.decode()
    # the service refuses a studio named outside the forming union's subtree (whoever calls it)
    with pytest.raises(ValidationError, match="不在杭州市总工会"):
        services.alliance_create(actor=None, org=cast.orgs.hangzhou, name="联盟", field="制造", formed_year=2025,
                                 lead=b, members=[a])  # fmt: skip


def test_a_yearly_evaluation_is_graded_once_a_year(client, cast):
    row = studio(cast, "李娜数控创新工作室")
    client.force_login(cast.users.province_admin)
    url = reverse("workforce:studio_evaluate", args=[row.pk])
    today = timezone.localdate()
    form = {"year": today.year - 1, "score": "95", "evaluator": "浙江省总工会考核组", "evaluated_on": today}
    client.post(url, form)
    again = client.post(url, form | {"score": "50"}, follow=True).content.decode()
    assert "年度的考核已经登记" in again
    client.post(url, form | {"year": today.year - 2, "score": "59.99", "evaluated_on": today})
    assert dict(StudioEvaluation.objects.values_list("year", "grade")) == {today.year - 1: "excellent",
                                                                           today.year - 2: "fail"}  # fmt: skip
    page = client.get(reverse("workforce:studio_edit", args=[row.pk])).content.decode()
    assert 'data-grade="excellent"' in page and "不合格" in page
    client.force_login(cast.users.readonly)
    assert client.post(url, form | {"year": today.year - 3}).status_code == 403
    assert StudioEvaluation.objects.count() == 2
