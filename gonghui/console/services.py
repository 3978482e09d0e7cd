"""The consoles' own writes: recording an audit export (docs/security.md §8: every export is logged) and the
system admin's holiday calendar overrides. Accounts and grants change through accounts.services."""

import datetime as dt

from django.db import transaction

from gonghui.accounts.access import require_platform_actor
from gonghui.accounts.models import User
from gonghui.core.audit import audit_record, audit_seal
from gonghui.core.models import AuditEvent, WorkdayOverride


def audit_export_begin(*, actor, since: dt.date | None, until: dt.date | None, count: int, via: str) -> AuditEvent:
    """Log the export before any row leaves, then seal what is pending, the export event included, so the
    copy carries every hash."""
    require_platform_actor(actor, User.PlatformRole.AUDIT)
    with transaction.atomic():
        event = audit_record(
            actor=actor,
            action="audit.export",
            detail={"since": since.isoformat() if since else "", "until": until.isoformat() if until else "",
                    "count": count, "via": via},
        )  # fmt: skip
    audit_seal()
    return event


@transaction.atomic
def workday_override_set(*, actor, day: dt.date, is_workday: bool, note: str) -> WorkdayOverride:
    """节假日调整: the system admin marks ``day`` a working day or a rest day; working-day deadlines (joining
    applications, personal-data requests) count by it from now on. Setting the same day again replaces it."""
    require_platform_actor(actor, User.PlatformRole.SYSTEM)
    override, _ = WorkdayOverride.objects.update_or_create(
        day=day, defaults={"is_workday": is_workday, "note": note.strip()}
    )
    audit_record(actor=actor, action="calendar.set", obj=override,
                 detail={"day": day.isoformat(), "is_workday": is_workday})  # fmt: skip
    return override


@transaction.atomic
def workday_override_delete(*, actor, override: WorkdayOverride) -> None:
    """Back to the statutory calendar for that day."""
    require_platform_actor(actor, User.PlatformRole.SYSTEM)
    audit_record(actor=actor, action="calendar.delete", obj=override, detail={"day": override.day.isoformat()})
    override.delete()
