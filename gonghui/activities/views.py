"""活动 pages: the cadres' event list, publishing and an event's sign-ups; the member's open events, sign-up
and cancellation from the phone. Views validate and call services or selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.activities import selectors, services
from gonghui.activities.forms import ActivityForm, FeedbackForm
from gonghui.activities.lists import ACTIVITIES, REPORT, report_org
from gonghui.core.lists import list_rows, render_list
from gonghui.core.qr import qr_svg
from gonghui.core.web import flashed, form_errors
from gonghui.orgs import access
from gonghui.orgs import selectors as org_selectors


@login_required
def activity_list(request):
    access.require_cadre(request.user)
    listing = list_rows(request, ACTIVITIES)
    context = {**listing.context(), "filter_form": ACTIVITIES.filter_form(request.GET), "nav": "activities"}
    return render_list(request, "activities/list.html", "activities/_rows.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def activity_new(request):
    access.require_cadre(request.user)
    orgs = org_selectors.writable_orgs(request.user)
    form = ActivityForm(request.POST or None, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            activity = services.activity_create(actor=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_service_error(error)
        else:
            messages.success(request, "活动已发布。")
            return redirect("activities:detail", pk=activity.pk)
    return render(request, "activities/new.html", {"form": form, "nav": "activities"},
                  status=400 if form.errors else 200)  # fmt: skip


@login_required
def activity_detail(request, pk: int):
    activity = selectors.activity_for_read(request.user, pk)
    context = {"a": activity, "signups": selectors.signups_of(activity), "nav": "activities",
               "attendance": selectors.attendance_of(activity),
               "can_write": access.can_write(request.user, activity.org)}  # fmt: skip
    return render(request, "activities/detail.html", context)


@login_required
def activity_qr(request, pk: int):
    """The event's check-in QR code, for the organiser to show at the door (on a screen or printed)."""
    activity = selectors.activity_for_read(request.user, pk)
    access.require_write(request.user, activity.org)
    url = request.build_absolute_uri(reverse("activities:checkin", args=[services.checkin_token(activity)]))
    context = {"a": activity, "qr": qr_svg(url, title=f"{activity.title}签到二维码", scale=8), "nav": "activities"}
    return render(request, "activities/qr.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def checkin(request, token: str):
    """活动签到: the event's QR code opens this on the member's phone; they confirm and are checked in once."""
    try:
        activity = services.activity_of_token(token)
    except ValidationError as error:
        return render(request, "activities/checkin.html", {"error": "；".join(error.messages), "nav": "me"},
                      status=404)  # fmt: skip
    done, refusal = None, ""
    if request.method == "POST":
        try:
            row, created = services.activity_checkin(actor=request.user, token=token)
        except ValidationError as error:
            refusal = "；".join(error.messages)
        else:
            done = {"created": created, "at": row.checked_in_at}
    signup = selectors.signup_for_checkin(request.user, activity)
    if done is None and not refusal and not (signup and signup.checked_in_at):
        refusal = services.checkin_refusal(activity, signup, timezone.now())
    context = {"a": activity, "signup": signup, "done": done, "refusal": refusal, "nav": "me"}
    status = 400 if refusal and request.method == "POST" else 200
    return render(request, "activities/checkin.html", context, status=status)


@login_required
@require_POST
def feedback(request, pk: int):
    """活动评价 (after the event, by a member who checked in): 1–5 and an optional comment, once."""
    row = selectors.own_signup(request.user, pk)
    if row is None:
        raise Http404("报名不存在")
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("activities:mine")
    with flashed(request, "感谢您的评价。"):
        services.feedback_submit(actor=request.user, signup=row, **form.cleaned_data)
    return redirect("activities:mine")


def _totals_list(totals) -> list[tuple[str, object]]:
    return [("活动场次", totals.events), ("报名成功人次", totals.signed_up), ("参加人数", totals.participants),
            ("现场签到人次", totals.checkins), ("评价人次", totals.rated),
            ("平均满意度", totals.satisfaction if totals.satisfaction is not None else "—")]  # fmt: skip


@login_required
def report(request):
    """活动统计 of the user's scope or one union's subtree (``?org=``), in a year (``?year=``), per union below
    it; exportable (core.lists)."""
    access.require_cadre(request.user)
    listing = list_rows(request, REPORT)
    org = report_org(request.user, listing.filters)
    year = listing.filters.get("year")
    for row in listing.rows:
        row.avg = selectors.row_satisfaction(row)
    context = {**listing.context(), "filter_form": REPORT.filter_form(request.GET), "org": org, "year": year,
               "totals_list": _totals_list(selectors.report_totals(request.user, org, year)),
               "nav": "activities"}  # fmt: skip
    return render_list(request, "activities/report.html", "activities/_report_rows.html", context)


@login_required
def mine(request):
    """活动报名 (phone first): the open events of the member's unions, and their own sign-ups."""
    own = list(selectors.own_signups(request.user))
    live = {s.activity_id: s for s in own if s.status != "cancelled"}
    events = [(a, live.get(a.pk)) for a in selectors.open_for(request.user)]
    now = timezone.now()
    to_rate = [s for s in own if s.checked_in_at and s.rating is None and s.activity.ends_at <= now]
    context = {"events": events, "own": own, "to_rate": to_rate, "nav": "me",
               "rating_choices": FeedbackForm.base_fields["rating"].choices}  # fmt: skip
    return render(request, "activities/mine.html", context)


@login_required
@require_POST
def signup(request, pk: int):
    activity = selectors.open_for(request.user).filter(pk=pk).first()
    if activity is None:
        raise Http404("活动不存在或已截止报名")
    with flashed(request) as outcome:
        row = services.signup_create(actor=request.user, activity=activity)
    if outcome.done:
        messages.success(
            request, "报名成功。" if row.status == "confirmed" else "名额已满，已为您登记候补，有人取消时按顺序递补。"
        )
    return redirect("activities:mine")


@login_required
@require_POST
def cancel(request, pk: int):
    row = selectors.own_signup(request.user, pk)
    if row is None:
        raise Http404("报名不存在")
    with flashed(request, "已取消报名。"):
        services.signup_cancel(actor=request.user, signup=row)
    return redirect("activities:mine")
