"""Every personal-data request made before the case kernel gets its case: its status, the person's union,
its deadline, and its history (received; started; completed or refused, with the reason)."""

from django.db import migrations

SUBJECT = "个人信息权利请求"


def _home_org(Membership, person_id):
    memberships = Membership.objects.filter(person_id=person_id)
    current = memberships.filter(status="active").first()
    latest = current or memberships.order_by("-joined_on", "-id").first()
    return latest.org_id if latest else None


def _steps(request):
    """(from, to, actor, at, note) of the request's history as far as its row tells it (when a finished
    request was started is not recorded, so its history goes from received to the outcome)."""
    steps = [("", "received", request.created_by_id, request.received_at, "")]
    if request.status == "in_progress":
        steps.append(("received", "in_progress", request.handled_by_id, request.received_at, ""))
    elif request.status in ("completed", "refused"):
        note = request.refusal_reason or request.result_note
        steps.append(("received", request.status, request.handled_by_id, request.completed_at, note))
    return steps


def forwards(apps, schema_editor):
    DataSubjectRequest = apps.get_model("privacy", "DataSubjectRequest")
    Membership = apps.get_model("members", "Membership")
    Case, CaseStep = apps.get_model("cases", "Case"), apps.get_model("cases", "CaseStep")
    for request in DataSubjectRequest.objects.filter(case__isnull=True).order_by("pk").iterator(chunk_size=500):
        org = _home_org(Membership, request.person_id)
        if org is None:  # a person without any membership has no union to handle the case
            continue
        steps = _steps(request)
        closed = request.status in ("completed", "refused")
        case = Case.objects.create(
            org_id=org, kind="data_request", status=request.status, subject=SUBJECT,
            deadline=None if closed else request.due_on, opened_by_id=request.created_by_id,
            opened_at=request.received_at, closed_at=request.completed_at if closed else None, version=len(steps),
        )  # fmt: skip
        CaseStep.objects.bulk_create(
            CaseStep(case=case, from_status=f, to_status=t, actor_id=actor, at=at, note=note[:500])
            for f, t, actor, at, note in steps
        )  # fmt: skip
        DataSubjectRequest.objects.filter(pk=request.pk).update(case=case)


def backwards(apps, schema_editor):
    DataSubjectRequest = apps.get_model("privacy", "DataSubjectRequest")
    Case = apps.get_model("cases", "Case")
    ids = list(DataSubjectRequest.objects.filter(case__isnull=False).values_list("case_id", flat=True))
    DataSubjectRequest.objects.update(case=None)
    Case.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("privacy", "0004_request_case"),
        ("cases", "0001_cases_kernel"),
        ("members", "0007_encrypted_text_field"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
