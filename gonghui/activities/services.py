"""Writes of activities: publish an event; sign up and cancel, under the event's row lock, so that the
capacity is never exceeded and the waiting list moves up in order (docs/decisions/0019-activities-signups.md)."""

import datetime as dt

from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from gonghui.activities.models import Activity, Campaign, SignUp
from gonghui.core import crypto
from gonghui.core.audit import atomic_audited, audit_record
from gonghui.core.batches import in_batches
from gonghui.core.errors import field_error
from gonghui.core.groups import in_any
from gonghui.core.groups import labels as group_labels
from gonghui.core.groups import unknown as unknown_groups
from gonghui.members.models import EmploymentForm, Membership, Person
from gonghui.messages.services import notify
from gonghui.orgs import access
from gonghui.orgs.models import Org


@atomic_audited
def activity_create(*, actor, org: Org, title: str, place: str, starts_at: dt.datetime, ends_at: dt.datetime,
                    signup_deadline: dt.datetime, capacity: int, campaign: str = "", description: str = "",
                    employment_forms: list[str] | None = None,
                    groups: list[str] | None = None) -> Activity:  # fmt: skip
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
    groups = sorted(set(groups or []))
    if unknown_groups(groups):
        raise field_error("groups", "限定人群选项无效。")
    activity = Activity.objects.create(
        org=org, title=title.strip(), place=place.strip(), starts_at=starts_at, ends_at=ends_at,
        signup_deadline=signup_deadline, capacity=capacity, campaign=campaign, description=description.strip(),
        employment_forms=forms, groups=groups,
    )  # fmt: skip
    audit_record(actor=actor, action="activities.activity_create", obj=activity, org=org)
    return activity


def ineligible_reason(activity: Activity, person) -> str:
    """Why ``person`` may not sign up ("" when they may): a member of the union's subtree, of a listed
    employment form, in one of the listed groups (劳模, 在档困难职工…) if the event names any."""
    member = Membership.objects.filter(person=person, status=Membership.Status.ACTIVE,
                                       org__path__startswith=activity.org.path).exists()  # fmt: skip
    if not member:
        return f"本活动仅限{activity.org.name}及下属工会的会员报名。"
    if activity.employment_forms and person.employment_form not in activity.employment_forms:
        labels = "、".join(EmploymentForm(f).label for f in activity.employment_forms)
        return f"本活动仅限以下就业形态的职工报名：{labels}。"
    if activity.groups and not Person.objects.filter(in_any(activity.groups, field="pk"), pk=person.pk).exists():
        return f"本活动仅限以下人群报名：{group_labels(activity.groups)}。"
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
    if signup.checked_in_at is not None:
        raise field_error("signup", "您已在现场签到，不能取消报名。")
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


# ----- check-in at the event by QR code, feedback and satisfaction (docs/decisions/0037) ---------------------------

QR_SALT = "gonghui.activities.checkin"


def checkin_token(activity: Activity) -> str:
    """The signed token in the event's QR code (the organiser shows it at the door)."""
    return signing.Signer(salt=QR_SALT).sign(str(activity.pk))


def activity_of_token(token: str) -> Activity:
    """The event a QR token names, or a ValidationError in Chinese (forged or unknown)."""
    try:
        pk = int(signing.Signer(salt=QR_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        raise field_error("token", "二维码无效，请扫描活动现场出示的签到二维码。") from None
    activity = Activity.objects.filter(pk=pk).select_related("org").first()
    if activity is None:
        raise field_error("token", "这个活动已不存在。")
    return activity


def checkin_refusal(activity: Activity, signup: SignUp | None, now: dt.datetime) -> str:
    """Why the member may not check in now ("" when they may): a confirmed sign-up, on the event's day(s)."""
    if signup is None:
        return "您没有报名这个活动，不能签到。"
    if signup.status == SignUp.Status.WAITING:
        return "您还在候补名单中，没有转为正式报名，不能签到。"
    if signup.status != SignUp.Status.CONFIRMED:
        return "您的报名已取消，不能签到。"
    today = timezone.localdate(now)
    first, last = timezone.localdate(activity.starts_at), timezone.localdate(activity.ends_at)
    if today < first:
        return f"活动在 {first:%Y年%m月%d日} 举行，请当天到场后再签到。"
    if today > last or now > activity.ends_at:
        return "活动已经结束，不能再签到。"
    return ""


@transaction.atomic
def activity_checkin(*, actor, token: str, now: dt.datetime | None = None) -> tuple[SignUp, bool]:
    """活动签到: the signed-in member with a confirmed place, on the event's day, once (a second scan returns
    the first check-in and False). The event's ``checked_in`` grows by one in the same transaction."""
    if actor is None or not actor.is_authenticated:
        raise field_error("token", "请先登录再签到。")
    activity = activity_of_token(token)
    now = now or timezone.now()
    person = getattr(actor, "person_id", None)
    signup = (SignUp.objects.filter(activity=activity, person_id=person).exclude(status=SignUp.Status.CANCELLED)
              .first() if person else None)  # fmt: skip
    if signup is not None and signup.checked_in_at is not None:
        return signup, False
    if reason := checkin_refusal(activity, signup, now):
        raise field_error("token", reason)
    # the conditional update decides between two scans at once: only one finds the column still empty
    if not SignUp.objects.filter(pk=signup.pk, checked_in_at__isnull=True, status=SignUp.Status.CONFIRMED).update(
        checked_in_at=now
    ):
        signup.refresh_from_db()
        if signup.checked_in_at is None:  # cancelled meanwhile
            raise field_error("token", "您的报名已取消，不能签到。")
        return signup, False
    Activity.objects.filter(pk=activity.pk).update(checked_in=F("checked_in") + 1)
    signup.refresh_from_db()
    audit_record(actor=actor, action="activities.checkin", obj=activity, org=activity.org)
    return signup, True


FEEDBACK_COMMENT_MAX = 500


@transaction.atomic
def feedback_submit(*, actor, signup: SignUp, rating, comment: str = "", now: dt.datetime | None = None) -> SignUp:
    """活动评价: after the event ended, a member who checked in rates it 1–5 with an optional comment, once.
    The event's rating total and count grow in the same transaction (the average is read from them)."""
    now = now or timezone.now()
    signup = SignUp.objects.select_related("activity__org").get(pk=signup.pk)
    if getattr(actor, "person_id", None) != signup.person_id:
        raise field_error("signup", "只能评价本人参加的活动。")
    if isinstance(rating, bool) or not isinstance(rating, int) or not 1 <= rating <= 5:
        raise field_error("rating", "请选择 1 到 5 分的满意度。")
    comment = (comment or "").strip()
    if len(comment) > FEEDBACK_COMMENT_MAX:
        raise field_error("comment", f"评价意见最多 {FEEDBACK_COMMENT_MAX} 字。")
    activity = signup.activity
    if signup.checked_in_at is None:
        raise field_error("signup", "只有到场签到的职工才能评价这个活动。")
    if now < activity.ends_at:
        raise field_error("signup", "活动结束后才能评价。")
    if not SignUp.objects.filter(pk=signup.pk, rating__isnull=True).update(
        rating=rating, comment_enc=crypto.encrypt(comment) if comment else "", rated_at=now
    ):
        raise field_error("signup", "您已经评价过这个活动。")
    Activity.objects.filter(pk=activity.pk).update(rating_count=F("rating_count") + 1,
                                                   rating_sum=F("rating_sum") + rating)  # fmt: skip
    audit_record(actor=actor, action="activities.feedback", obj=activity, org=activity.org,
                 detail={"rating": rating})  # fmt: skip
    signup.refresh_from_db()
    return signup


def feedback_invite(*, today: dt.date) -> int:
    """Daily: the attendees of each event that ended before today are asked, once, to rate it (a message with a
    link to their sign-ups). Returns how many were asked."""
    start_of_today = timezone.make_aware(dt.datetime.combine(today, dt.time.min))
    asked = 0
    ended = Activity.objects.filter(ends_at__lt=start_of_today, feedback_asked_at__isnull=True, checked_in__gt=0)
    for activity in ended.order_by("pk").iterator(chunk_size=200):
        with transaction.atomic():
            if not Activity.objects.filter(pk=activity.pk, feedback_asked_at__isnull=True).update(
                feedback_asked_at=timezone.now()
            ):
                continue  # another run asked them
            rows = SignUp.objects.filter(activity=activity, checked_in_at__isnull=False, rating__isnull=True)
            for signup in rows.select_related("person"):
                notify(person=signup.person, event="activities.feedback", link=reverse("activities:mine"),
                       context={"title": activity.title})  # fmt: skip
                asked += 1
    return asked
