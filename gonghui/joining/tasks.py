"""The daily job of online joining (the lead wires it into ``manage.py run_daily``)."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from gonghui.core.audit import audit_record
from gonghui.joining.models import JoinApplication


def escalate_overdue(*, today: dt.date) -> int:
    """升级: pending applications past their deadline go on the to-do list of the handling union's parent
    (once: an escalated application is not escalated again). Audited; returns how many."""
    overdue = JoinApplication.objects.filter(
        status=JoinApplication.Status.PENDING, due_on__lt=today, escalated_to__isnull=True, org__parent__isnull=False
    ).select_related("org__parent")
    escalated = 0
    for application in overdue.order_by("pk").iterator(chunk_size=500):
        with transaction.atomic():
            done = JoinApplication.objects.filter(pk=application.pk, escalated_to__isnull=True).update(
                escalated_to=application.org.parent, escalated_at=timezone.now()
            )
            if done:
                audit_record(actor=None, action="join.escalate", obj=application, org=application.org.parent,
                             detail={"due_on": application.due_on.isoformat()})  # fmt: skip
        escalated += done
    return escalated
