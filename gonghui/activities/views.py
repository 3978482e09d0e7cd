"""活动 pages: the cadres' event list, publishing and an event's sign-ups; the member's open events, sign-up
and cancellation from the phone. Views validate and call services or selectors."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from gonghui.activities import selectors, services
from gonghui.activities.forms import ActivityForm
from gonghui.activities.lists import ACTIVITIES
from gonghui.core.lists import list_rows, render_list
from gonghui.orgs import access
from gonghui.orgs.models import Org


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
    orgs = Org.objects.filter(access.scope_q(request.user, roles=access.WRITE_ROLES)).order_by("path")
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
    context = {"a": activity, "signups": selectors.signups_of(activity), "nav": "activities"}
    return render(request, "activities/detail.html", context)


@login_required
def mine(request):
    """活动报名 (phone first): the open events of the member's unions, and their own sign-ups."""
    own = list(selectors.own_signups(request.user))
    live = {s.activity_id: s for s in own if s.status != "cancelled"}
    events = [(a, live.get(a.pk)) for a in selectors.open_for(request.user)]
    context = {"events": events, "own": own, "nav": "me"}
    return render(request, "activities/mine.html", context)


@login_required
@require_POST
def signup(request, pk: int):
    activity = selectors.open_for(request.user).filter(pk=pk).first()
    if activity is None:
        raise Http404("活动不存在或已截止报名")
    try:
        row = services.signup_create(actor=request.user, activity=activity)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
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
    try:
        services.signup_cancel(actor=request.user, signup=row)
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, "已取消报名。")
    return redirect("activities:mine")
