"""Committee terms: the end date and whether elections are due (工会法 art. 16)."""

import datetime as dt

from django.utils import timezone

from gonghui.orgs.models import Org


def test_term_ends_after_its_years_and_on_28_february_for_a_leap_day_start():
    assert Org(term_years=5, term_started_on=dt.date(2021, 7, 16)).term_ends_on == dt.date(2026, 7, 16)
    assert Org(term_years=3, term_started_on=dt.date(2024, 2, 29)).term_ends_on == dt.date(2027, 2, 28)
    assert Org(term_years=3).term_ends_on is None


def test_term_is_overdue_only_once_it_has_ended():
    today = timezone.localdate()
    assert not Org(term_years=3, term_started_on=today).term_overdue
    assert Org(term_years=3, term_started_on=today.replace(year=today.year - 4)).term_overdue
    assert not Org(term_years=5).term_overdue


def test_org_page_and_api_flag_an_ended_term(client, cast):
    client.force_login(cast.users.province_admin)
    page = client.get(f"/orgs/{cast.orgs.company.pk}/").content.decode()
    assert ("任期已届满" in page) == cast.orgs.company.term_overdue
    fresh = cast.orgs.xihu
    assert "任期已届满" not in client.get(f"/orgs/{fresh.pk}/").content.decode()
