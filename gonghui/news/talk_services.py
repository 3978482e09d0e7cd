"""Writes of talks (宣讲/送教到基层) and team study sessions (班组学习): a cadre registers one for the members of
their union's subtree, with a speaker from the model-worker registry or named, and adds its materials
(encrypted files); a member signs in on the day (docs/decisions/0034-news-search-images-talks.md)."""

import datetime as dt
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from gonghui.core import files
from gonghui.core.audit import acting_user, atomic_audited, audit_record
from gonghui.core.errors import field_error
from gonghui.core.uploads import check_document
from gonghui.news import selectors
from gonghui.news.models import Talk, TalkAttendance, TalkKind, TalkMaterial
from gonghui.orgs import access
from gonghui.orgs.models import Org

CHECKIN_BEFORE = dt.timedelta(minutes=30)  # 签到 opens half an hour before the start
CHECKIN_AFTER = dt.timedelta(hours=1)  # and closes an hour after the end


def checkin_window(talk: Talk) -> tuple[dt.datetime, dt.datetime]:
    return talk.starts_at - CHECKIN_BEFORE, talk.starts_at + dt.timedelta(minutes=talk.minutes) + CHECKIN_AFTER


@atomic_audited
def talk_create(*, actor, org: Org, kind: str, topic: str, place: str, starts_at: dt.datetime, minutes: int,
                speaker=None, speaker_name: str = "", summary: str = "") -> Talk:  # fmt: skip
    """登记 a talk or study session of ``org`` (a write role on it). ``speaker``: a model worker the actor may
    see (the registry of their scope); without one, ``speaker_name`` is required."""
    from gonghui.news import talk_selectors

    access.require_write(actor, org)
    errors: dict[str, str] = {}
    topic, place = " ".join((topic or "").split()), " ".join((place or "").split())
    speaker_name = " ".join((speaker_name or "").split())
    if kind not in TalkKind.values:
        errors["kind"] = "类型选项无效。"
    if not topic:
        errors["topic"] = "请填写主题。"
    elif len(topic) > 120:
        errors["topic"] = "主题不能超过 120 个字。"
    if not place:
        errors["place"] = "请填写地点。"
    elif len(place) > 120:
        errors["place"] = "地点不能超过 120 个字。"
    if starts_at is None:
        errors["starts_at"] = "请填写开始时间。"
    if not isinstance(minutes, int) or not 1 <= minutes <= 480:
        errors["minutes"] = "时长为 1 至 480 分钟。"
    if speaker is not None:
        if actor is not None and not talk_selectors.speakers_for(actor).filter(pk=speaker.pk).exists():
            errors["speaker"] = "只能从本级、下属或上级工会的劳模名册中选择主讲人。"
        else:
            speaker_name = speaker.person.name
    if not speaker_name:
        errors["speaker_name"] = "请选择主讲劳模，或填写主讲人姓名。"
    elif len(speaker_name) > 60:
        errors["speaker_name"] = "主讲人姓名不能超过 60 个字。"
    if len(summary or "") > 2000:
        errors["summary"] = "内容简介不能超过 2000 个字。"
    if errors:
        raise ValidationError({k: ValidationError(v) for k, v in errors.items()})
    talk = Talk.objects.create(org=org, kind=kind, topic=topic, place=place, starts_at=starts_at, minutes=minutes,
                               speaker=speaker, speaker_name=speaker_name, summary=(summary or "").strip(),
                               created_by=acting_user(actor))  # fmt: skip
    audit_record(actor=actor, action="news.talk_create", obj=talk, org=org, detail={"kind": kind})
    return talk


@atomic_audited
def material_add(*, actor, talk: Talk, file, file_name: str) -> TalkMaterial:
    """上传材料: a PDF (no script), JPEG, PNG or workbook, checked by content (``core.uploads.check_document``)
    and stored encrypted. A refused file is a 400 on ``file``; nothing is kept."""
    access.require_write(actor, talk.org)
    if file is None:
        raise field_error("file", "请选择要上传的材料。")
    try:
        checked = check_document(file)
    except ValidationError as error:
        raise field_error("file", error.messages[0], code=error.code or "invalid") from None
    relative = files.new_relative(Path("news") / "talks" / str(talk.pk), checked.kind)
    size = 0
    with files.create(relative) as out:
        while chunk := file.read(1024 * 1024):
            size += len(chunk)
            out.write(chunk)
    try:
        row = TalkMaterial.objects.create(talk=talk, file_name=Path(file_name or "材料").name[:200],
                                          file_path=relative, file_kind=checked.kind, size=size,
                                          uploaded_by=acting_user(actor))  # fmt: skip
        audit_record(actor=actor, action="news.talk_material_add", obj=row, org=talk.org,
                     detail={"kind": checked.kind, "size": size})  # fmt: skip
    except BaseException:
        files.remove(relative)
        raise
    return row


@atomic_audited
def talk_checkin(*, actor, talk: Talk, now: dt.datetime | None = None) -> TalkAttendance:
    """签到: a member of the talk's subtree, from half an hour before it starts to an hour after it ends; once
    (a second tap returns the first sign-in)."""
    now = now or timezone.now()
    membership = selectors.membership_of(actor)
    if membership is None:
        raise field_error("talk", "请先加入工会，会员才能签到。")
    if not membership.org.path.startswith(talk.org.path):
        raise field_error("talk", "这场宣讲面向其他工会的会员，您不在参加范围内。")
    opens, closes = checkin_window(talk)
    if now < opens:
        raise field_error("talk", f"签到从开始前 30 分钟开放（{timezone.localtime(opens):%m月%d日 %H:%M} 起）。")
    if now > closes:
        raise field_error("talk", "签到已结束。")
    existing = TalkAttendance.objects.filter(talk=talk, person_id=membership.person_id).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            row = TalkAttendance.objects.create(talk=talk, person_id=membership.person_id,
                                                org_path=membership.org.path, recorded_at=now,
                                                recorded_by=acting_user(actor))  # fmt: skip
    except IntegrityError:  # two taps at the same moment
        return TalkAttendance.objects.get(talk=talk, person_id=membership.person_id)
    Talk.objects.filter(pk=talk.pk).update(attendance=F("attendance") + 1)
    audit_record(actor=actor, action="news.talk_checkin", obj=talk, org=talk.org)
    return row


def attendance_delete(*, cutoff: dt.datetime, batch_size: int) -> int:
    """Retention: sign-ins of talks held before ``cutoff`` are deleted (the count stays on the talk)."""
    from gonghui.core.batches import in_batches

    def work(ids: list[int]) -> int:
        return TalkAttendance.objects.filter(pk__in=ids).delete()[0]

    return in_batches(TalkAttendance.objects.filter(talk__starts_at__lt=cutoff), work, batch_size)
