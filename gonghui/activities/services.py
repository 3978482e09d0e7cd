"""Writes of activities: publish an event; sign up and cancel, under the event's row lock, so that the
capacity is never exceeded and the waiting list moves up in order (docs/decisions/0019-activities-signups.md)."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gonghui.activities.models import Activity, Campaign, SignUp
from gonghui.core.audit import atomic_audited, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import field_error
from gonghui.members.models import EmploymentForm, Membership
from gonghui.messages.services import notify
from gonghui.orgs import access
from gonghui.orgs.models import Org


@atomic_audited
def activity_create(*, actor, org: Org, title: str, place: str, starts_at: dt.datetime, ends_at: dt.datetime,
                    signup_deadline: dt.datetime, capacity: int, campaign: str = "", description: str = "",
                    employment_forms: list[str] | None = None, hardship_only: bool = False) -> Activity:  # fmt: skip
    """发布活动 for ``org`` (a write role on it)."""
    access.require_write(actor, org)
    if not title.strip():
        raise field_error("title", "请填写活动名称。")
    if not place.strip():
        raise field_error("place", "请填写地点。")
    if campaign not in Campaign.values:
        raise field_error("campaign", "品牌活动选项无效。")
    if capacity < 1:
        raise field_error("capacity", "名额至少为 1。")
    if ends_at < starts_at:
        raise field_error("ends_at", "结束时间不能早于开始时间。")
    if signup_deadline > starts_at:
        raise field_error("signup_deadline", "报名截止时间不能晚于活动开始时间。")
    forms = sorted(set(employment_forms or []))
    if any(f not in EmploymentForm.values for f in forms):
        raise field_error("employment_forms", "就业形态选项无效。")
    activity = Activity.objects.create(
        org=org, title=title.strip(), place=place.strip(), starts_at=starts_at, ends_at=ends_at,
        signup_deadline=signup_deadline, capacity=capacity, campaign=campaign, description=description.strip(),
        employment_forms=forms, hardship_only=hardship_only,
    )  # fmt: skip
    audit_record(actor=actor, action="activities.activity_create", obj=activity, org=org)
    return activity


def ineligible_reason(activity: Activity, person) -> str:
    """Why ``person`` may not sign up ("" when they may): a member of the union's subtree, of a listed
    employment form, with an approved hardship file if the event asks for one."""
    member = Membership.objects.filter(person=person, status=Membership.Status.ACTIVE,
                                       org__path__startswith=activity.org.path).exists()  # fmt: skip
    if not member:
        return f"本活动仅限{activity.org.name}及下属工会的会员报名。"
    if activity.employment_forms and person.employment_form not in activity.employment_forms:
        labels = "、".join(EmploymentForm(f).label for f in activity.employment_forms)
        return f"本活动仅限以下就业形态的职工报名：{labels}。"
    if activity.hardship_only:
        from gonghui.assistance.models import HardshipFile
        from gonghui.assistance.selectors import IN_FILE

        if not HardshipFile.objects.filter(person=person, status__in=IN_FILE).exists():
            return "本活动仅限在档困难职工报名。"
    return ""


@transaction.atomic
def signup_create(*, actor, activity: Activity, now: dt.datetime | None = None) -> SignUp:
    """报名: the signed-in member, confirmed while places are left, else on the waiting list; never twice."""
    person = getattr(actor, "person", None)
    if person is None:
        raise field_error("activity", "请先加入工会，会员才能报名。")
    now = now or timezone.now()
    locked = Activity.objects.select_for_update().get(pk=activity.pk)  # one sign-up or cancellation at a time
    if now > locked.signup_deadline:
        raise field_error("activity", "报名已截止。")
    if reason := ineligible_reason(locked, person):
        raise field_error("activity", reason)
    if SignUp.objects.filter(activity=locked, person=person).exclude(status=SignUp.Status.CANCELLED).exists():
        raise field_error("activity", "您已经报名了这个活动。")
    confirmed = locked.confirmed < locked.capacity
    try:
        with transaction.atomic():
            status = SignUp.Status.CONFIRMED if confirmed else SignUp.Status.WAITING
            signup = SignUp.objects.create(activity=locked, person=person, created_at=now, status=status)
    except IntegrityError:
        raise field_error("activity", "您已经报名了这个活动。") from None
    if confirmed:
        Activity.objects.filter(pk=locked.pk).update(confirmed=F("confirmed") + 1)
    audit_record(actor=actor, action="activities.signup_create", obj=locked, org=locked.org,
                 detail={"status": signup.status})  # fmt: skip
    return signup


@transaction.atomic
def signup_cancel(*, actor, signup: SignUp, now: dt.datetime | None = None) -> SignUp | None:
    """取消报名 (the member themself): a confirmed place goes to the first on the waiting list, who is told
    (a message, texted too) and returned."""
    now = now or timezone.now()
    locked = Activity.objects.select_for_update().get(pk=signup.activity_id)
    signup = SignUp.objects.get(pk=signup.pk)
    if getattr(actor, "person_id", None) != signup.person_id:
        raise field_error("signup", "只能取消本人的报名。")
    if signup.status == SignUp.Status.CANCELLED:
        raise field_error("signup", "这个报名已经取消。")
    if now >= locked.starts_at:
        raise field_error("signup", "活动已经开始，不能取消。")
    was_confirmed = signup.status == SignUp.Status.CONFIRMED
    SignUp.objects.filter(pk=signup.pk).update(status=SignUp.Status.CANCELLED, cancelled_at=now)
    promoted = None
    if was_confirmed:
        promoted = (SignUp.objects.filter(activity=locked, status=SignUp.Status.WAITING)
                    .order_by("created_at", "pk").first())  # fmt: skip
        if promoted is None:
            Activity.objects.filter(pk=locked.pk).update(confirmed=F("confirmed") - 1)
        else:
            SignUp.objects.filter(pk=promoted.pk).update(status=SignUp.Status.CONFIRMED, promoted_at=now)
            promoted.refresh_from_db()
            starts = timezone.localtime(locked.starts_at)
            notify(
                person=promoted.person,
                event="activities.promoted",
                link=reverse("activities:mine"),
                context={"title": locked.title, "place": locked.place, "starts": f"{starts:%Y-%m-%d %H:%M}"},
            )
    audit_record(actor=actor, action="activities.signup_cancel", obj=locked, org=locked.org,
                 detail={"promoted": promoted is not None})  # fmt: skip
    return promoted


def signups_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention: the sign-ups of events that ended before ``cutoff`` are deleted (the event stays)."""

    def work(ids: list[int]) -> int:
        return SignUp.objects.filter(pk__in=ids).delete()[0]

    return in_batches(SignUp.objects.filter(activity__ends_at__lt=cutoff), work, batch_size)
