"""Every join application made before the case kernel gets its case: its status, union, deadline, escalation
and version, and its history (submitted; decided, with the reason of a refusal)."""

from django.db import migrations

SUBJECT = "网上入会申请"


def _case_of(Case, CaseStep, application):
    pending = application.status == "pending"
    closed_at = None if pending else (application.decided_at or application.submitted_at)
    case = Case.objects.create(
        org_id=application.org_id, kind="join", status=application.status, subject=SUBJECT,
        deadline=application.due_on if pending else None, escalated_to_id=application.escalated_to_id,
        escalated_at=application.escalated_at, opened_by_id=application.account_id,
        opened_at=application.submitted_at, closed_at=closed_at, version=application.version,
    )  # fmt: skip
    CaseStep.objects.create(case=case, actor_id=application.account_id, at=application.submitted_at,
                            from_status="", to_status="pending")  # fmt: skip
    if not pending:
        actor = application.account_id if application.status == "withdrawn" else application.decided_by_id
        CaseStep.objects.create(case=case, actor_id=actor, at=closed_at, from_status="pending",
                                to_status=application.status, note=application.reject_reason)  # fmt: skip
    return case


def forwards(apps, schema_editor):
    JoinApplication = apps.get_model("joining", "JoinApplication")
    Case, CaseStep = apps.get_model("cases", "Case"), apps.get_model("cases", "CaseStep")
    for application in JoinApplication.objects.filter(case__isnull=True).order_by("pk").iterator(chunk_size=500):
        JoinApplication.objects.filter(pk=application.pk).update(case=_case_of(Case, CaseStep, application))


def backwards(apps, schema_editor):
    JoinApplication = apps.get_model("joining", "JoinApplication")
    Case = apps.get_model("cases", "Case")
    ids = list(JoinApplication.objects.filter(case__isnull=False).values_list("case_id", flat=True))
    JoinApplication.objects.update(case=None)
    Case.objects.filter(pk__in=ids).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("joining", "0005_application_case"),
        ("cases", "0001_cases_kernel"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
