"""活动统计 for any subtree: events, places, distinct participants, check-ins and the average satisfaction, per
union below; the rows add up to the totals; the scope applies; the export is the list's; the overview figures."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gonghui.accounts.services import user_create
from gonghui.activities import selectors, services
from gonghui.activities.models import Activity
from gonghui.activities.tests.conftest import make_activity
from gonghui.core.exports import export_start
from gonghui.core.lists import cadre_list, export_rows

pytestmark = pytest.mark.django_db
NOW = timezone.make_aware(dt.datetime(2026, 7, 15, 9, 0))


def attended_event(cast, org, people, ratings):
    """An event of ``org`` on NOW that ``people`` signed up for and attended, rated as ``ratings`` (None: not)."""
    event = make_activity(cast, org=org, capacity=10, starts_at=NOW, ends_at=NOW + dt.timedelta(hours=2),
                          signup_deadline=NOW - dt.timedelta(hours=1))  # fmt: skip
    token = services.checkin_token(event)
    for person, rating in zip(people, ratings, strict=True):
        row = services.signup_create(actor=person, activity=event, now=NOW - dt.timedelta(days=1))
        services.activity_checkin(actor=person, token=token, now=NOW)
        if rating:
            services.feedback_submit(actor=person, signup=row, rating=rating, now=NOW + dt.timedelta(hours=3))
    return event


@pytest.fixture
def events(cast):
    li = user_create(actor=None, username="lina", password="Gonghui-test-2021", person=cast.members.li.person,
                     check_password=False)  # fmt: skip
    wang = user_create(actor=None, username="wangfang", password="Gonghui-test-2021", person=cast.members.wang.person,
                       check_password=False)  # fmt: skip
    zhang = cast.users.worker
    attended_event(cast, cast.orgs.company, [zhang, li], [5, 4])
    attended_event(cast, cast.orgs.company, [zhang], [2])  # 张伟 twice: one participant
    attended_event(cast, cast.orgs.xihu, [zhang, li], [None, 3])  # the district's own event
    make_activity(cast, org=cast.orgs.hangzhou)  # no one yet
    attended_event(cast, cast.orgs.logistics, [wang], [1])  # Jiangsu
    return zhang, li, wang


def test_totals_and_rows_per_union(cast, events):
    user = cast.users.province_admin
    totals = selectors.report_totals(user)
    # 浙江: 4 events, 5 places, 张伟 and 李娜, 5 check-ins, 4 ratings 5+4+2+3 = 14 → 3.5
    assert (totals.events, totals.signed_up, totals.participants, totals.checkins, totals.rated) == (4, 5, 2, 5, 4)
    assert totals.satisfaction == Decimal("3.5")
    rows = {o.name: o for o in selectors.report_orgs(user, cast.orgs.hangzhou)}
    assert list(rows) == ["杭州市总工会", "杭州市西湖区总工会"]  # 本级 first, then each child's subtree
    own, xihu = rows["杭州市总工会"], rows["杭州市西湖区总工会"]
    assert own.own_row and (own.events, own.checkins, own.participants) == (1, 0, 0)
    assert (xihu.events, xihu.signed_up, xihu.participants, xihu.checkins, xihu.rated, xihu.points) == (
        3,
        5,
        2,
        5,
        4,
        14,
    )
    assert selectors.row_satisfaction(xihu) == Decimal("3.5") and selectors.row_satisfaction(own) is None
    under = selectors.report_totals(user, cast.orgs.hangzhou)
    assert under.events == own.events + xihu.events and under.checkins == own.checkins + xihu.checkins
    company = selectors.report_totals(user, cast.orgs.company)
    assert (company.events, company.participants, company.satisfaction) == (2, 2, Decimal("3.7"))  # 11 / 3
    assert selectors.report_totals(user, year=2025).events == 0
    national = selectors.report_totals(cast.users.national_admin)
    assert (national.events, national.participants, national.satisfaction) == (5, 3, Decimal("3.0"))  # 15 / 5
    roots = list(selectors.report_orgs(cast.users.national_admin))
    assert [o.name for o in roots] == ["中华全国总工会"] and roots[0].events == 5 and roots[0].participants == 3


def test_the_page_its_scope_and_its_export(cast, client, events, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    client.force_login(cast.users.province_admin)
    page = client.get(reverse("activities:report"), {"org": cast.orgs.hangzhou.pk}).content.decode()
    assert "杭州市总工会（本级）" in page and "杭州市西湖区总工会" in page and "3.5" in page
    assert client.get(reverse("activities:report"), {"org": cast.orgs.logistics.pk}).status_code == 404
    client.force_login(cast.users.sibling_admin)
    assert client.get(reverse("activities:report"), {"org": cast.orgs.hangzhou.pk}).status_code == 404
    theirs = selectors.report_totals(cast.users.sibling_admin)
    assert (theirs.events, theirs.participants, theirs.satisfaction) == (1, 1, Decimal("1.0"))
    spec = cadre_list("activities.report")
    rows = [spec.cells(r) for r in export_rows(spec, cast.users.province_admin, {"org": cast.orgs.hangzhou.pk})]
    assert rows == [["杭州市总工会（本级）", 1, 0, 0, 0, 0, "—"], ["杭州市西湖区总工会", 3, 5, 2, 5, 4, Decimal("3.5")]]
    job = export_start(actor=cast.users.province_admin, spec=spec, params={"org": [str(cast.orgs.hangzhou.pk)]})
    assert job.list_name == "activities.report"


def test_the_overview_figures(cast, events):
    user, zhejiang = cast.users.province_admin, cast.orgs.zhejiang
    assert selectors.events_count(user) == selectors.events_count_under(zhejiang) == 4
    assert selectors.checkins_count(user) == selectors.checkins_count_under(zhejiang) == 5
    assert selectors.satisfaction(user) == selectors.satisfaction_under(zhejiang) == Decimal("3.5")
    assert sum(selectors.events_count_by_org().values()) == 5
    assert selectors.checkins_count_by_org()[cast.orgs.company.pk] == 3


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.tuples(st.sampled_from(["company", "xihu", "hangzhou", "logistics"]), st.integers(0, 6),
                          st.integers(0, 30)), min_size=1, max_size=6))  # fmt: skip
def test_rows_add_up_to_the_totals_and_the_average_is_the_mean(cast, plan):
    """Any events with any rollups: per union the events and check-ins add up to the subtree's totals, and the
    satisfaction is the total points over the ratings, to one decimal."""
    Activity.objects.all().delete()
    for org_name, checked_in, points in plan:
        event = make_activity(cast, org=getattr(cast.orgs, org_name), capacity=10)
        rated = min(checked_in, points // 5 + (points % 5 > 0)) if points else 0
        points = min(points, 5 * rated)
        points = max(points, rated)
        Activity.objects.filter(pk=event.pk).update(confirmed=checked_in, checked_in=checked_in, rating_count=rated,
                                                    rating_sum=points)  # fmt: skip
    user, hangzhou = cast.users.national_admin, cast.orgs.hangzhou
    totals = selectors.report_totals(user, hangzhou)
    rows = list(selectors.report_orgs(user, hangzhou))
    assert sum(r.events for r in rows) == totals.events == sum(1 for o, _, _ in plan if o != "logistics")
    assert sum(r.checkins for r in rows) == totals.checkins
    mine = [(c, r, p) for (o, *_), (c, r, p) in zip(plan, Activity.objects.order_by("pk").values_list(
        "checked_in", "rating_count", "rating_sum"), strict=True) if o != "logistics"]  # fmt: skip
    count, points = sum(r for _, r, _ in mine), sum(p for _, _, p in mine)
    expected = (Decimal(points) / count).quantize(Decimal("0.1")) if count else None
    assert totals.satisfaction == expected and totals.rated == count
