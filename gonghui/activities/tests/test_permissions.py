"""Every page and API operation of activities × every member of the cast (see gonghui.testing.matrix).

The event is held by 张伟's company union: Jiangsu does not see it, the read-only role sees but does not
publish; members sign up from their own pages (张伟 is the cast's worker; a cadre without a member record is
told to join first)."""

import datetime as dt

import pytest
from django.utils import timezone

from gonghui.activities import services
from gonghui.activities.models import Activity, SignUp
from gonghui.activities.tests.conftest import make_activity
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes, expect

SIGNED_IN = dict.fromkeys(USERS, 200) | {"anonymous": 302}
# Only 张伟 sees the company's event among his open ones; for everyone else it does not exist.
SIGNUP = dict.fromkeys(USERS, 404) | {"worker": 302, "anonymous": 302}


def activity(cast):
    if not hasattr(cast, "activity"):
        cast.activity = make_activity(cast)
    return cast.activity


def own_signup(cast):
    if not hasattr(cast, "signup"):
        cast.signup = services.signup_create(actor=cast.users.worker, activity=activity(cast))
    return cast.signup


def today_event(cast):
    """An event on now (signed up for by 张伟 before its deadline): the check-in works today."""
    if not hasattr(cast, "today_event"):
        now = timezone.now()
        cast.today_event = make_activity(cast, title="现场活动", starts_at=now, ends_at=now + dt.timedelta(hours=3),
                                         signup_deadline=now - dt.timedelta(hours=1))  # fmt: skip
        services.signup_create(actor=cast.users.worker, activity=cast.today_event, now=now - dt.timedelta(hours=2))
    return cast.today_event


def attended(cast):
    """张伟's sign-up to an event that ended an hour ago, where he checked in: he may rate it."""
    if not hasattr(cast, "attended"):
        now = timezone.now()
        event = make_activity(cast, title="已结束的活动", starts_at=now - dt.timedelta(hours=3),
                              ends_at=now - dt.timedelta(hours=1),
                              signup_deadline=now - dt.timedelta(hours=4))  # fmt: skip
        services.signup_create(actor=cast.users.worker, activity=event, now=now - dt.timedelta(hours=5))
        cast.attended, _ = services.activity_checkin(actor=cast.users.worker, token=services.checkin_token(event),
                                                     now=now - dt.timedelta(hours=2))  # fmt: skip
    return cast.attended


def _token(cast):
    return services.checkin_token(activity(cast))


def _form(cast):
    starts = timezone.localtime() + dt.timedelta(days=10)
    return {"org": cast.orgs.company.pk, "title": "金秋助学说明会", "campaign": "autumn", "place": "三楼会议室",
            "starts_at": f"{starts:%Y-%m-%dT%H:%M}", "ends_at": f"{starts + dt.timedelta(hours=2):%Y-%m-%dT%H:%M}",
            "signup_deadline": f"{starts - dt.timedelta(days=1):%Y-%m-%dT%H:%M}", "capacity": 30}  # fmt: skip


PAGES: list = [
    Page("activities:list", expect(200, 200, 200, 200, 200)),
    Page("activities:new", expect(200, 200, 200, 200, 200)),
    Page("activities:new", expect(302, 302, 400, 302, 400), method="post", data=_form),
    Page("activities:detail", expect(200, 200, 404, 200, 200), args=lambda c: [activity(c).pk]),
    Page("activities:mine", SIGNED_IN),
    Page("activities:signup", SIGNUP, method="post", args=lambda c: [activity(c).pk]),
    Page("activities:cancel", SIGNUP, method="post", args=lambda c: [own_signup(c).pk]),
    Page("activities:qr", expect(200, 200, 404, 200, 403), args=lambda c: [activity(c).pk]),
    Page("activities:checkin", SIGNED_IN, args=lambda c: [_token(c)]),
    # a week before the event: refused (400) for everyone, with the reason on the page
    Page("activities:checkin", dict.fromkeys(USERS, 400) | {"anonymous": 302}, method="post",
         args=lambda c: [_token(c)]),
    Page("activities:checkin", dict.fromkeys(USERS, 400) | {"worker": 200, "anonymous": 302}, method="post",
         args=lambda c: [services.checkin_token(today_event(c))], variant="today"),
    Page("activities:feedback", SIGNUP, method="post", args=lambda c: [attended(c).pk], data=lambda c: {"rating": 4}),
    Page("activities:report", expect(200, 200, 200, 200, 200)),
    Page("activities:report", expect(200, 200, 404, 200, 200), query=lambda c: f"?org={c.orgs.company.pk}",
         variant="org"),
]  # fmt: skip


def _signup_path(cast):
    return f"/activities/{activity(cast).pk}/signups"


API_CASES: list = [
    Case("open activities", "list", "GET", "/activities/open", codes(200, 200, 200, 200, 200, 200, 200, 401)),
    # (the bodies make the event and the sign-up before the snapshot; the operations take no body)
    Case("signup", "create", "POST", "/activities/{activity_id}/signups",
         codes(404, 404, 404, 404, 404, 201, 404, 401), path=_signup_path, body=lambda c, u: activity(c) and {}),
    Case("cancel", "update", "POST", "/activities/signups/{signup_id}/cancel",
         codes(404, 404, 404, 404, 404, 200, 404, 401), body=lambda c, u: own_signup(c) and {},
         path=lambda c: f"/activities/signups/{own_signup(c).pk}/cancel"),
    Case("activities", "list", "GET", "/activities", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("checkin", "create", "POST", "/activities/checkins", codes(400, 400, 400, 400, 400, 201, 400, 401),
         body=lambda c, u: {"token": services.checkin_token(today_event(c))}),
    Case("feedback", "update", "POST", "/activities/signups/{signup_id}/feedback",
         codes(404, 404, 404, 404, 404, 200, 404, 401), body=lambda c, u: attended(c) and {"rating": 5},
         path=lambda c: f"/activities/signups/{attended(c).pk}/feedback"),
    Case("attendance", "detail", "GET", "/activities/{activity_id}/attendance",
         codes(200, 200, 404, 200, 200, 403, 403, 401), path=lambda c: f"/activities/{activity(c).pk}/attendance"),
    Case("report", "list", "GET", "/activities/report", codes(200, 200, 200, 200, 200, 403, 403, 401)),
    Case("report of a union", "detail", "GET", "/activities/report",
         codes(200, 200, 404, 200, 200, 403, 403, 401),
         path=lambda c: f"/activities/report?org_id={c.orgs.company.pk}"),
]  # fmt: skip


def snapshot():
    return (
        list(Activity.objects.order_by("pk").values_list("pk", "confirmed", "checked_in", "rating_count", "version")),
        list(SignUp.objects.order_by("pk").values_list("pk", "status", "checked_in_at", "rating")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """浙江's event and a sign-up to it for the scope probe (gonghui/core/tests/test_scope_probe.py)."""
    event = make_activity(cast)
    return {"activity_id": event.pk, "signup_id": services.signup_create(actor=cast.users.worker, activity=event).pk}
