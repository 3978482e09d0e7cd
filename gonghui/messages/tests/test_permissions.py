"""Every page of the message centre × every member of the cast (see gonghui.testing.matrix): workers and
cadres have an inbox; a platform admin has none; the anonymous are sent to sign in. A message is only ever
its addressee's (anyone else's reads as not found)."""

import pytest

from gonghui.messages.models import Message, Preference
from gonghui.testing.api import ApiClient
from gonghui.testing.matrix import USERS, Case, Page, api_tests, codes

INBOX = dict.fromkeys(USERS, 200) | {"security_admin": 403, "anonymous": 302}
POSTED = dict.fromkeys(USERS, 302) | {"security_admin": 403, "anonymous": 302}


def _zhang_message(cast):
    from gonghui.messages.services import notify

    context = {"kind": "困难帮扶申请", "status": "已受理", "org": "西溪街道工会", "note": ""}
    message = notify(user=cast.users.worker, event="cases.step", context=context)
    return [message.pk]


PAGES = [
    Page("messages:inbox", INBOX),
    Page("messages:detail", INBOX | dict.fromkeys(USERS[:5], 404), args=_zhang_message),
    Page("messages:read_all", POSTED, method="post"),
    Page("messages:preferences", INBOX),
    Page("messages:preferences", POSTED, method="post", data=lambda c: {"sms_optional": "on"}),
]


INBOX_API = codes(200, 200, 200, 200, 200, 200, 403, 401)


def _unread_for_caller(cast, caller) -> dict:
    """An unread message of the caller's own, so that marking all read changes something."""
    from gonghui.messages.services import notify

    if caller != "anonymous":
        notify(user=getattr(cast.users, caller), event="cases.step",
               context={"kind": "困难帮扶申请", "status": "已受理", "org": "西溪街道工会", "note": ""})  # fmt: skip
    return {}


def _zhang_message_path(cast) -> str:
    return f"/messages/{_zhang_message(cast)[0]}"


API_CASES: list = [
    Case("inbox", "list", "GET", "/messages/", INBOX_API),
    Case("read", "detail", "GET", "/messages/{message_id}", codes(404, 404, 404, 404, 404, 200, 403, 401),
         path=_zhang_message_path),
    Case("read_all", "update", "POST", "/messages/read-all", INBOX_API, body=_unread_for_caller),
    Case("preferences", "detail", "GET", "/messages/preferences", INBOX_API),
    Case("preferences_set", "update", "PUT", "/messages/preferences", INBOX_API,
         body=lambda c, u: {"sms_optional": False}),
]  # fmt: skip


def snapshot():
    return (
        list(Message.objects.order_by("pk").values_list("pk", "read_at")),
        list(Preference.objects.order_by("pk").values_list("pk", "sms_optional")),
    )


@pytest.fixture
def api(cast):
    client = ApiClient()
    yield client
    client.assert_no_personal_data()


test_api_permissions = api_tests(API_CASES, snapshot)


def probe_targets(cast) -> dict:
    """张伟's message for the scope probe (gonghui/core/tests/test_scope_probe.py): the sibling's is not found."""
    return {"message_id": _zhang_message(cast)[0]}
