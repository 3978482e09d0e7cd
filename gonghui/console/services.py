"""The consoles' own write: recording an audit export (SECURITY.md item 8: every export is logged).
Everything else the consoles change goes through accounts.services."""

import datetime as dt

from django.db import transaction

from gonghui.core.audit import audit_record, audit_seal
from gonghui.core.models import AuditEvent


def audit_export_begin(*, actor, since: dt.date | None, until: dt.date | None, count: int, via: str) -> AuditEvent:
    """Log the export before any row leaves, then seal what is pending, the export event included, so the
    copy carries every hash."""
    with transaction.atomic():
        event = audit_record(
            actor=actor,
            action="audit.export",
            detail={"since": since.isoformat() if since else "", "until": until.isoformat() if until else "",
                    "count": count, "via": via},
        )  # fmt: skip
    audit_seal()
    return event
