"""Shared test data: a consent and requests of 张伟 (the cast's worker)."""

from contextlib import contextmanager
from types import SimpleNamespace

from gonghui.privacy import services


def add_privacy_data(cast):
    zhang = cast.members.zhang.person
    cast.privacy = SimpleNamespace(
        consent=services.consent_give(actor=None, person=zhang, category="phone", purpose="接收工会活动通知",
                                      text_version="2025-01"),
        open_request=services.request_create(actor=cast.users.worker, person=zhang, kind="access"),
        export_request=services.request_complete(
            actor=None, request=services.request_create(actor=cast.users.worker, person=zhang, kind="export")),
    )  # fmt: skip
    return cast


@contextmanager
def own_copy_allowed():
    """The worker's download of their own data is the one response of this app that carries full values
    (audited, their own, PIPL art. 45); the suite's PII guard (gonghui.testing.pii_guard) is paused for it."""
    from gonghui.testing.pii_guard import collector

    collector.enabled = False
    try:
        yield
    finally:
        collector.enabled = True
