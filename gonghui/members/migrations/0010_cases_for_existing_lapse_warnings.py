"""Every lapse warning raised before the case kernel gets its case: its status and union, and its history
(raised; the counselling talk; lifted or lapsed, with the reason)."""

import datetime as dt

from django.db import migrations
from django.utils import timezone

SUBJECT = "会籍预警"
GOOD_REASON = "有正当理由"


def _at(day):
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))  # the start of the day: before any later step


def _steps(warning):
    """(actor id, at, from, to, note) of each step the warning went through."""
    raised = _at(warning.raised_on)
    steps, current = [(None, raised, "", "open", "")], "open"
    talked = warning.counselled_on is not None and warning.close_reason != GOOD_REASON
    if talked:
        steps.append((warning.counselled_by_id, _at(warning.counselled_on), "open", "counselled", warning.counsel_note))
        current = "counselled"
    if warning.status in {"resolved", "lapsed"}:
        note = warning.counsel_note if warning.close_reason == GOOD_REASON else warning.close_reason
        steps.append((warning.closed_by_id, warning.closed_at or raised, current, warning.status, note))
    return steps


def _case_of(Case, CaseStep, warning):
    steps = _steps(warning)
    closed = warning.status in {"resolved", "lapsed"}
    case = Case.objects.create(
        org_id=warning.org_id, kind="lapse", status=warning.status, subject=SUBJECT, opened_at=steps[0][1],
        closed_at=steps[-1][1] if closed else None, version=len(steps),
    )  # fmt: skip
    CaseStep.objects.bulk_create(
        CaseStep(case=case, actor_id=actor, at=at, from_status=before, to_status=after, note=note[:500])
        for actor, at, before, after, note in steps
    )
    return case


def forwards(apps, schema_editor):
    LapseWarning = apps.get_model("members", "LapseWarning")
    Case, CaseStep = apps.get_model("cases", "Case"), apps.get_model("cases", "CaseStep")
    for warning in LapseWarning.objects.filter(case__isnull=True).order_by("pk").iterator(chunk_size=500):
        LapseWarning.objects.filter(pk=warning.pk).update(case=_case_of(Case, CaseStep, warning))


def backwards(apps, schema_editor):
    LapseWarning = apps.get_model("members", "LapseWarning")
    Case = apps.get_model("cases", "Case")
    ids = list(LapseWarning.objects.filter(case__isnull=False).values_list("case_id", flat=True))
    LapseWarning.objects.update(case=None)
    Case.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0009_lapse_warning_case"),
        ("cases", "0001_cases_kernel"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
