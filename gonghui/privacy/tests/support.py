"""Shared test data: a consent and requests of 张伟 (the cast's worker)."""

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


# An old and a new data key for the key-rotation tests (the ``use_keys`` fixture switches between them).
OLD = "old1:" + "11" * 16
NEW = "new2:" + "22" * 16
